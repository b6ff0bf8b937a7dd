#!/usr/bin/env bash
# Renders every overlay in k8s/overlays with kustomize and validates every object against the Kubernetes
# and prometheus-operator schemas (scripts/validate-k8s.mjs, with the kubernetes-models packages from npm:
# kubeconform and kubeval are published only as GitHub binaries, which this project's machines cannot
# reach). The schemas check types, required fields, enums and formats; they do not reject unknown fields.
# Usage: scripts/validate-k8s.sh   (needs npm and kubectl >= 1.21, or kustomize; .ci/run has them)
set -euo pipefail
cd "$(dirname "$0")/.."

tool=target/k8s-validate
if [[ ! -d "$tool/node_modules/kubernetes-models" ]]; then
  command -v npm >/dev/null 2>&1 || { echo "k8s: npm not found (apt-get install npm)" >&2; exit 1; }
  mkdir -p "$tool"
  npm install --silent --no-audit --no-fund --prefix "$tool" \
    kubernetes-models@5.1.0 @kubernetes-models/prometheus-operator@6.0.0 yaml@2.8.1 >/dev/null
fi
cp scripts/validate-k8s.mjs "$tool/"

if command -v kustomize >/dev/null 2>&1; then
  render=(kustomize build)
elif command -v kubectl >/dev/null 2>&1; then
  render=(kubectl kustomize)
else
  echo "k8s: neither kustomize nor kubectl found" >&2
  exit 1
fi

for overlay in k8s/overlays/*/; do
  name="$(basename "$overlay")"
  "${render[@]}" "$overlay" >"$tool/$name.yaml"
  node "$tool/validate-k8s.mjs" "$name" <"$tool/$name.yaml"
done
echo "k8s: every overlay rendered and valid (rendered manifests in $tool/)"
