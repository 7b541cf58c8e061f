FROM ocaml/opam:debian-12-ocaml-5.1 AS build
RUN sudo apt-get update && sudo apt-get install -y pkg-config libgmp-dev
WORKDIR /home/opam/app
COPY --chown=opam *.opam ./
RUN opam install --deps-only -y .
COPY --chown=opam . .
RUN opam exec -- dune build --profile release ./bin/main.exe
FROM debian:12-slim
COPY --from=build /home/opam/app/_build/default/bin/main.exe /usr/local/bin/app
ENTRYPOINT ["app"]
