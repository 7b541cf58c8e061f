FROM nginx
HEALTHCHECK --interval=10 CMD curl -f http://localhost/
