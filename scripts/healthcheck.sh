#!/usr/bin/env bash
# The image's HEALTHCHECK: healthy when the readiness group answers 200. Plain bash (/dev/tcp), so the
# runtime image needs no curl or wget.
set -euo pipefail
port="${SERVER_PORT:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 3 status <&3
[[ "$status" == *" 200 "* ]]
