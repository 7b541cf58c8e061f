FROM erlang:26-alpine AS builder
RUN apk add --no-cache git
WORKDIR /buildroot
COPY rebar.config rebar.lock ./
RUN rebar3 compile
COPY src src
COPY config config
RUN rebar3 as prod release

FROM alpine:3.19
RUN apk add --no-cache openssl ncurses-libs libstdc++
COPY --from=builder /buildroot/_build/prod/rel/myapp /myapp
EXPOSE 8080
CMD ["/myapp/bin/myapp", "foreground"]
