FROM alpine
RUN --network=bridge wget -q http://example.com
