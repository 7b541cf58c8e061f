FROM python:3.12-alpine
ARG PORT=8000
ENV PORT=${PORT}
CMD python -m http.server $PORT
ENTRYPOINT ["sh", "-c", "exec \"$@\"", "--"]
