"""pyfrontend: a BuildKit Dockerfile frontend written in Python.

The pipeline, one package per step, data flowing one way:

* ``frontend.language``  text -> located, typed instructions (parser, word expansion)
* ``frontend.stages``    instructions -> stage graph (dependencies, target selection)
* ``frontend.compiler``  stage graph -> LLB states and the OCI image config
* ``frontend.llb``       a standalone LLB library (states, ops, deterministic marshalling)
* ``frontend.dockerui``  a build request: options, Dockerfile, named contexts, per-platform result
* ``frontend.gateway``   the BuildKit gateway protocol (stdio bridge, Solve/Return, errors)
* ``frontend.cli``       the ``pyfrontend`` command
* ``frontend.gocompat``  Go-compatible formatting shared by all of them (a leaf module)
* ``frontend.records``   ``record``, the classes' cheaper ``dataclass`` (a leaf module)
* ``frontend.pb``        generated protobuf/gRPC code (``make protos``), not edited by hand
"""

__version__ = "0.1.0"
