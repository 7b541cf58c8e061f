"""``python -m frontend`` is the ``pyfrontend`` command."""

from frontend.cli import main

raise SystemExit(main())
