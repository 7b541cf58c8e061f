FROM alpine AS
RUN true
