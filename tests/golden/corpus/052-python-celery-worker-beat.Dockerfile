FROM python:3.11-slim AS app
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .

FROM app AS worker
ENV C_FORCE_ROOT=false
USER nobody
CMD ["celery", "-A", "proj", "worker", "--loglevel=INFO", "--concurrency=4"]

FROM app AS beat
USER nobody
CMD ["celery", "-A", "proj", "beat", "--loglevel=INFO", "--schedule=/tmp/celerybeat-schedule"]

FROM app AS web
EXPOSE 8000
CMD ["uvicorn", "proj.asgi:application", "--host", "0.0.0.0"]
