#!/usr/bin/env bash
# run.sh: benchmarks nook against runc, crun and a "floor" (floor.c: bare clone + chroot + exec)
# on a busybox bundle running /bin/true. Measures `run`, `exec` of /bin/true into a running
# container, and `create`, `start`, `delete` of a
# create → start → exit → delete cycle: wall time and peak RSS of the runtime process, taken by
# measure.c from wait4(). Iterations are interleaved: each one runs every runtime once, in a
# random order, so drift (page cache, thermal, other load) spreads over all of them.
#
# Two cgroup modes: cgroupfs (each runtime's default) and disabled (`--cgroup-manager=disabled`,
# nook and crun only; runc has no such flag); and a third, agent: each runtime's default cgroup
# manager on the config.json `nook spec --agent` writes (a user namespace, agent.json's seccomp
# filter, dropped capabilities, a read-only root with a tmpfs /tmp, limits), the same file for
# every runtime, against the plain cgroupfs rows: the cost of the agent profile. Everything runs inside one private mount namespace
# where, on a hybrid v1+v2 host, /dev/null hides /sys/fs/cgroup/unified/cgroup.controllers:
# crun refuses hybrid hosts otherwise, and all runtimes then see the same cgroup tree.
#
# Environment: NOOK (default build/nook), BENCH_N iterations (50), BENCH_WARMUP (3),
# BENCH_OUT (build/bench): results.json, raw.tsv, runtime logs. A runtime that fails is reported
# as failed with its error; the others still run. Needs root.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
NOOK=${NOOK:-$repo/build/nook}
N=${BENCH_N:-50}
WARMUP=${BENCH_WARMUP:-3}
OUT=${BENCH_OUT:-$repo/build/bench}
MAX_CONSECUTIVE_FAILURES=3

