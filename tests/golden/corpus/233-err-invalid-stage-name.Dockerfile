FROM alpine AS my_stage!
RUN echo x
