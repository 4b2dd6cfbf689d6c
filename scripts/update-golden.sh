#!/usr/bin/env bash
# scripts/update-golden.sh [NAME...]: re-record the golden traces tests/golden/NAME.jsonl (all of them, or the named
# ones) from `podsim run SCENARIO --output jsonl EXTRA...` as tests/golden/MANIFEST lists them, run from the source
# root. Prints which goldens changed and a diffstat of the change; unchanged goldens are left untouched.
#
# Re-record only on purpose, when a trace is meant to change, and say why in the commit message (see
# tests/golden/README.md). The binary is $PODSIM, or build/podsim by default.
#
# Exit 0 when every golden was recorded (changed or not); 2 on a usage error or a run that failed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PODSIM=${PODSIM:-$ROOT/build/podsim}
MANIFEST=$ROOT/tests/golden/MANIFEST
[[ -x $PODSIM ]] || { echo "update-golden.sh: no podsim binary at $PODSIM (build it, or set PODSIM)" >&2; exit 2; }
PODSIM=$(readlink -f "$PODSIM")

# name -> "scenario args..." from the manifest (comments and blank lines skipped), in manifest order.
declare -A ENTRY=()
ORDER=()
while read -r name scenario rest; do
  [[ -z ${name:-} || $name == \#* ]] && continue
  ENTRY[$name]="$scenario ${rest:-}"
  ORDER+=("$name")
done < "$MANIFEST"

if (($# > 0)); then
  for n in "$@"; do
    [[ -n ${ENTRY[$n]+x} ]] || { echo "update-golden.sh: $n is not in tests/golden/MANIFEST" >&2; exit 2; }
  done
  NAMES=("$@")
else
  NAMES=("${ORDER[@]}")
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
changed=() added=()
total_add=0 total_del=0
# diffstat OLD NEW GOLDEN: one line "GOLDEN | +A -D" (lines added and removed), and the running totals.
diffstat() {
  local a d
  read -r a d _ < <(git diff --no-index --numstat -- "$1" "$2" || true)
  echo "  $3 | +${a:-0} -${d:-0}"
  total_add=$((total_add + ${a:-0})) total_del=$((total_del + ${d:-0}))
}
cd "$ROOT"
for n in "${NAMES[@]}"; do
  # shellcheck disable=SC2086  # the manifest's extra args are split on purpose
  set -- ${ENTRY[$n]}
  scenario=$1; shift
  if ! "$PODSIM" run "$scenario" --output jsonl "$@" > "$TMP/$n.jsonl" 2> "$TMP/$n.err"; then
    echo "update-golden.sh: podsim run $scenario --output jsonl $* failed:" >&2
    cat "$TMP/$n.err" >&2
    exit 2
  fi
  golden=tests/golden/$n.jsonl
  if [[ ! -f $golden ]]; then
    added+=("$n")
    diffstat /dev/null "$TMP/$n.jsonl" "$golden (new)"
    cp "$TMP/$n.jsonl" "$golden"
  elif ! cmp -s "$TMP/$n.jsonl" "$golden"; then
    changed+=("$n")
    diffstat "$golden" "$TMP/$n.jsonl" "$golden"
    cp "$TMP/$n.jsonl" "$golden"
  fi
done

echo "recorded ${#NAMES[@]} golden(s) with $PODSIM: ${#changed[@]} changed, ${#added[@]} new" \
  "(+$total_add -$total_del lines)"
((${#changed[@]})) && printf '  changed: %s\n' "${changed[@]}"
((${#added[@]})) && printf '  new:     %s\n' "${added[@]}"
if ((${#changed[@]} + ${#added[@]})); then
  echo "Review with: git diff -- tests/golden; commit with the reason for the change in the message."
fi
exit 0
