#!/usr/bin/env bash
# fuzz.sh: runs each libFuzzer target (tests/fuzz/targets.h) for FUZZ_SECONDS (default 60),
# after replaying its kept regressions. Builds them with clang in FUZZ_BUILD (build-fuzz),
# installing clang and libFuzzer with apt-get if missing. Corpora grow under
# FUZZ_BUILD/corpus/TARGET, seeded from the repo's own configs and profiles; a crash leaves its
# input under FUZZ_BUILD/artifacts/TARGET and fails the run: fix it, then keep the input under
# tests/fuzz/regressions/TARGET/ so `make check` replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${FUZZ_BUILD:-build-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=(config process seccomp resources)

missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang CXX=clang++ meson setup "$BUILD" -Dfuzz=true -Dtests=false \
    -Db_sanitize=address,undefined -Db_lundef=false -Dcpp_args=-fsanitize=fuzzer-no-link
fi
ninja -C "$BUILD" "${TARGETS[@]/#/fuzz-}"

# seed TARGET DIR: the inputs nook ships or tests with, as a starting corpus.
seed() {
  local full=tests/fixtures/spec/config-full.json
  case $1 in
  config) cp tests/fixtures/spec/*.json "$2/" ;;
  process) jq .process "$full" >"$2/full.json" ;;
  seccomp) cp seccomp-profiles/*.json "$2/" ;;
  resources) jq .linux.resources "$full" >"$2/full.json" ;;
  esac
}

status=0
for t in "${TARGETS[@]}"; do
  corpus=$BUILD/corpus/$t artifacts=$BUILD/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  [ -n "$(ls -A "$corpus")" ] || seed "$t" "$corpus"
  echo "fuzz: $t: regressions, then ${SECONDS_EACH}s"
  if ! "$BUILD/fuzz-$t" tests/fuzz/regressions/"$t"/* >"$artifacts/regressions.log" 2>&1; then
    echo "fuzz: $t: a kept regression fails again; see $artifacts/regressions.log"
    status=1
    continue
  fi
  if ! "$BUILD/fuzz-$t" -max_total_time="$SECONDS_EACH" -max_len=16384 -timeout=10 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 "$corpus" >"$artifacts/run.log" 2>&1; then
    echo "fuzz: $t: found a failing input: $(ls -t "$artifacts" | grep -v '\.log$' | head -n 1) (log: $artifacts/run.log)"
    status=1
    continue
  fi
  echo "fuzz: $t: $(grep -m1 -oE 'stat::number_of_executed_units: *[0-9]+' "$artifacts/run.log" | grep -oE '[0-9]+$') inputs, no failure"
done
exit "$status"
