FROM alpine AS exec-both
ENTRYPOINT ["/bin/echo", "entry"]
CMD ["default", "args"]

FROM alpine AS shell-entry
ENTRYPOINT echo "shell entry" $HOME
CMD ["ignored"]

FROM exec-both AS reset-entry
ENTRYPOINT []
CMD []

FROM alpine AS json-with-spaces
CMD [ "sh" , "-c" , "echo \"quoted\" && sleep 1" ]

FROM alpine AS not-json
CMD [not, json]
