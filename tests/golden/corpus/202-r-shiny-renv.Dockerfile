FROM rocker/r-ver:4.4.0
RUN apt-get update && apt-get install -y libcurl4-openssl-dev libssl-dev libxml2-dev && rm -rf /var/lib/apt/lists/*
ENV RENV_VERSION=1.0.7 RENV_PATHS_CACHE=/renv/cache
RUN R -e "install.packages('remotes', repos = c(CRAN = 'https://cloud.r-project.org'))" \
 && R -e "remotes::install_github('rstudio/renv@v${RENV_VERSION}')"
WORKDIR /project
COPY renv.lock renv.lock
RUN --mount=type=cache,target=/renv/cache R -e "renv::restore()"
COPY app/ ./app/
EXPOSE 3838
CMD ["R", "-e", "shiny::runApp('/project/app', host='0.0.0.0', port=3838)"]
