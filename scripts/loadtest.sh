#!/usr/bin/env bash
# A small closed-loop load for capacity planning: posts UTKFace crops to POST /v1/age from
# CONCURRENCY parallel curl clients until REQUESTS are done, then prints requests/s and status counts.
# Usage: scripts/loadtest.sh [URL] [REQUESTS] [CONCURRENCY] [QUERY]
#   e.g. scripts/loadtest.sh http://127.0.0.1:8080 400 8 'align=mtcnn'
set -euo pipefail

url="${1:-http://127.0.0.1:8080}"
requests="${2:-400}"
concurrency="${3:-8}"
query="${4:-}"
images="${IMAGES:-../shared/data/utkface/images}"

command -v curl >/dev/null 2>&1 || { echo "loadtest: curl not found" >&2; exit 1; }
[[ -d "$images" ]] || { echo "loadtest: no image folder $images (set IMAGES=...)" >&2; exit 1; }

list="$(mktemp)"
trap 'rm -f "$list" "$list.codes"' EXIT
# the first 200 photos, repeated until there are REQUESTS lines
mapfile -t files < <(find "$images" -maxdepth 1 -name '*.jpg' | sort | head -200)
[[ ${#files[@]} -gt 0 ]] || { echo "loadtest: no .jpg in $images" >&2; exit 1; }
for ((i = 0; i < requests; i++)); do echo "${files[i % ${#files[@]}]}"; done >"$list"

start=$(date +%s.%N)
xargs -P "$concurrency" -I{} curl -s -o /dev/null -w '%{http_code}\n' \
    -H 'Content-Type: image/jpeg' --data-binary @{} "$url/v1/age${query:+?$query}" <"$list" >"$list.codes"
end=$(date +%s.%N)

awk -v s="$start" -v e="$end" -v n="$requests" -v c="$concurrency" 'BEGIN {
  printf "requests=%d concurrency=%d seconds=%.1f requests_per_second=%.1f\n", n, c, e - s, n / (e - s) }'
sort "$list.codes" | uniq -c | awk '{ printf "status %s: %d\n", $2, $1 }'
