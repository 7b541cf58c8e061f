FROM nginx:alpine AS with-shell-check
HEALTHCHECK --interval=1m30s --timeout=10s --retries=5 CMD wget -qO- http://localhost/ || exit 1

FROM nginx:alpine AS with-exec-check
HEALTHCHECK --start-period=2m --start-interval=5s CMD ["wget", "-qO-", "http://localhost/"]

FROM with-exec-check AS disabled
HEALTHCHECK NONE

FROM alpine AS override
HEALTHCHECK CMD true
HEALTHCHECK --interval=5s CMD test -f /ready
