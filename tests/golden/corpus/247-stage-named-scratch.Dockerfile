FROM alpine AS scratch
RUN echo reserved
