#!/usr/bin/env bash
# Runs the bats suite against $NOOK and ends with one summary line CI can read:
# "integration: N passed, N failed, N skipped". Exit status is bats's.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# A hung test fails by itself (bats's per-test timeout) and a hung setup or teardown ends the
# suite, instead of holding CI until its own limit; the suite takes minutes. bats writes to a
# file that is followed, not to a pipe: a process a test leaves behind holding the pipe would
# keep the reader (and CI) waiting for ever.
export BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-120}
timeout --kill-after=30 "${SUITE_TIMEOUT:-2400}" bats --timing "${@:-integration/}" >"$out" 2>&1 &
bats_pid=$!
tail -n +1 -f --pid="$bats_pid" "$out" &
wait "$bats_pid"
status=$?
wait
[ "$status" -ne 124 ] || echo "integration: the suite ran past ${SUITE_TIMEOUT:-2400}s"
skipped=$(grep -cE '^ok [0-9]+ .*# skip' "$out")
passed=$(( $(grep -cE '^ok [0-9]+' "$out") - skipped ))
failed=$(grep -cE '^not ok [0-9]+' "$out")
echo "integration: $passed passed, $failed failed, $skipped skipped"
exit "$status"
