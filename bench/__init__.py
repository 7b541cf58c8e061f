"""Benchmarks (``make bench``): each module ``bench/<name>.py`` has ``run() -> None``
that prints its figures to stdout."""
