# syntax=docker/dockerfile:1
FROM python:3.12-alpine
RUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2
first file content
$HOME
FILE1
second file
FILE2
RUN python3 <<PY
import os, json
print(json.dumps({"home": os.environ.get("HOME")}))
PY
COPY <<A <<B /etc/
a-content
A
b-content
B
