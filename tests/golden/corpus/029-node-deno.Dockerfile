FROM denoland/deno:alpine-1.43.1
ARG PORT=8000
EXPOSE ${PORT}
WORKDIR /app
USER deno
COPY deps.ts .
RUN deno cache deps.ts
ADD . .
RUN deno cache main.ts
CMD ["run", "--allow-net", "--allow-env", "main.ts"]
