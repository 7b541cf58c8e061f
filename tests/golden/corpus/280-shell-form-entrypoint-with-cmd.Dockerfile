FROM redis:7
SHELL ["/bin/bash", "-c"]
ENTRYPOINT redis-server --appendonly yes
CMD ["--maxmemory", "256mb"]
ONBUILD ENTRYPOINT ["redis-server"]
