#!/usr/bin/env bash
# Runs the bats suite against $NOOK and ends with one summary line CI can read:
# "integration: N passed, N failed, N skipped". Exit status is bats's.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
bats --timing "${@:-integration/}" | tee "$out"
status=${PIPESTATUS[0]}
skipped=$(grep -cE '^ok [0-9]+ .*# skip' "$out")
passed=$(( $(grep -cE '^ok [0-9]+' "$out") - skipped ))
failed=$(grep -cE '^not ok [0-9]+' "$out")
echo "integration: $passed passed, $failed failed, $skipped skipped"
exit "$status"