die() { echo "bench: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root"
[[ $N =~ ^[1-9][0-9]*$ ]] || die "BENCH_N must be a positive integer, not \`$N\`"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "BENCH_WARMUP must be a non-negative integer, not \`$WARMUP\`"
for tool in jq cc unshare; do
  command -v "$tool" >/dev/null || die "\`$tool\` is not installed (make deps)"
done

# Step 1: re-run ourselves inside a private mount namespace.
if [ -z "${NOOK_BENCH_IN_NS:-}" ]; then
  NOOK_BENCH_IN_NS=1 NOOK="$NOOK" exec unshare --mount --propagation private -- "$0" "$@"
fi
cgroup_note="cgroup v2 only"
if [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
  cgroup_note="cgroup v1"
  if [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
    mount --bind /dev/null /sys/fs/cgroup/unified/cgroup.controllers
    cgroup_note="hybrid v1+v2, unified/cgroup.controllers masked with /dev/null"
  fi
fi

# Step 2: a scratch dir, the tools, one bundle per runtime (all from `runc spec`, so that every
# runtime reads the same config.json).
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
tmp=$(mktemp -d /tmp/nook-bench.XXXXXX)
# State directories (--root) on a tmpfs, where every runtime keeps them by default (/run/runc,
# /run/crun, /run/nook, containerd's /run/containerd/runc): on a disk filesystem each state
# write would cost a runtime what it would not cost in production. Bundles stay on disk.
roots=$tmp/roots
mkdir -p "$roots"
mount -t tmpfs -o mode=0755 bench-roots "$roots"
logs=$OUT/logs
rm -rf "$logs" && mkdir -p "$logs"
raw=$OUT/raw.tsv
status_file=$tmp/status.tsv
: >"$raw"
: >"$status_file"

cc -O2 -Wall -o "$tmp/measure" "$here/measure.c"
cc -O2 -Wall -o "$tmp/floor" "$here/floor.c"
measure=$tmp/measure

spec_from=$(command -v runc || echo "$NOOK")
for rt in nook runc crun floor; do
  NOOK=$spec_from "$repo/scripts/mkbundle.sh" "$tmp/bundle-$rt" /bin/true >/dev/null
done
for rt in nook runc crun; do
  NOOK=$spec_from "$repo/scripts/mkbundle.sh" "$tmp/bundle-exec-$rt" sleep 1000000 >/dev/null
done
probe_marker=nook-bench-probe-ok
NOOK=$spec_from "$repo/scripts/mkbundle.sh" "$tmp/bundle-probe" /bin/echo "$probe_marker" >/dev/null

# agent_bundle DIR ARG...: DIR gets the plain bundle's rootfs and `nook spec --agent`'s config
# with args ARG..., terminal off and runc's ociVersion (crun 1.8 knows no later one). The
# mapped root (host uid 100000) must be able to reach it.
agent_bundle() {
  local dir=$1 args
  shift
  mkdir -p "$dir"
  cp -a "$tmp/bundle-probe/rootfs" "$dir/rootfs"
  "$NOOK" spec --agent -b "$dir"
  args=$(jq -cn '$ARGS.positional' --args -- "$@")
  jq --argjson args "$args" '.process.terminal = false | .process.args = $args |
    .ociVersion = "1.0.2-dev"' "$dir/config.json" >"$dir/config.new"
  mv "$dir/config.new" "$dir/config.json"
}
chmod 755 "$tmp"
for rt in nook runc crun; do
  agent_bundle "$tmp/bundle-agent-$rt" /bin/true
  agent_bundle "$tmp/bundle-exec-agent-$rt" sleep 1000000
done
agent_bundle "$tmp/bundle-probe-agent" /bin/echo "$probe_marker"

declare -A cmd_of=([nook]=$NOOK [runc]=runc [crun]=crun)
declare -A disabled_reason   # variant → why it is not measured
declare -A fail_streak
variants=()

# runtime_cmd VARIANT: sets rt_cmd to the runtime invocation for "runtime/mode".
runtime_cmd() {
  local rt=${1%/*} mode=${1#*/}
  rt_cmd=("${cmd_of[$rt]}" --root "$roots/$rt-$mode")
  [ "$mode" = disabled ] && rt_cmd+=(--cgroup-manager=disabled)
  return 0
}

last_line_of() {  # the last non-empty line a failed command wrote, for the report
  { grep -v '^[[:space:]]*$' "$1" 2>/dev/null || true; } | tail -n 1 | cut -c 1-160
}

note_status() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$status_file"; }

# bundle_of VARIANT KIND: the bundle of a variant: KIND "" (the /bin/true one), "exec-" or
# "probe" — the agent profile's in mode agent.
bundle_of() {
  local rt=${1%/*} mode=${1#*/} kind=$2
  [ "$kind" = probe ] && { [ "$mode" = agent ] && echo "$tmp/bundle-probe-agent" || echo "$tmp/bundle-probe"; return; }
  if [ "$mode" = agent ]; then echo "$tmp/bundle-${kind}agent-$rt"; else echo "$tmp/bundle-$kind$rt"; fi
}

# Step 3: probe each runtime with one run of /bin/true per mode; keep those that work.
for rt in nook runc crun; do
  for mode in cgroupfs disabled agent; do
    v=$rt/$mode
    if [ "$rt/$mode" = runc/disabled ]; then
      note_status "$rt" "$mode" n/a "runc has no --cgroup-manager flag"
      continue
    fi
    if ! command -v "${cmd_of[$rt]}" >/dev/null; then
      note_status "$rt" "$mode" failed "\`${cmd_of[$rt]}\` not found"
      continue
    fi
    # The probe container must really run: it prints a marker that /bin/true would not.
    runtime_cmd "$v"
    probe_log=$logs/probe-$rt-$mode.log
    read -r _ _ code < <("$measure" -T 30 -l "$probe_log" -- "${rt_cmd[@]}" run \
      -b "$(bundle_of "$v" probe)" bench-probe) || code=255
    if [ "$code" != 0 ] || ! grep -q "^$probe_marker\$" "$probe_log"; then
      "${rt_cmd[@]}" delete --force bench-probe >/dev/null 2>&1 || true
      if [ "$code" != 0 ]; then
        reason="run exited $code: $(last_line_of "$probe_log")"
      else
        reason="run exited 0 but the container did not print its marker"
      fi
      note_status "$rt" "$mode" failed "${reason%: }"
      continue
    fi
    note_status "$rt" "$mode" ok ""
    variants+=("$v")
  done
done
variants+=(floor/none)
note_status floor none ok ""

# A long-running container per variant for the `exec` metric (exec of /bin/true into it).
for v in "${variants[@]}"; do
  [ "$v" = floor/none ] && continue
  runtime_cmd "$v"
  "${rt_cmd[@]}" run -d -b "$(bundle_of "$v" exec-)" bench-exec </dev/null >/dev/null 2>&1 ||
    echo "bench: could not start the exec target for $v" >&2
done

version_of() { "$1" --version 2>/dev/null | head -n 1 || true; }

# record MODE RUNTIME METRIC ITER "NS RSS STATUS"
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5// /$'\t'}" >>"$raw"; }

# measure_into VAR LOG CMD...: runs CMD under measure, "NS RSS STATUS" into VAR.
# shellcheck disable=SC2034 # `into` is a nameref: assigning it sets the caller's VAR
measure_into() {
  local -n into=$1
  local log=$2
  shift 2
  into=$("$measure" -T 30 -l "$log" -- "$@") || into="0 0 255"
}

# bench_one VARIANT ITER RECORD(0|1): one `run`, then one create/start/exit/delete cycle.
bench_one() {
  local v=$1 iter=$2 keep=$3 rt=${1%/*} mode=${1#*/} r ok=1
  local log=$logs/$rt-$mode.log
  if [ "$rt" = floor ]; then
    measure_into r "$log" "$tmp/floor" "$tmp/bundle-floor/rootfs"
    [ "$keep" = 1 ] && record "$mode" "$rt" run "$iter" "$r"
    return 0
  fi
  runtime_cmd "$v"
  local bundle pidfile=$tmp/pid-$rt-$mode
  bundle=$(bundle_of "$v" "")

  measure_into r "$log" "${rt_cmd[@]}" run -b "$bundle" bench-run
  [ "$keep" = 1 ] && record "$mode" "$rt" run "$iter" "$r"
  [ "${r##* }" = 0 ] || { ok=0; "${rt_cmd[@]}" delete --force bench-run >/dev/null 2>&1 || true; }

  measure_into r "$log" "${rt_cmd[@]}" exec bench-exec /bin/true
  [ "$keep" = 1 ] && record "$mode" "$rt" exec "$iter" "$r"

  rm -f "$pidfile"
  local step
  for step in create start wait delete; do
    case $step in
      create) measure_into r "$log" "${rt_cmd[@]}" create -b "$bundle" --pid-file "$pidfile" \
                bench-cycle ;;
      start) measure_into r "$log" "${rt_cmd[@]}" start bench-cycle ;;
      wait)
        # Not a metric: /bin/true must have exited before a plain `delete` may remove it.
        if ! "$measure" -w "$pidfile" -t 10000 2>>"$log"; then
          echo "bench: bench-cycle did not exit within 10 s of start, or left no pid file" >>"$log"
          ok=0
          break
        fi
        continue ;;
      delete) measure_into r "$log" "${rt_cmd[@]}" delete bench-cycle ;;
    esac
    [ "$keep" = 1 ] && record "$mode" "$rt" "$step" "$iter" "$r"
    [ "${r##* }" = 0 ] || { ok=0; break; }
  done
  if [ "$ok" = 0 ]; then
    "${rt_cmd[@]}" delete --force bench-cycle >/dev/null 2>&1 || true
    fail_streak[$v]=$(( ${fail_streak[$v]:-0} + 1 ))
    if [ "${fail_streak[$v]}" -ge "$MAX_CONSECUTIVE_FAILURES" ]; then
      disabled_reason[$v]="$MAX_CONSECUTIVE_FAILURES failures in a row at iteration $iter: $(last_line_of "$log")"
    fi
  else
    fail_streak[$v]=0
  fi
}

