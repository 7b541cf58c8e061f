# syntax=docker/dockerfile:1.7
# check=skip=JSONArgsRecommended,StageNameCasing;error=false
FROM alpine
CMD echo "shell form CMD is fine here"
