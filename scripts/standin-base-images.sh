#!/usr/bin/env bash
# Builds local stand-ins for the Dockerfile's public base images, for machines that reach Debian's
# package mirror but not Docker Hub (this project's CI): a Debian bookworm root file system from
# debootstrap, imported with `docker import`, then
#   dldl-standin/jre:17         for eclipse-temurin:17-jre-jammy   (Debian's OpenJDK 17 JRE at /opt/java/openjdk)
#   dldl-standin/jdk:17         for eclipse-temurin:17-jdk-jammy   (the JDK, same path)
#   dldl-standin/node:bookworm  for node:20-bookworm-slim          (Debian's nodejs and npm)
#   dldl-standin/prometheus     for prom/prometheus                (Debian's prometheus, same entry point)
# Each trusts the host's certificate authorities, as a build behind a TLS-inspecting proxy needs.
# The mirror is the one this host's apt uses (read from its sources), so nothing here names a host.
# Usage: scripts/standin-base-images.sh [jre|jdk|node|prometheus ...]   (default: all; needs root, debootstrap, docker)
set -euo pipefail
cd "$(dirname "$0")/.."

# BuildKit through the client that comes with Debian's engine: newer clients need the buildx plugin for it
docker=docker
[[ -x /usr/bin/docker ]] && docker=/usr/bin/docker
docker="${DOCKER:-$docker}"
suite=bookworm
base="dldl-standin/debian:$suite"
wanted=("$@")
[[ ${#wanted[@]} -gt 0 ]] || wanted=(jre jdk node prometheus)

# The first http(s) mirror of the host's Debian suite (deb822 .sources files or one-line sources.list).
host_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    awk -v suite="$suite" '
      /^[[:space:]]*$/ { if (uri != "" && suites ~ ("(^| )" suite "( |$)")) { print uri; exit } uri = ""; suites = ""; next }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { $1 = ""; suites = $0 }
      END { if (uri != "" && suites ~ ("(^| )" suite "( |$)")) print uri }' "$f"
  done
  if [[ -f /etc/apt/sources.list ]]; then
    awk -v suite="$suite" '$1 == "deb" && $3 == suite { print $2 }' /etc/apt/sources.list
  fi
}

if ! "$docker" image inspect "$base" >/dev/null 2>&1; then
  mirror="$(host_mirror | grep -E '^https?://' | head -n 1 || true)"
  [[ -n "$mirror" ]] || { echo "standin: no http(s) mirror for $suite in this host's apt sources" >&2; exit 1; }
  command -v debootstrap >/dev/null 2>&1 || { echo "standin: debootstrap not found (apt-get install debootstrap)" >&2; exit 1; }
  rootfs="$(mktemp -d /var/tmp/dldl-standin.XXXXXX)"
  trap 'rm -rf "$rootfs"' EXIT
  echo "standin: debootstrap $suite (minbase) from the host's mirror"
  debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >/dev/null
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | "$docker" import -c 'CMD ["bash"]' - "$base" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
fi

# The host's extra certificate authorities (a TLS-inspecting proxy's among them), for update-ca-certificates.
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/ca"
cp /usr/local/share/ca-certificates/*.crt "$context/ca/" 2>/dev/null || true

# standin NAME TAG PACKAGES [EXTRA DOCKERFILE LINES]
standin() {
  local name="$1" tag="$2" packages="$3" extra="${4:-}"
  if "$docker" image inspect "$tag" >/dev/null 2>&1; then
    return
  fi
  echo "standin: building $tag ($packages)"
  cat >"$context/Dockerfile" <<EOF
FROM $base
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update \\
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates $packages \\
    && update-ca-certificates >/dev/null \\
    && rm -rf /var/lib/apt/lists/*
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
LABEL org.dldlage.standin="$name"
$extra
EOF
  DOCKER_BUILDKIT=1 "$docker" build -q -t "$tag" "$context" >/dev/null
}

java_home='RUN mkdir -p /opt/java && ln -s /usr/lib/jvm/java-17-openjdk-amd64 /opt/java/openjdk'
for w in "${wanted[@]}"; do
  case "$w" in
    jre) standin jre dldl-standin/jre:17 openjdk-17-jre-headless "$java_home" ;;
    jdk) standin jdk dldl-standin/jdk:17 openjdk-17-jdk-headless "$java_home" ;;
    node) standin node dldl-standin/node:$suite "nodejs npm" ;;
    prometheus) standin prometheus dldl-standin/prometheus prometheus \
      $'# Debian\'s build keeps its data in /var/lib/prometheus/metrics2 unless --storage.tsdb.path says otherwise\nRUN mkdir -p /prometheus && chown -R nobody /prometheus /var/lib/prometheus\nUSER nobody\nWORKDIR /prometheus\nENTRYPOINT ["/usr/bin/prometheus"]\nCMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' ;;
    *) echo "standin: unknown image $w (jre, jdk, node, prometheus)" >&2; exit 2 ;;
  esac
done
