FROM ubuntu:22.04
ARG GCC_ARM_VERSION=13.2.rel1
ARG HOST_ARCH=x86_64
ADD https://developer.arm.com/-/media/Files/downloads/gnu/${GCC_ARM_VERSION}/binrel/arm-gnu-toolchain-${GCC_ARM_VERSION}-${HOST_ARCH}-arm-none-eabi.tar.xz /opt/
ENV PATH=/opt/arm-gnu-toolchain-${GCC_ARM_VERSION}-${HOST_ARCH}-arm-none-eabi/bin:$PATH
RUN apt-get update && apt-get install -y make cmake python3 openocd && rm -rf /var/lib/apt/lists/*
WORKDIR /firmware
CMD ["make", "-j", "all"]
