# syntax=docker/dockerfile:1
FROM ubuntu:24.04
RUN <<EOF
#!/usr/bin/env bash
set -ex
for pkg in curl git vim; do
  echo "would install $pkg"
done
EOF
RUN <<'EOF'
#!/usr/bin/env python3
import sys
print("python via shebang", sys.version)
EOF
