FROM --platform=linux/amd64/v99/extra alpine
RUN echo x
