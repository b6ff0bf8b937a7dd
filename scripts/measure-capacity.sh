#!/usr/bin/env bash
# Capacity numbers for README, Operations: starts the packaged jar with the image's JVM memory bounds
# (the -X options of the Dockerfile's JAVA_TOOL_OPTIONS) and allocator, reads its resident set from /proc
# (to compare with the container limit LIMIT you plan), runs
# scripts/loadtest.sh at the default settings (align=mtcnn) and with align=none, then stops the jar.
# Usage: scripts/measure-capacity.sh [LIMIT=2g] [PORT=18080]   (after ./mvnw -B package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."

limit="${1:-2g}"
port="${2:-18080}"
url="http://127.0.0.1:$port"
log="$(mktemp)"

# the image's allocator: jemalloc where Debian's libjemalloc2 is installed, else glibc with two arenas
jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [[ -f "$jemalloc" ]]; then
  export LD_PRELOAD="$jemalloc" MALLOC_CONF=background_thread:true,narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0,oversize_threshold:0
else
  export MALLOC_ARENA_MAX=2
fi
# the image's heap, direct-memory, metaspace and code-cache bounds, read from the Dockerfile so they cannot drift
mapfile -t jvm < <(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\([^"]*\)"$/\1/p' Dockerfile | tr ' ' '\n' | grep -- '^-X')
java "${jvm[@]}" -jar target/dldl-age.jar --server.address=127.0.0.1 --server.port="$port" \
    --age.model.path=model-store/utk-appa-aaf-tinyagenet-64 >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$log"' EXIT

for _ in $(seq 1 180); do
  curl -sf "$url/actuator/health/readiness" >/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "measure: the jar exited:" >&2; tail -5 "$log" >&2; exit 1; }
  sleep 1
done
rss() { awk -v k="$1" '$1 == k":" { printf "%.2f GiB", $2 / 1048576 }' "/proc/$pid/status"; }
heap() {
  curl -s "$url/actuator/prometheus" | awk '/^jvm_memory_used_bytes\{area="heap"/ { s += $NF } END { printf "%.2f GiB", s / 1073741824 }'
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); limit $limit; ${LD_PRELOAD:+jemalloc}${MALLOC_ARENA_MAX:+glibc, MALLOC_ARENA_MAX=2}"
echo "ready: RSS $(rss VmRSS), heap used $(heap)"
scripts/loadtest.sh "$url" 600 8
scripts/loadtest.sh "$url" 600 16 'align=none'
scripts/loadtest.sh "$url" 300 32
echo "after load: RSS $(rss VmRSS), peak RSS $(rss VmHWM), heap used $(heap)"
echo "load average now $(cut -d' ' -f1-3 /proc/loadavg)"
