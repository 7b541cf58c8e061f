FROM alpine
# comment before entrypoint
ENTRYPOINT [ \
  "/bin/sh", \
  # comment inside json continuation
  "-c" \
]
CMD [ "echo $HOME" ]
