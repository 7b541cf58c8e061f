FROM alpine
ADD https://github.com/acme/repo.git /r1
ADD https://github.com/acme/repo.git#refs/pull/42/head /r2
ADD https://github.com/acme/repo.git#:docs /r3
ADD git://git.example.org/project.git#stable /r4
ADD https://github.com/acme/repo#main /r5
ADD ssh://git@github.com:22/acme/repo.git /r6
