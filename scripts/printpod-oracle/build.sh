#!/bin/bash
# scripts/printpod-oracle/build.sh VERSION OUT: builds the printPod oracle against the kubectl printer of one
# Kubernetes release (VERSION = a tag such as v1.34.3, or a minor such as 1.34, which means the patch
# release named in PATCH below), into the binary OUT. go.mod here pins v1.37.2; for another release this
# copies the folder to a temporary directory and points k8s.io/kubernetes and every staging module it
# replaces (k8s.io/api, k8s.io/apimachinery, ... as that release's own go.mod lists them) at that release.
# Needs Go and the module proxy (or a module cache holding those releases). A developer check, not CI.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
V=${1:?usage: build.sh VERSION OUT}
OUT=$(realpath -m "${2:?usage: build.sh VERSION OUT}")
declare -A PATCH=([1.28]=v1.28.15 [1.29]=v1.29.15 [1.30]=v1.30.14 [1.31]=v1.31.14 [1.32]=v1.32.13
                  [1.33]=v1.33.13 [1.34]=v1.34.3 [1.35]=v1.35.4 [1.36]=v1.36.3 [1.37]=v1.37.2)
[[ $V == v* ]] || V=${PATCH[$V]:?"no patch release known for $V (give a tag, e.g. v1.34.3)"}
STAGING=v0.${V#v1.}
export GOFLAGS=-mod=mod
if [[ $V == v1.37.2 ]]; then (cd "$HERE" && go build -o "$OUT" .); exit 0; fi
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
cp "$HERE/main.go" "$TMP/"
MODDIR=$(go mod download -json "k8s.io/kubernetes@$V" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
{
  echo "module podsim/printpod-oracle"
  echo
  echo "go 1.26.0"
  echo
  echo "require k8s.io/kubernetes $V"
  echo
  echo "replace ("
  sed -n 's|^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*$|\1|p' "$MODDIR/go.mod" | while read -r m; do
    echo "	$m => $m $STAGING"
  done
  echo ")"
} > "$TMP/go.mod"
(cd "$TMP" && go mod tidy >/dev/null 2>&1 || true; go build -o "$OUT" .)
