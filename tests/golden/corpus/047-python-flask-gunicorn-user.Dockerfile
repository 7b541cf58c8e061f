FROM python:3.9-alpine3.19
RUN addgroup -S flask && adduser -S flask -G flask
WORKDIR /home/flask/app/
COPY --chown=flask:flask requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=flask:flask . .
USER flask:flask
ENV FLASK_APP=app.py FLASK_RUN_HOST=0.0.0.0
EXPOSE 5000
ENTRYPOINT ["gunicorn"]
CMD ["-w", "4", "-b", "0.0.0.0:5000", "app:app"]
