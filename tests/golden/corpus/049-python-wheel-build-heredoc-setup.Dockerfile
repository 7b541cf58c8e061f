# syntax=docker/dockerfile:1.4
FROM python:3.12 AS wheel
WORKDIR /pkg
COPY <<EOF pyproject.toml
[build-system]
requires = ["setuptools>=68", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "hello-pkg"
version = "${VERSION:-0.1.0}"
EOF
COPY <<-"EOF" hello/__init__.py
	def main():
	    print("hello from $HOME")
EOF
RUN pip wheel --no-deps -w /dist .

FROM scratch AS dist
COPY --from=wheel /dist/ /
