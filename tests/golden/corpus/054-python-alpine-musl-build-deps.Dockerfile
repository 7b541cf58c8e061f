FROM python:3.12-alpine
RUN apk add --no-cache --virtual .build-deps gcc musl-dev libffi-dev openssl-dev cargo \
 && pip install --no-cache-dir cryptography==42.0.5 \
 && apk del .build-deps
RUN apk add --no-cache libffi openssl
WORKDIR /srv
COPY app.py .
CMD ["python", "/srv/app.py"]
