# helpers.bash: shared setup for the nook integration suite (bats, run as root).
# Every test drives the runtime under test through `$NOOK` (default: build/nook); the suite is
# validated against runc as the oracle with `NOOK=$(command -v runc) bats integration/`.
# Tests of nook-only behaviour call `requires_nook "why"`, which skips them under runc.

REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
TESTDATA=$BATS_TEST_DIRNAME/testdata
NOOK=${NOOK:-$REPO/build/nook}
# A hung runtime must fail the test, not the whole suite.
NOOK_TIMEOUT=${NOOK_TIMEOUT:-30}
BATS_FD3=$(readlink /proc/self/fd/3 2>/dev/null)
bats_require_minimum_version 1.5.0

# is_runc: true when the binary under test is runc (the oracle run of the suite).
is_runc() {
	[ "${NOOK_IS_RUNC:-}" = "" ] && {
		if "$NOOK" --version 2>/dev/null | head -n1 | grep -q '^runc version'; then
			NOOK_IS_RUNC=yes
		else
			NOOK_IS_RUNC=no
		fi
	}
	[ "$NOOK_IS_RUNC" = yes ]
}

# requires_nook WHY: skips a test that checks nook-only behaviour when running against runc.
requires_nook() {
	if is_runc; then
		skip "nook-specific: $1"
	fi
}

# requires_runc_oracle WHY: skips a test that compares $NOOK with runc when runc is missing.
requires_runc() {
	if ! command -v runc >/dev/null; then
		skip "needs runc as the oracle: $1"
	fi
}

# nook ARGS...: the runtime under test with this test's --root. Bats's own fd 3 is closed
# (a container holding it would hang bats) unless the test redirected fd 3 itself.
nook() {
	if [ "$(readlink /proc/self/fd/3 2>/dev/null)" = "$BATS_FD3" ]; then
		timeout --kill-after=5 "$NOOK_TIMEOUT" "$NOOK" --root "$ROOT" "$@" 3>&-
	else
		timeout --kill-after=5 "$NOOK_TIMEOUT" "$NOOK" --root "$ROOT" "$@"
	fi
}

# with_pty CMD...: CMD on a new terminal of its own (testdata/ptyrun.py), killed with its whole
# session after $NOOK_TIMEOUT seconds; bats's fd 3 closed, stdin /dev/null.
with_pty() {
	"$TESTDATA/ptyrun.py" "$NOOK_TIMEOUT" "$@" </dev/null 3>&-
}

fail() {
	echo "FAIL: $*" >&2
	return 1
}

# assert_status N: $status (from `run`) is N; prints the output when it is not.
assert_status() {
	if [ "$status" -ne "$1" ]; then
		echo "output: $output" >&2
		fail "exit status $status, expected $1"
	fi
}

# assert_contains HAYSTACK NEEDLE
assert_contains() {
	if [[ "$1" != *"$2"* ]]; then
		fail "expected to find [$2] in [$1]"
	fi
}

assert_not_contains() {
	if [[ "$1" == *"$2"* ]]; then
		fail "did not expect [$2] in [$1]"
	fi
}

# assert_one_error_line: after `run --separate-stderr`, stderr is exactly one non-empty line.
assert_one_error_line() {
	if [ "${#stderr_lines[@]}" -ne 1 ] || [ -z "${stderr_lines[0]}" ]; then
		fail "expected one error line on stderr, got ${#stderr_lines[@]}: [$stderr]"
	fi
}

# ---- bundles -------------------------------------------------------------------------------

# Builds once per file a busybox bundle template (rootfs from scripts/mkbundle.sh, config.json
# from testdata: runc 1.1.5's `runc spec` with terminal off), so that a broken `$NOOK spec`
# fails only spec.bats.
nook_setup_file() {
	export TEMPLATE=$BATS_FILE_TMPDIR/template
	if [ ! -x "$TEMPLATE/rootfs/bin/busybox" ]; then
		NOOK=$NOOK "$REPO/scripts/mkbundle.sh" "$TEMPLATE" >/dev/null 2>&1 || true
		[ -x "$TEMPLATE/rootfs/bin/busybox" ] || fail "mkbundle.sh made no busybox rootfs"
		cp "$TESTDATA/config.json" "$TEMPLATE/config.json"
	fi
}

