FROM alpine:3.19
RUN apk add --no-cache \
    bash \

    curl \
    
    jq
ENV A=1 \

    B=2
LABEL x=1 \
   
      y=2
