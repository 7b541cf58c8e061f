FROM continuumio/miniconda3:24.1.2-0 AS conda
WORKDIR /env
COPY environment.yml .
RUN conda env create -f environment.yml -p /opt/env && conda clean -afy
SHELL ["conda", "run", "-p", "/opt/env", "/bin/bash", "-c"]
RUN python -c "import numpy; print(numpy.__version__)"
COPY . /code
WORKDIR /code
ENTRYPOINT ["conda", "run", "--no-capture-output", "-p", "/opt/env", "python", "run.py"]
