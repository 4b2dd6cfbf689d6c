#!/usr/bin/env bash
# scripts/docs-images.sh: redraws the timeline images of the README (docs/images/*.svg and *.png) from
# their scenarios with the built podsim (./scripts/bootstrap.sh builds it). PNGs need rsvg-convert
# (Debian package librsvg2-bin, installed by bootstrap.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -x build/podsim ]] || { echo "docs-images: build/podsim is missing; run ./scripts/bootstrap.sh first" >&2; exit 1; }
mkdir -p docs/images

draw() {  # draw NAME SCENARIO
  ./build/podsim run "$2" --output svg > "docs/images/$1.svg"
  rsvg-convert --output "docs/images/$1.png" "docs/images/$1.svg"
  echo "docs/images/$1.svg and .png from $2"
}

draw myapp-pod scenarios/course/myapp-pod-services.yaml
draw r1-web-pod scenarios/bench/r1-web-pod.yaml
draw eight-containers docs/examples/eight-containers.yaml
