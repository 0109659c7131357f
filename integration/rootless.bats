#!/usr/bin/env bats
# rootless: nook run by an unprivileged user (created for this file, removed after) through
# runuser, as runc's rootless mode: a user namespace mapping the user's own uid, or subordinate
# ids through newuidmap/newgidmap; state under $XDG_RUNTIME_DIR/nook; cgroups skipped unless
# limits are asked for; one clear line where the host forbids something.

load helpers

setup_file() {
	nook_setup_file
	export RL_USER=nookrl$$
	useradd -M -s /bin/sh "$RL_USER"
	# useradd gives the user subordinate ids when the uidmap package is there; read them.
	export RL_UID RL_GID SUBUID_START SUBUID_COUNT SUBGID_START
	RL_UID=$(id -u "$RL_USER")
	RL_GID=$(id -g "$RL_USER")
	SUBUID_START=$(awk -F: -v u="$RL_USER" '$1 == u {print $2; exit}' /etc/subuid)
	SUBUID_COUNT=$(awk -F: -v u="$RL_USER" '$1 == u {print $3; exit}' /etc/subuid)
	SUBGID_START=$(awk -F: -v u="$RL_USER" '$1 == u {print $2; exit}' /etc/subgid)
}

teardown_file() {
	userdel "$RL_USER" 2>/dev/null || true
}

setup() {
	nook_setup
	XDG=$BATS_TEST_TMPDIR/xdg
	mkdir -m 700 "$XDG"
	searchable_to "$BUNDLE"
	chown -R "$RL_USER:" "$BUNDLE" "$XDG"
	rm config.json
	as_user_nook spec --rootless
	update_config '.process.terminal = false'
}

teardown() {
	local id
	for id in $(as_user_nook list -q 2>/dev/null); do
		as_user_nook delete --force "$id" >/dev/null 2>&1 || true
	done
	nook_teardown
}

# as_user_nook ARGS...: $NOOK run by the test user, with its own XDG_RUNTIME_DIR and no --root.
as_user_nook() {
	runuser -u "$RL_USER" -- timeout --kill-after=5 "$NOOK_TIMEOUT" \
		env XDG_RUNTIME_DIR="$XDG" PATH="${USER_PATH:-$PATH}" "$NOOK" "$@" 3>&-
}

# update_config as the root of the test, keeping the file the user's.
update_config() {
	local file=$BUNDLE/config.json tmp
	tmp=$(mktemp "$file.XXXXXX")
	jq "$1" "$file" >"$tmp" && mv "$tmp" "$file" && chown "$RL_USER:" "$file"
}

requires_subids() {
	if [ -z "$SUBUID_START" ] || [ -z "$SUBGID_START" ]; then
		skip "useradd gave $RL_USER no subordinate ids (is the uidmap package installed?)"
	fi
}

# rootless_fails TEXT: `run` as the user fails with exit 1 and one line containing TEXT (runc
# words it its own way), and leaves no state behind.
rootless_fails() {
	set_args true
	run --separate-stderr as_user_nook run "$ID"
	assert_status 1
	if ! is_runc; then
		assert_one_error_line
		assert_contains "$stderr" "$1"
	fi
	[ -z "$(as_user_nook list -q)" ] || fail "container left behind"
	[ ! -e "$XDG/nook/$ID" ] || fail "state left behind: $XDG/nook/$ID"
	assert_no_mounts
}

@test "a non-root user runs a busybox container as root of a namespace mapping its own uid" {
	set_args sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map'
	run as_user_nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 0 ]
	[ "$(echo ${lines[2]})" = "0 $RL_UID 1" ]
	[ "$(echo ${lines[3]})" = "0 $RL_GID 1" ]
}

@test "a non-root user's container state goes under \$XDG_RUNTIME_DIR/nook" {
	requires_nook "runc's is \$XDG_RUNTIME_DIR/runc"
	set_args sleep 100
	as_user_nook run -d "$ID" </dev/null >/dev/null 2>&1
	[ -d "$XDG/nook/$ID" ]
	[ "$(stat -c %U "$XDG/nook/$ID")" = "$RL_USER" ]
	[ ! -e "/run/nook/$ID" ]
	run as_user_nook list -q
	[ "$output" = "$ID" ]
}

