FROM localhost:5000/myorg/base:1.0 AS local
FROM registry.gitlab.com/group/subgroup/project/image:main AS gl
FROM public.ecr.aws/docker/library/alpine:3.20 AS ecr
FROM ghcr.io/owner/repo/sub-image:sha-abcdef0
COPY --from=local /x /x
COPY --from=gl /y /y
COPY --from=ecr /etc/alpine-release /
