FROM sphinxdoc/sphinx:7.3.7 AS docs
WORKDIR /docs
COPY docs/requirements.txt ./
RUN pip3 install -r requirements.txt
COPY docs/ ./
RUN make html SPHINXOPTS="-W --keep-going"
FROM scratch AS html
COPY --from=docs /docs/_build/html/ /
