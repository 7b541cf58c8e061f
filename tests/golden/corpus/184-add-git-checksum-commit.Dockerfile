# syntax=docker/dockerfile:1.7
FROM alpine
ADD --checksum=5f1a6b7e8d9c0a1b2c3d4e5f60718293a4b5c6d7 https://github.com/acme/app.git#v1.0.0 /src/app
ADD https://gitlab.com/gitlab-org/gitlab-runner.git#v17.0.0 /src/runner
RUN ls /src/app /src/runner
