FROM centos:7
MAINTAINER Jane Doe <jane@example.com>
RUN yum -y install httpd && yum clean all
EXPOSE 80
CMD ["/usr/sbin/httpd", "-D", "FOREGROUND"]
