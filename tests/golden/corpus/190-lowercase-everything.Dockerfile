arg base=alpine:3.20
from ${base} as build
workdir /w
copy . .
run echo build > /out
env mode=prod
label owner=team-a
from ${base}
copy --from=build /out /out
expose 8000
user nobody
healthcheck cmd ["true"]
entrypoint ["cat"]
cmd ["/out"]
