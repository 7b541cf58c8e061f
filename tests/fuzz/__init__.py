"""A deterministic mutation fuzzer over the whole in-process pipeline (parse → stage graph
→ compile → marshal → image config), for the robustness contract: any input gives a
located :class:`frontend.language.DockerfileError` or a definition, never another
exception, never a hang. ``python -m tests.fuzz --seconds N`` (``make fuzz SECONDS=N``)."""
