FROM alpine
ADD --checksum=md5:d41d8cd98f00b204e9800998ecf8427e https://example.com/f.txt /f.txt
