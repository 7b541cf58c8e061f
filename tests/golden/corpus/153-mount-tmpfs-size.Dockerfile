FROM python:3.12
RUN --mount=type=tmpfs,target=/tmp,size=512m \
    --mount=type=tmpfs,target=/root/.cache/ \
    pip download --no-deps -d /tmp/wheels numpy && ls /tmp/wheels
RUN --mount=type=tmpfs,dst=/scratch/ dd if=/dev/zero of=/scratch/blob bs=1M count=10
