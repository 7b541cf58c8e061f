FROM alpine
ADD --checksum=sha256:4e88fda8261444f4b40e529cb181e3064397320287752a04ddaf9f01ff0db2c7 local.tar.gz /opt/
