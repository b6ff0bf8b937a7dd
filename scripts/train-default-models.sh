#!/usr/bin/env bash
# The default models' recipe, step by step (issue 15): every set through MTCNN as the service sees it,
# a short comparison of both networks at two sizes, the long runs, then calibration and the reports.
# Each step resumes: detections are cached (~/.cache/dldl-age) and runs live outside the checkout
# (RUNS, default ~/.cache/dldl-age/runs), so a later session on the same machine continues them.
#   scripts/train-default-models.sh prepare|compare|long ARCH SIZE EPOCHS NAME|publish NAME|report NAME
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data}
# JAR: a copy keeps a run safe from the next ./mvnw package; JAVA_OPTS e.g. -Dai.djl.pytorch.num_threads=1
# for two runs side by side on two cores
JAR=${JAR:-target/dldl-age.jar}
RUNS=${RUNS:-$HOME/.cache/dldl-age/runs}
# shellcheck disable=SC2206 # JAVA_OPTS is a list of JVM flags
JAVA=(java -Xmx8g ${JAVA_OPTS:-} -jar "$JAR")
SETS=(
  --train.sets[0].name=utkface "--train.sets[0].data=$DATA/utkface"
  "--train.sets[0].licence=UTKFace: non-commercial research use only, inherited by these weights"
  --train.sets[1].name=appa-real "--train.sets[1].data=$DATA/appa-real"
  "--train.sets[1].licence=ChaLearn LAP 2016 (APPA-REAL): research use"
  --train.sets[2].name=aaf "--train.sets[2].data=$DATA/aaf"
  "--train.sets[2].licence=All-Age-Faces: research use (cite Cheng et al. 2019)"
)
# the authors' recipe (DLDL loss, σ = 2 or the votes' std, Δl = 1) plus a framing jitter for users' own crops,
# and batch-norm statistics measured again on 10,240 clean training faces before each validation
RECIPE=(--train.method=dldl --train.frame-jitter=0.15 --train.bn-recalibration-faces=10240)

train() { # ARCH SIZE EPOCHS STEP OUT [extra...]
  local arch=$1 size=$2 epochs=$3 step=$4 out=$5; shift 5
  local resume=false
  [ -f "$out/checkpoint/state.json" ] && resume=true
  "${JAVA[@]}" --spring.profiles.active=trainer "${SETS[@]}" "${RECIPE[@]}" --train.arch="$arch" \
    --train.input-size="$size" --train.epochs="$epochs" --train.lr-step-epochs="$step" \
    --train.output="$out" --train.resume=$resume "$@" &
  # TRAIN_PID_FILE: where to note the running trainer's PID (to pause it for a quiet benchmark)
  [ -n "${TRAIN_PID_FILE:-}" ] && echo $! > "$TRAIN_PID_FILE"
  wait $!
}

case "${1:-}" in
  prepare) # detection runs fastest with one engine thread per core
    java -Xmx8g -Dai.djl.pytorch.num_threads=1 -jar "$JAR" --spring.profiles.active=trainer "${SETS[@]}" \
      --train.prepare-only=true --train.output="$RUNS/prepare"
    ;;
  compare) # the same 6,000 random training faces, 3 epochs, for each network and size
    for cfg in tiny:64 tiny:96 thin:64 thin:96; do
      train "${cfg%:*}" "${cfg#*:}" 3 2 "$RUNS/compare-${cfg%:*}-${cfg#*:}" --train.limit=6000
    done
    # APPA-REAL (the judged domain, the smallest set) drawn twice per epoch
    train tiny 64 3 2 "$RUNS/compare-tiny-64-appa2" --train.limit=6000 --train.sets[1].weight=2
    ;;
  long)
    train "$2" "$3" "$4" "${STEP:-$(( $4 * 3 / 4 ))}" "$RUNS/$5" "${@:6}"
    ;;
  publish) # the kept epoch into model-store/ (without the checkpoint)
    mkdir -p "model-store/$2"
    for f in age.params model.json metrics.json training-curve.png; do
      [ -f "$RUNS/$2/$f" ] && cp "$RUNS/$2/$f" "model-store/$2/"
    done
    ;;
  report)
    "${JAVA[@]}" --spring.profiles.active=report --report.model="model-store/$2" \
      --report.sets[0].name=utkface "--report.sets[0].images=$DATA/utkface/images" "--report.sets[0].labels=$DATA/utkface/labels.csv" \
      --report.sets[0].split=val --report.sets[0].role=val "--report.sets[0].licence=UTKFace: non-commercial research use" \
      --report.sets[1].name=appa-real "--report.sets[1].images=$DATA/appa-real/images" "--report.sets[1].labels=$DATA/appa-real/labels.csv" \
      --report.sets[1].split=val --report.sets[1].role=val "--report.sets[1].licence=ChaLearn LAP 2016: research use" \
      --report.sets[2].name=aaf "--report.sets[2].images=$DATA/aaf/images" "--report.sets[2].labels=$DATA/aaf/labels.csv" \
      --report.sets[2].split=val --report.sets[2].role=val "--report.sets[2].licence=All-Age-Faces: research use" \
      --report.sets[3].name=utkface "--report.sets[3].images=$DATA/utkface/images" "--report.sets[3].labels=$DATA/utkface/labels.csv" \
      --report.sets[3].split=test --report.sets[3].role=test "--report.sets[3].licence=UTKFace: non-commercial research use" \
      --report.sets[4].name=fgnet "--report.sets[4].images=$DATA/fgnet/images" "--report.sets[4].labels=$DATA/fgnet/annotations.csv" \
      --report.sets[4].role=cross "--report.sets[4].licence=FG-NET: research use" \
      --report.sets[5].name=appa-real "--report.sets[5].images=$DATA/appa-real/images" "--report.sets[5].labels=$DATA/appa-real/labels.csv" \
      --report.sets[5].split=val --report.sets[5].role=val --report.sets[5].align=none "--report.sets[5].licence=ChaLearn LAP 2016: research use"
    ;;
  *) echo "usage: $0 prepare|compare|long ARCH SIZE EPOCHS NAME|publish NAME|report NAME" >&2; exit 2 ;;
esac
