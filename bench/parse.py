"""Parser benchmark: a generated 10,000-instruction Dockerfile, parsed in-process."""

from __future__ import annotations

import time

_TEMPLATES = (
    "RUN --mount=type=cache,target=/root/.cache apt-get install -y pkg{i} \\\n    && echo done{i}",
    'ENV VAR{i}=value{i} OTHER{i}="two words"',
    "COPY --chown=1000:1000 --chmod=644 src/file{i}.txt /app/file{i}.txt",
    'LABEL org.example.n{i}="label {i}"',
    "ARG A{i}=default{i}",
    "WORKDIR /app/dir{i}",
    "EXPOSE {i}/tcp",
    'RUN ["/bin/sh", "-c", "echo {i}"]',
    "# a comment {i}",
    "RUN <<EOF\necho heredoc {i}\nEOF",
)


def generate(count: int = 10_000) -> str:
    lines = ["# syntax=docker/dockerfile:1", "FROM alpine AS base"]
    n = 1
    i = 0
    while n < count:
        line = _TEMPLATES[i % len(_TEMPLATES)].format(i=i)
        i += 1
        lines.append(line)
        if not line.startswith("#"):
            n += 1
    return "\n".join(lines) + "\n"


def run(repeat: int = 15) -> None:
    import statistics

    from frontend.language import parse_dockerfile

    text = generate()
    parse_dockerfile(text)  # warm-up
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        df = parse_dockerfile(text)
        times.append(time.perf_counter() - start)
    best = min(times)
    median = statistics.median(times)
    count = len(df.instructions)
    print(
        f"parse: {count} instructions in {best * 1000:.1f} ms best, "
        f"{median * 1000:.1f} ms median (of {repeat})"
    )
    print(f"parse: {count / best:,.0f} instructions/s (target: under 100 ms)")


if __name__ == "__main__":
    run()
