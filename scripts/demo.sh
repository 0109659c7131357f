#!/usr/bin/env bash
# demo.sh: shows nook working, for `make demo`. Builds busybox bundles in a temp dir with
# scripts/mkbundle.sh (whose config.json comes from `nook spec`), runs a container that
# reports what it sees, then walks a `sleep` container through create, state, start, exec, list,
# kill and delete. Uses $NOOK (default build/nook) and a temp --root; needs root. Every
# command is echoed before it runs; the first failure stops the demo with a non-zero status.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NOOK=${NOOK:-$repo/build/nook}
export NOOK

die() { echo "demo: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (containers need it)"
command -v "$NOOK" >/dev/null || die "\`$NOOK\` not found: build it with \`make\`"

if [ -t 1 ]; then bold=$'\e[1m' dim=$'\e[2m' reset=$'\e[0m'; else bold='' dim='' reset=''; fi

# quote ARG...: the command as one would type it, single-quoting what needs it.
quote() {
  local out='' a
  for a in "$@"; do
    if [[ $a =~ ^[A-Za-z0-9_./:=,+-]+$ ]]; then out+=" $a"; else out+=" '${a//\'/\'\\\'\'}'"; fi
  done
  printf '%s' "${out# }"
}

# nook ARG...: echo `nook ARG...` (with the temp --root left out, for readability), run it.
nook() {
  printf '\n%s$ nook %s%s\n' "$bold" "$(quote "$@")" "$reset"
  "$NOOK" --root "$root" "$@" || die "\`nook $(quote "$@")\` failed with status $?"
}

section() { printf '\n%s== %s ==%s\n' "$bold" "$*" "$reset"; }

tmp=$(mktemp -d /tmp/nook-demo.XXXXXX)
root=$tmp/root
cleanup() {
  "$NOOK" --root "$root" delete --force demo-sleep >/dev/null 2>&1 || true
  "$NOOK" --root "$root" delete --force demo-run >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

section "nook"
printf '%s$ nook --version%s\n' "$bold" "$reset"
"$NOOK" --version || die "\`nook --version\` failed"
printf '%s(state under %s, bundles under %s)%s\n' "$dim" "$root" "$tmp" "$reset"

section "a container that looks around"
"$repo/scripts/mkbundle.sh" "$tmp/look" sh -c \
  'uname -a; id; hostname; cat /proc/self/cgroup; ls /; ps' ||
  die "could not make a bundle in $tmp/look"
# shellcheck disable=SC2016 # the backticks are literal
printf '%sbundle %s: busybox rootfs, config.json from `nook spec`, args:%s\n' \
  "$dim" "$tmp/look" "$reset"
printf '%s  %s%s\n' "$dim" "$(jq -c .process.args "$tmp/look/config.json")" "$reset"
nook run --bundle "$tmp/look" demo-run

section "lifecycle: create, state, start, exec, list, kill, delete"
"$repo/scripts/mkbundle.sh" "$tmp/sleep" sleep 300 || die "could not make a bundle in $tmp/sleep"
nook create --bundle "$tmp/sleep" demo-sleep
nook state demo-sleep
nook start demo-sleep
nook exec demo-sleep ps
nook list
nook kill demo-sleep KILL
# Wait (quietly) until the killed container is reported stopped.
for _ in $(seq 50); do
  status=$("$NOOK" --root "$root" state demo-sleep | jq -r .status) || die "state failed"
  [ "$status" = stopped ] && break
  sleep 0.1
done
[ "$status" = stopped ] || die "demo-sleep still \`$status\` 5 s after SIGKILL"
nook state demo-sleep
nook delete demo-sleep
nook list

printf '\n%sdemo: all steps succeeded%s\n' "$bold" "$reset"