@test "exec, state, kill and delete work on a rootless container" {
	set_args sleep 100
	as_user_nook run -d "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(as_user_nook state "$ID" | jq -r .pid)
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = "$RL_UID" ]
	run as_user_nook exec "$ID" sh -c 'id -u; echo $$'
	assert_status 0
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" != 1 ]
	[ "$(as_user_nook state "$ID" | jq -r .status)" = running ]
	as_user_nook kill "$ID" KILL
	wait_for_death "$pid"
	as_user_nook delete "$ID"
	[ ! -e "$XDG/nook/$ID" ]
}

@test "subordinate uids and gids are mapped through newuidmap and newgidmap" {
	requires_subids
	update_config ".linux.uidMappings += [{\"containerID\": 1, \"hostID\": $SUBUID_START, \"size\": 1000}]
		| .linux.gidMappings += [{\"containerID\": 1, \"hostID\": $SUBGID_START, \"size\": 1000}]
		| .process.user = {\"uid\": 1, \"gid\": 1}"
	set_args sh -c 'cat /proc/self/uid_map /proc/self/setgroups; id -u; exec sleep 100'
	as_user_nook run -d "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1
	local pid
	pid=$(as_user_nook state "$ID" | jq -r .pid)
	sleep 0.2
	mapfile -t lines <"$BATS_TEST_TMPDIR/out"
	[ "$(echo ${lines[0]})" = "0 $RL_UID 1" ]
	[ "$(echo ${lines[1]})" = "1 $SUBUID_START 1000" ]
	[ "${lines[2]}" = allow ]  # newgidmap leaves setgroups allowed
	[ "${lines[3]}" = 1 ]
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = "$SUBUID_START" ]
}

@test "setgroups is denied when only the user's own gid is mapped" {
	set_args cat /proc/self/setgroups
	run as_user_nook run "$ID"
	assert_status 0
	[ "$output" = deny ]
}

@test "additionalGids with only the user's own gid mapped fail naming the field" {
	update_config '.process.user.additionalGids = [0]'
	rootless_fails "process.user.additionalGids: cannot be set: setgroups is denied"
}

@test "a mapping outside the user's subordinate uids fails with one line naming it" {
	requires_subids
	local outside=$((SUBUID_START + SUBUID_COUNT))
	update_config ".linux.uidMappings += [{\"containerID\": 1, \"hostID\": $outside, \"size\": 10}]"
	rootless_fails "linux.uidMappings[1]: host uids $outside-$((outside + 9)) are neither your own nor subordinate uids of \`$RL_USER\` in /etc/subuid"
}

@test "without newuidmap a mapping of subordinate uids fails with one line saying so" {
	requires_subids
	update_config ".linux.uidMappings += [{\"containerID\": 1, \"hostID\": $SUBUID_START, \"size\": 10}]"
	USER_PATH=/var/empty rootless_fails "linux.uidMappings: mapping more than your own id needs newuidmap, which is not in PATH"
}

@test "cgroup limits a rootless container cannot apply fail naming the field" {
	update_config '.linux.resources = {"pids": {"limit": 10}}'
	rootless_fails "linux.resources.pids: cannot be applied by a rootless container"
}

@test "--rootless=false as a non-root user makes the cgroup permission error fatal" {
	set_args true
	run --separate-stderr as_user_nook --rootless false run "$ID"
	assert_status 1
	is_runc || assert_one_error_line
	assert_contains "$stderr" "ermission denied"
	[ ! -e "$XDG/nook/$ID" ]
}

@test "a non-root user's container without a user namespace is refused with one line" {
	update_config 'del(.linux.uidMappings, .linux.gidMappings)
		| .linux.namespaces |= map(select(.type != "user"))'
	rootless_fails "linux.namespaces: a rootless container needs a user namespace"
}

@test "id-mapped mounts are refused for a rootless container with one line" {
	requires_nook "runc 1.1 does not know the idmap option and ignores it"
	mkdir -p "$BUNDLE/src" && chown "$RL_USER:" "$BUNDLE/src"
	update_config ".mounts += [{\"destination\": \"/tmp\", \"source\": \"$BUNDLE/src\", \"options\": [\"bind\", \"idmap\"]}]"
	rootless_fails "mounts[7]: id-mapped mounts need root"
}

@test "a sysctl the host keeps from user namespaces fails with one line naming it" {
	update_config '.linux.namespaces += [{"type": "network"}] | .linux.sysctl = {"net.core.rmem_max": "4096"}'
	rootless_fails "open sysctl \`net.core.rmem_max\` (kept from a user namespace): Permission denied"
}
