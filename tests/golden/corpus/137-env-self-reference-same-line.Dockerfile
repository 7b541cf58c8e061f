FROM alpine
ENV A=1
ENV A=2 B=$A C=${A}x
ENV PATH=$PATH:/custom/bin
ENV D=${B:-unset}
RUN echo $A $B $C $D > /vals
LABEL values="a=$A b=$B c=$C"
