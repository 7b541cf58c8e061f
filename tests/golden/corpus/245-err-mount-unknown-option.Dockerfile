FROM alpine
RUN --mount=type=secret,id=x,flavour=spicy cat /run/secrets/x
