FROM python:3.8-slim-buster
ENV PIP_NO_CACHE_DIR=off \
    PIP_DISABLE_PIP_VERSION_CHECK=on \
    PIPENV_HIDE_EMOJIS=true
RUN pip install pipenv==2023.12.1
WORKDIR /opt/svc
COPY Pipfile Pipfile.lock /opt/svc/
RUN pipenv install --system --deploy --ignore-pipfile
COPY . /opt/svc
CMD ["python", "-m", "svc"]
