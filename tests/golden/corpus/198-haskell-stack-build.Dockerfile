FROM haskell:9.6-slim AS build
WORKDIR /opt/app
RUN cabal update
COPY ./app.cabal /opt/app/app.cabal
RUN --mount=type=cache,target=/root/.cabal/store cabal build --only-dependencies -j4
COPY . /opt/app
RUN --mount=type=cache,target=/root/.cabal/store cabal install --installdir=/opt/bin --install-method=copy

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y libgmp10 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/bin/app /usr/local/bin/app
CMD ["app"]
