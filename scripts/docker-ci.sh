#!/usr/bin/env bash
# The container checks that .ci/run runs before `./mvnw verify` (a developer can run them too, as root on
# a Debian machine):
#   1. a Docker engine: Debian's docker.io, installed and started here when none answers on DOCKER_HOST
#      (default /var/run/docker.sock; dockerd's log in target/dockerd.log);
#   2. local stand-ins for the Dockerfile's base images, built from Debian packages
#      (scripts/standin-base-images.sh), since Docker Hub is not reachable here; STANDIN=0 uses the public ones;
#   3. the cpu image, tagged $IMAGE (dldl-age:cpu), built with BuildKit from the jar already built on
#      this host (ARTIFACTS=local: needs ./mvnw -B package -DskipTests first), so no Maven runs in it;
#   4. docker compose: the service and Prometheus come up, the service healthy and scraped;
#   5. the Kubernetes overlays, rendered and validated (scripts/validate-k8s.sh).
# DockerImageIT then runs against $IMAGE. Grafana cannot be pulled here: compose starts it nowhere in CI.
# Usage: scripts/docker-ci.sh [engine|images|build|compose|k8s ...]   (default: all, in that order)
set -euo pipefail
cd "$(dirname "$0")/.."

image="${IMAGE:-dldl-age:cpu}"
steps=("$@")
[[ ${#steps[@]} -gt 0 ]] || steps=(engine images build compose k8s)
# BuildKit through the client that comes with Debian's engine: newer clients need the buildx plugin for it.
# Chosen again once engine() has installed docker.io, or a newer client elsewhere on PATH would be kept.
pick_client() {
  docker=docker
  [[ -x /usr/bin/docker ]] && docker=/usr/bin/docker
  return 0
}
pick_client
export DOCKER_BUILDKIT=1
if [[ "${STANDIN:-1}" == 1 ]]; then
  base_args=(--build-arg JRE_IMAGE=dldl-standin/jre:17 --build-arg JDK_IMAGE=dldl-standin/jdk:17
    --build-arg NODE_IMAGE=dldl-standin/node:bookworm)
  prometheus_image=dldl-standin/prometheus
else
  base_args=()
  prometheus_image=
fi
log() { echo "docker-ci: $*"; }
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

engine() {
  if ! command -v dockerd >/dev/null 2>&1; then
    log "installing Debian's docker.io, docker-compose and debootstrap"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends docker.io docker-compose debootstrap >/dev/null
    pick_client
  fi
  if "$docker" info >/dev/null 2>&1; then
    log "engine answering ($("$docker" version -f '{{.Server.Version}}'))"
    return
  fi
  local host=()
  [[ -n "${DOCKER_HOST:-}" ]] && host=(-H "$DOCKER_HOST")
  mkdir -p target
  log "starting dockerd (log: target/dockerd.log)"
  # its own session, so it outlives this script and Maven's run; .ci/run's machine is discarded after
  setsid dockerd "${host[@]}" >target/dockerd.log 2>&1 </dev/null &
  for _ in $(seq 60); do
    "$docker" info >/dev/null 2>&1 && { log "engine up"; return; }
    sleep 1
  done
  echo "docker-ci: dockerd did not answer within 60 s: $(tail -n 5 target/dockerd.log)" >&2
  exit 1
}

images() {
  [[ "${STANDIN:-1}" == 1 ]] || return 0
  DOCKER="$docker" scripts/standin-base-images.sh jre prometheus
}

build() {
  [[ -f target/dldl-age.jar ]] || { echo "docker-ci: target/dldl-age.jar missing: run ./mvnw -B package -DskipTests first" >&2; exit 1; }
  local t0
  t0=$(date +%s)
  log "building $image with BuildKit (ARTIFACTS=local)"
  "$docker" build -q --build-arg VARIANT=cpu --build-arg ARTIFACTS=local "${base_args[@]}" -t "$image" . >/dev/null
  log "built $image in $(elapsed "$t0"), $("$docker" image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1e6}')"
}

compose_cmd=(docker-compose -p dldl-age-ci)
compose() {
  local t0 health targets
  command -v docker-compose >/dev/null 2>&1 || { echo "docker-ci: docker-compose not found (apt-get install docker-compose)" >&2; exit 1; }
  t0=$(date +%s)
  export PROMETHEUS_IMAGE="${prometheus_image:-prom/prometheus:v2.53.2}" VARIANT=cpu DOCKER_HOST="${DOCKER_HOST:-}"
  [[ -n "$DOCKER_HOST" ]] || unset DOCKER_HOST
  # the image from step 3 (compose's own build would be the classic builder's); Grafana cannot be pulled
  "${compose_cmd[@]}" up -d --no-build dldl-age prometheus
  trap '"${compose_cmd[@]}" logs --no-color --tail=30 >&2 || true; "${compose_cmd[@]}" down -v >/dev/null 2>&1 || true' EXIT
  for _ in $(seq 90); do
    health=$("$docker" inspect -f '{{.State.Health.Status}}' "$("${compose_cmd[@]}" ps -q dldl-age)")
    [[ "$health" == healthy || "$health" == unhealthy ]] && break
    sleep 2
  done
  [[ "$health" == healthy ]] || { echo "docker-ci: compose service dldl-age is $health" >&2; exit 1; }
  log "compose: dldl-age healthy after $(elapsed "$t0")"
  for _ in $(seq 30); do
    targets=$(curl -fsS "http://127.0.0.1:${PROMETHEUS_PORT:-9090}/api/v1/targets" || true)
    [[ "$targets" == *'"health":"up"'* ]] && break
    sleep 2
  done
  [[ "$targets" == *'"job":"dldl-age"'*'"health":"up"'* ]] \
    || { echo "docker-ci: Prometheus does not scrape dldl-age: $targets" >&2; exit 1; }
  curl -fsS "http://127.0.0.1:${PROMETHEUS_PORT:-9090}/api/v1/rules" | grep -q '"name":"DldlAgeDown"' \
    || { echo "docker-ci: Prometheus has not loaded ops/prometheus/alerts.yml" >&2; exit 1; }
  log "compose: Prometheus scrapes dldl-age (target up) with the alert rules loaded"
  trap - EXIT
  "${compose_cmd[@]}" down -v >/dev/null 2>&1
}

for step in "${steps[@]}"; do
  case "$step" in
    engine | images | build | compose) "$step" ;;
    k8s) scripts/validate-k8s.sh ;;
    *) echo "docker-ci: unknown step $step (engine, images, build, compose, k8s)" >&2; exit 2 ;;
  esac
done