cleanup() {
  local v
  for v in "${variants[@]}"; do
    [ "$v" = floor/none ] && continue
    runtime_cmd "$v"
    "${rt_cmd[@]}" delete --force bench-run >/dev/null 2>&1 || true
    "${rt_cmd[@]}" delete --force bench-cycle >/dev/null 2>&1 || true
    "${rt_cmd[@]}" delete --force bench-exec >/dev/null 2>&1 || true
  done
  umount "$roots" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Step 4: the interleaved loop, each iteration in a fresh random order. A fixed or rotating
# order would give each runtime the same predecessor every time, and a predecessor matters: the
# kernel's cgroup_threadgroup_rwsem stays in its fast-write state for an RCU grace period after
# a cgroup.procs write, so whoever writes one next skips the ~5-15 ms wait.
load_before=$(cut -d ' ' -f 1-3 /proc/loadavg)  # reported: other load skews every runtime
count=${#variants[@]}
echo "bench: ${variants[*]}; $WARMUP warm-up + $N iterations" >&2
total=$((WARMUP + N))
for ((i = 0; i < total; i++)); do
  keep=$((i >= WARMUP ? 1 : 0))
  iter=$((i - WARMUP))
  mapfile -t order < <(printf '%s\n' "${variants[@]}" | shuf)
  for v in "${order[@]}"; do
    [ -n "${disabled_reason[$v]:-}" ] && continue
    bench_one "$v" "$iter" "$keep"
  done
  if ((i % 10 == 9)); then echo "bench: $((i + 1))/$total" >&2; fi
done
for v in "${!disabled_reason[@]}"; do
  note_status "${v%/*}" "${v#*/}" failed "${disabled_reason[$v]}"
done

# Step 5: aggregate into results.json, then print it as a table.
jq -n \
  --rawfile raw "$raw" \
  --rawfile status "$status_file" \
  --argjson n "$N" --argjson warmup "$WARMUP" \
  --arg kernel "$(uname -r)" --arg cpus "$(nproc)" --arg cgroup "$cgroup_note" \
  --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg load "$load_before" \
  --arg v_nook "$(version_of "$NOOK")" --arg v_runc "$(version_of runc)" \
  --arg v_crun "$(version_of crun)" \
  -f "$here/aggregate.jq" >"$OUT/results.json"

jq -r -f "$here/table.jq" "$OUT/results.json"
echo "results: $OUT/results.json (raw samples: $OUT/raw.tsv, runtime output: $OUT/logs/)"
