"""Generated protobuf and gRPC modules (see ``make protos``); do not edit them.

This file is ours, not generated (``protos/generate.py`` keeps it): before any
generated module loads, it imports the protobuf runtime they use without the
pure-Python backend the upb one makes unused (:func:`frontend.startup.import_protobuf`).
"""

from frontend.startup import import_protobuf

import_protobuf()
