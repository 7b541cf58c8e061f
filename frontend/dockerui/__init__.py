"""The Dockerfile frontend's side of a gateway request (the reference's ``dockerui``).

* :mod:`frontend.dockerui.config`        ``BuildOptions``: the typed view of the options
* :mod:`frontend.dockerui.context`       the Dockerfile and ``.dockerignore`` of the main context
* :mod:`frontend.dockerui.namedcontext`  ``context:NAME`` options: named build contexts
* :mod:`frontend.dockerui.epoch`         SOURCE_DATE_EPOCH's source dated on the engine
* :mod:`frontend.dockerui.sbom`          ``attest:`` options and the SBOM scan of the result
* :mod:`frontend.dockerui.subrequests`   subrequests (``requestid``): describe, lint,
  outline, targets answered, any other refused
  (:mod:`~frontend.dockerui.outline`; Go's output: :mod:`~frontend.dockerui.goformat`)
* :mod:`frontend.dockerui.checks`        the build checks (the reference's linter)
* :mod:`frontend.dockerui.warnings`      their warnings during a build (``Warn``)
* :mod:`frontend.dockerui.ignore`        ``.dockerignore`` patterns matched (for the checks)
* :mod:`frontend.dockerui.build`         ``build(client, options)``: compile per platform,
  solve, assemble the result

It talks to BuildKit through :mod:`frontend.gateway` (never the other way round).
Import the module you need (nothing is re-exported here, so ``import
frontend.dockerui`` costs nothing); the build entry is ``frontend.dockerui.build.build``.
"""
