FROM nickblah/lua:5.4-luarocks-alpine
RUN apk add --no-cache gcc musl-dev make openssl-dev
COPY app-dev-1.rockspec /app/
WORKDIR /app
RUN luarocks install --only-deps app-dev-1.rockspec
COPY . .
CMD ["lua", "main.lua"]
