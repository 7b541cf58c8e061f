FROM alpine
HEALTHCHECK --interval=5s CMD-SHELL test -f /ready