# Per test: a temp --root, a fresh bundle, a unique id and cgroupsPath /nook-test/$ID.
nook_setup() {
	ROOT=$BATS_TEST_TMPDIR/root
	BUNDLE=$BATS_TEST_TMPDIR/bundle
	ID=nt${BATS_SUITE_TEST_NUMBER}-$$-$RANDOM
	mkdir -p "$ROOT" "$BUNDLE"
	cp -a "$TEMPLATE/rootfs" "$BUNDLE/rootfs"
	cp "$TEMPLATE/config.json" "$BUNDLE/config.json"
	set_cgroups_path "$ID"
	cd "$BUNDLE" || return
}

# Force-deletes whatever the test left, then reaps by cgroup what a broken runtime might leave.
nook_teardown() {
	cd / || true
	local id
	for id in $(nook list -q 2>/dev/null) "$ID"; do
		nook delete --force "$id" >/dev/null 2>&1 || true
	done
	local d
	for d in /sys/fs/cgroup/*/nook-test/"$ID" /sys/fs/cgroup/*/nook-test/"$ID"-*; do
		[ -d "$d" ] || continue
		if [ -f "$d/cgroup.procs" ]; then
			xargs -r kill -9 <"$d/cgroup.procs" 2>/dev/null || true
		fi
		rmdir "$d" 2>/dev/null || true
	done
	local m
	for m in $(awk -v p="$BATS_TEST_TMPDIR" 'index($5, p) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
}

setup_file() { nook_setup_file; }
setup() { nook_setup; }
teardown() { nook_teardown; }

# install_probe [NAME]: copies scprobe (testdata/scprobe.c, a static test program for what busybox
# cannot do: raw syscalls with arguments, ptrace, threads) into the bundle's rootfs as /NAME
# (default /scprobe). Built once per file.
install_probe() {
	local bin=$BATS_FILE_TMPDIR/scprobe
	if [ ! -x "$bin" ]; then
		cc -static -O2 -pthread -o "$bin" "$TESTDATA/scprobe.c" || fail "cannot build scprobe (is a static libc installed?)"
	fi
	cp "$bin" "$BUNDLE/rootfs/${1:-scprobe}"
}

# update_config JQ [FILE]: rewrites the bundle's config.json through a jq filter.
update_config() {
	local file=${2:-$BUNDLE/config.json}
	local tmp
	tmp=$(mktemp "$file.XXXXXX")
	jq "$1" "$file" >"$tmp" && mv "$tmp" "$file"
}

# add_mount JSON: appends one entry to .mounts.
add_mount() {
	update_config ".mounts += [$1]"
}

# add_namespace TYPE [PATH]: appends a new namespace of TYPE, or one joined at PATH.
add_namespace() {
	if [ -n "${2:-}" ]; then
		update_config ".linux.namespaces += [{\"type\": \"$1\", \"path\": \"$2\"}]"
	else
		update_config ".linux.namespaces += [{\"type\": \"$1\"}]"
	fi
}

# searchable_to DIR: every directory from / down to DIR gets a+x, so that a container root
# mapped to an unprivileged host uid (or a test user) can reach what is below it.
searchable_to() {
	local d=$1
	while [ "$d" != / ]; do
		chmod a+x "$d"
		d=$(dirname "$d")
	done
}

# with_user_mappings: a new user namespace mapping container 0-65535 to host 100000-165535;
# the bundle is made reachable for that root.
with_user_mappings() {
	searchable_to "$BUNDLE"
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
}

# run_first: runs the bundle as it is, with args `sleep 100`, detached as container $ID-first
# (cgroup /nook-test/$ID-first), for a test that joins its namespaces; FIRST_PID is its init.
# The bundle's cgroupsPath is $ID's again afterwards.
run_first() {
	set_args sleep 100
	update_config ".linux.cgroupsPath = \"/nook-test/$ID-first\""
	nook run -d "$ID-first" </dev/null >/dev/null 2>&1
	FIRST_PID=$(pid_of "$ID-first")
	set_cgroups_path "$ID"
}

# join_first TYPE...: the bundle joins these namespaces of $ID-first by /proc/PID/ns path.
join_first() {
	local type proc
	for type in "$@"; do
		case $type in
		network) proc=net ;;
		mount) proc=mnt ;;
		*) proc=$type ;;
		esac
		update_config ".linux.namespaces |= map(if .type == \"$type\" then .path = \"/proc/$FIRST_PID/ns/$proc\" else . end)"
	done
}

