"""``python -m frontend`` is the ``pyfrontend`` command."""

from frontend.cli import run

run()
