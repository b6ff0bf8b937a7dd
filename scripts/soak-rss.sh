#!/usr/bin/env bash
# Resident memory of the service under align=mtcnn: starts target/dldl-age.jar (heap capped at 256 MiB, so
# growth beyond it is native), posts every FG-NET photo in turn from two concurrent clients and prints the
# process's RSS and the mean latency of the last 200 requests, every 200 requests. The service inherits this
# shell's environment, so allocators can be compared:
#   scripts/soak-rss.sh 2000
#   LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=background_thread:true,narenas:2 scripts/soak-rss.sh 2000
# Usage: scripts/soak-rss.sh [REQUESTS] [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."

requests="${1:-1000}"
port="${2:-18099}"
images="${IMAGES:-../shared/data/fgnet/images}"
[[ -f target/dldl-age.jar ]] || { echo "soak: no target/dldl-age.jar (./mvnw -B package -DskipTests)" >&2; exit 1; }
[[ -d "$images" ]] || { echo "soak: no image folder $images (set IMAGES=...)" >&2; exit 1; }
mapfile -t files < <(find "$images" -maxdepth 1 -iname '*.jpg' | sort)
[[ ${#files[@]} -gt 1 ]] || { echo "soak: fewer than two .jpg in $images" >&2; exit 1; }

log="$(mktemp)"
lat="$(mktemp)"
java -Xmx256m -jar target/dldl-age.jar --server.port="$port" --server.address=127.0.0.1 >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$log" "$lat"' EXIT
for _ in $(seq 1 180); do
  curl -sf "127.0.0.1:$port/actuator/health/readiness" >/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "soak: the service exited; its log:" >&2; cat "$log" >&2; exit 1; }
  sleep 1
done
rss() { awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status"; }
grep -o 'native allocator: [^:]*' "$log" | head -1 || true
echo "requests=0 rss_mib=$(rss)"

post() {
  curl -s -o /dev/null -w '%{time_total}\n' -H 'Content-Type: image/jpeg' --data-binary "@$1" \
      "127.0.0.1:$port/v1/age?align=mtcnn" >>"$lat"
}
half=$(( ${#files[@]} / 2 ))
for ((i = 0; 2 * i < requests; i++)); do
  post "${files[i % ${#files[@]}]}" &
  other=$!
  post "${files[(i + half) % ${#files[@]}]}"
  wait "$other"
  if (( (2 * (i + 1)) % 200 == 0 )); then
    mean=$(tail -200 "$lat" | awk '{ s += $1 } END { printf "%.0f", 1000 * s / NR }')
    echo "requests=$(( 2 * (i + 1) )) rss_mib=$(rss) mean_ms=$mean"
  fi
done