# set_args ARG...: sets process.args.
set_args() {
	local args
	args=$(jq -cn '$ARGS.positional' --args -- "$@")
	update_config ".process.args = $args"
}

set_cgroups_path() {
	update_config ".linux.cgroupsPath = \"/nook-test/$1\""
}

# ---- container state ------------------------------------------------------------------------

# status_of ID: prints the container's status from `state` (empty if it does not exist).
status_of() {
	nook state "$1" 2>/dev/null | jq -r .status
}

# wait_for_status ID STATUS [SECONDS]: polls `state` every 20ms.
wait_for_status() {
	local deadline=$((SECONDS + ${3:-5}))
	while [ "$SECONDS" -le "$deadline" ]; do
		[ "$(status_of "$1")" = "$2" ] && return 0
		sleep 0.02
	done
	fail "container $1 did not reach status $2 (is $(status_of "$1"))"
}

# wait_for_file FILE [SECONDS]: polls for a file to exist.
wait_for_file() {
	local deadline=$((SECONDS + ${2:-5}))
	while [ "$SECONDS" -le "$deadline" ]; do
		[ -e "$1" ] && return 0
		sleep 0.02
	done
	fail "file $1 did not appear"
}

# is_alive PID: the process exists and is not a zombie.
is_alive() {
	local st
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# wait_for_death PID [SECONDS]
wait_for_death() {
	local deadline=$((SECONDS + ${2:-5}))
	while [ "$SECONDS" -le "$deadline" ]; do
		is_alive "$1" || return 0
		sleep 0.02
	done
	fail "process $1 still alive"
}

pid_of() {
	nook state "$1" | jq -r .pid
}

# ---- nothing left behind --------------------------------------------------------------------

# assert_no_cgroup ID: no cgroup directory for /nook-test/ID in any hierarchy.
assert_no_cgroup() {
	local d
	for d in /sys/fs/cgroup/*/nook-test/"$1" /sys/fs/cgroup/nook-test/"$1"; do
		if [ -d "$d" ]; then
			fail "cgroup left behind: $d"
			return
		fi
	done
}

# assert_no_mounts: no mount of the host mount namespace under this test's temp dir.
assert_no_mounts() {
	local left
	left=$(awk -v p="$BATS_TEST_TMPDIR" 'index($5, p) == 1 || index($4, p) == 1 {print $5}' /proc/self/mountinfo)
	if [ -n "$left" ]; then
		fail "mounts left behind: $left"
	fi
}

# assert_nothing_left ID: after a failed create/run or a delete, no trace of the container:
# no `list` entry, no `state`, no state dir under --root, no cgroup, no mounts.
assert_nothing_left() {
	local id=$1
	local listed
	listed=$(nook list -q 2>/dev/null || true)
	if [ -n "$id" ] && grep -qxF "$id" <<<"$listed"; then
		fail "container $id still listed"
		return
	fi
	if nook state "$id" >/dev/null 2>&1; then
		fail "state $id still succeeds"
		return
	fi
	if [ "$id" != . ] && [ "$id" != .. ] && [ -n "$id" ] && [ -e "$ROOT/$id" ]; then
		fail "state dir left behind: $ROOT/$id"
		return
	fi
	# The cgroup is the bundle's linux.cgroupsPath (/nook-test/$ID), whatever the id.
	local cg
	cg=$(jq -r '.linux.cgroupsPath // empty' "$BUNDLE/config.json" 2>/dev/null || true)
	if [[ "$cg" == /nook-test/* ]]; then
		assert_no_cgroup "${cg#/nook-test/}"
	fi
	assert_no_mounts
}

# host_ns TYPE: the host's namespace link text, e.g. net:[4026531840].
host_ns() {
	readlink "/proc/self/ns/$1"
}
