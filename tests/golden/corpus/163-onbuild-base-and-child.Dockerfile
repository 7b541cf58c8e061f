FROM python:3.12-slim AS onbuild-base
WORKDIR /usr/src/app
ONBUILD ARG PIP_INDEX_URL
ONBUILD COPY requirements.txt /usr/src/app/
ONBUILD RUN pip install --no-cache-dir -r requirements.txt
ONBUILD COPY . /usr/src/app
ONBUILD ENV APP_BUILT=1

FROM onbuild-base AS app
CMD ["python", "main.py"]

FROM app AS app-debug
RUN pip install debugpy
CMD ["python", "-m", "debugpy", "--listen", "0.0.0.0:5678", "main.py"]
