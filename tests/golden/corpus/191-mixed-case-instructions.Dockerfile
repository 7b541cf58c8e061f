From debian:12 As Base
Run apt-get update
Env Foo=bar
WorkDir /opt
Copy --chown=0:0 files/ ./

fRoM debian:12-slim aS Final
CopY --from=Base /etc/os-release /os-release
Cmd ["bash"]
