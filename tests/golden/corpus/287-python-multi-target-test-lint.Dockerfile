ARG PY=3.12
FROM python:${PY}-slim AS Base
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
COPY requirements*.txt ./
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt

FROM base AS Test
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements-dev.txt
COPY . .
RUN pytest -q

FROM test AS LINT
RUN ruff check . && mypy src

FROM base AS Prod
COPY src/ src/
USER nobody
CMD ["python", "-m", "src"]
