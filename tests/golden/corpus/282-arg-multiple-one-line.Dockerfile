ARG A=1 B=2 C
FROM alpine
ARG A B=override C=3 D
RUN echo "$A $B $C $D"
ENV X="${A}${B}" Y=${C:-none}
