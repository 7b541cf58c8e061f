# syntax=docker/dockerfile:1.6
FROM python:3.12-slim AS src
ADD https://github.com/psf/requests.git#v2.31.0 /src/requests
ADD --keep-git-dir=true https://github.com/pallets/flask.git#3.0.3 /src/flask
RUN pip install /src/requests /src/flask
