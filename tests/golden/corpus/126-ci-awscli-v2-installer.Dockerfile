FROM amazonlinux:2023 AS installer
ARG AWSCLI_VERSION=2.15.58
RUN dnf install -y unzip
ADD https://awscli.amazonaws.com/awscli-exe-linux-x86_64-${AWSCLI_VERSION}.zip /tmp/awscli.zip
RUN unzip -q /tmp/awscli.zip -d /tmp && /tmp/aws/install --bin-dir /aws-cli-bin/

FROM amazonlinux:2023
COPY --from=installer /usr/local/aws-cli/ /usr/local/aws-cli/
COPY --from=installer /aws-cli-bin/ /usr/local/bin/
WORKDIR /aws
ENTRYPOINT ["/usr/local/bin/aws"]
