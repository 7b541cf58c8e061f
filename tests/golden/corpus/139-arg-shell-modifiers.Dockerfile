FROM busybox
ARG IMAGE_TAG=v1.2.3-rc1
ARG REPO=github.com/acme/project.git
ARG EMPTY
ARG SET=yes
ENV VERSION=${IMAGE_TAG#v}
ENV MAJOR=${IMAGE_TAG%%.*}
ENV NO_RC=${IMAGE_TAG%-rc*}
ENV REPO_NAME=${REPO##*/}
ENV BARE=${REPO%.git}
ENV SLUG=${REPO/\//-}
ENV ALL_SLASHES=${REPO//\//_}
ENV DEF=${EMPTY:-fallback} ALT=${SET:+was-set} NOALT=${EMPTY:+never}
ENV DEF2=${EMPTY-dash-only}
LABEL version=$VERSION major=$MAJOR norc=$NO_RC name=$REPO_NAME bare=$BARE slug=$SLUG all=$ALL_SLASHES
RUN env | sort
