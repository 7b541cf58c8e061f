# no base image
ARG VERSION=1
RUN echo $VERSION
CMD ["sh"]
