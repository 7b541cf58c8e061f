# This is a regular comment first
# escape=`
FROM alpine
RUN echo one \
    two
