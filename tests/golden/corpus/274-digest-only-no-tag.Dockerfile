FROM ubuntu@sha256:c7cb3ec18a0221213daf0c673f86a38ddf58fb46b793a64101aae015e48d242f
RUN apt-get update
FROM registry.example.com:5000/team/base@sha256:7c6ea1e64bfac54b65b0d76621488914c1bfadc8941ce40f11719833e4f47442 AS private
COPY --from=0 /etc/os-release /ubuntu-release
