#!/usr/bin/env bats
# exec: a new process in a running container — namespaces, cgroup, process overrides, exit
# status, --detach/--pid-file, --tty, --process, and refusals.

load helpers

start_sleeper() {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" running
}

@test "exec prints the command's output and exits with its status" {
	start_sleeper
	run nook exec "$ID" sh -c 'echo out; exit 7'
	assert_status 7
	[ "$output" = out ]
}

@test "exec joins the container's namespaces: same pid, mount, uts and net namespaces as the init" {
	start_sleeper
	local pid
	pid=$(pid_of "$ID")
	for ns in pid mnt uts net ipc; do
		run nook exec "$ID" readlink "/proc/self/ns/$ns"
		assert_status 0
		[ "$output" = "$(readlink "/proc/$pid/ns/$ns")" ] || fail "$ns: $output"
	done
}

@test "exec'd process sees the container's root and pid 1 is the init" {
	start_sleeper
	run nook exec "$ID" sh -c 'cat /proc/1/cmdline | tr "\0" " "; ls /'
	assert_status 0
	assert_contains "$output" "sleep 100"
	assert_contains "$output" "bin"
}

@test "exec'd process is in the container's cgroup" {
	start_sleeper
	run nook exec "$ID" cat /proc/self/cgroup
	assert_status 0
	assert_contains "$output" "pids:/nook-test/$ID"
}

@test "exec --env, --cwd and --user override the container's process" {
	start_sleeper
	run nook exec -e FOO=bar -e PATH=/bin --cwd /tmp -u 65534:65534 "$ID" sh -c 'echo $FOO $PATH; pwd; id -u; id -g'
	assert_status 0
	[ "${lines[0]}" = "bar /bin" ]
	[ "${lines[1]}" = /tmp ]
	[ "${lines[2]}" = 65534 ]
	[ "${lines[3]}" = 65534 ]
}

@test "exec --additional-gids sets supplementary groups" {
	start_sleeper
	run nook exec -u 1000:1000 -g 10 -g 20 "$ID" id -G
	assert_status 0
	[ "$output" = "1000 10 20" ] || fail "$output"
}

@test "exec --cap adds a capability to the process's effective set" {
	start_sleeper
	run nook exec --cap CAP_SYS_ADMIN "$ID" sh -c 'grep CapEff /proc/self/status'
	assert_status 0
	local eff=$((16#$(awk '{print $2}' <<<"$output")))
	(( (eff >> 21) & 1 )) || fail "no CAP_SYS_ADMIN: $output"
}

@test "exec --no-new-privs sets NoNewPrivs" {
	start_sleeper
	update_config '.process.noNewPrivileges = false'
	run nook exec --no-new-privs "$ID" grep NoNewPrivs /proc/self/status
	assert_status 0
	assert_contains "$output" 1
}

@test "exec --detach --pid-file returns at once and writes the process's host pid" {
	start_sleeper
	# Not `run`: the detached process would hold bats's output pipe open.
	nook exec -d --pid-file "$BATS_TEST_TMPDIR/pid" "$ID" sleep 30 </dev/null >/dev/null 2>&1
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	grep -q sleep "/proc/$pid/cmdline"
	# The process is in the container's pid namespace.
	[ "$(readlink "/proc/$pid/ns/pid")" = "$(readlink "/proc/$(pid_of "$ID")/ns/pid")" ]
}

@test "exec --tty gives the process a terminal, even when our stdin is not one" {
	requires_nook "runc 1.1 fails with \`open /dev/tty\` when its stdin is not a terminal"
	start_sleeper
	run nook exec -t "$ID" tty </dev/null
	assert_status 0
	assert_contains "$output" /dev/pts/
}

@test "exec --process runs a runtime-spec process JSON" {
	start_sleeper
	cat >"$BATS_TEST_TMPDIR/p.json" <<-'EOF'
		{"args": ["sh", "-c", "echo $X; pwd"], "env": ["X=from-json", "PATH=/bin"], "cwd": "/etc",
		 "user": {"uid": 0, "gid": 0}}
	EOF
	run nook exec -p "$BATS_TEST_TMPDIR/p.json" "$ID"
	assert_status 0
	[ "${lines[0]}" = from-json ]
	[ "${lines[1]}" = /etc ]
}

# runc's exec fails with 255 so callers can tell its failures from the process's status.
@test "exec of a missing program fails with exit 255 and names it" {
	start_sleeper
	run --separate-stderr nook exec "$ID" no-such-program
	assert_status 255
	assert_contains "$stderr" no-such-program
}

@test "exec into a stopped container fails" {
	set_args true
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" stopped
	run --separate-stderr nook exec "$ID" true
	assert_status 255
	assert_contains "$stderr" "cannot exec in a stopped container"
}

@test "exec into an unknown container fails: container does not exist" {
	run --separate-stderr nook exec "nope-$ID" true
	assert_status 255
	assert_contains "$stderr" "does not exist"
}

@test "exec without a command fails with exit 255" {
	start_sleeper
	run --separate-stderr nook exec "$ID"
	assert_status 255
}

@test "exec usage errors (no arguments, an unknown flag) exit 1, as runc" {
	run --separate-stderr nook exec
	assert_status 1
	assert_contains "$stderr" "argument"
	run --separate-stderr nook exec --bogus "$ID" true
	assert_status 1
	assert_contains "$stderr" "bogus"
}

@test "exec leaks no host fd into the container" {
	start_sleeper
	run nook exec "$ID" ls /proc/self/fd
	assert_status 0
	[ "$(echo $output)" = "0 1 2 3" ] || fail "fds: $(echo $output)"
}

# ---- exec --cgroup: a sub-cgroup of the container's cgroup --------------------------------

# make_sub_cgroup NAME: NAME under the container's cgroup in every hierarchy (with cpuset's
# cpus and mems, without which the kernel refuses members), as a caller of `exec --cgroup`
# must: neither runc nor nook creates it.
make_sub_cgroup() {
	local d
	for d in /sys/fs/cgroup/*/nook-test/"$ID"; do
		mkdir "$d/$1"
		if [ -f "$d/cpuset.cpus" ]; then
			cat "$d/cpuset.cpus" >"$d/$1/cpuset.cpus"
			cat "$d/cpuset.mems" >"$d/$1/cpuset.mems"
		fi
	done
}

# exec_cgroups ARGS...: /proc/PID/cgroup, read on the host, of `sleep` exec'd with ARGS.
exec_cgroups() {
	nook exec -d --pid-file "$BATS_TEST_TMPDIR/pid" "$@" "$ID" sleep 30 </dev/null >/dev/null 2>&1 ||
		fail "exec $* failed"
	cat "/proc/$(cat "$BATS_TEST_TMPDIR/pid")/cgroup"
}

@test "exec --cgroup PATH runs the process in that sub-cgroup in every hierarchy" {
	start_sleeper
	make_sub_cgroup sub
	run exec_cgroups --cgroup sub
	assert_status 0
	local line
	for line in "${lines[@]}"; do
		[[ "$line" == *":/nook-test/$ID/sub" ]] || fail "not in the sub-cgroup: $line"
	done
	# the container's processes include it: ps reads the sub-cgroups too
	run nook ps --format json "$ID"
	assert_status 0
	assert_contains "$output" "$(cat "$BATS_TEST_TMPDIR/pid")"
}

# A process joining a frozen cgroup stops at once: it joins the freezer hierarchy last, so that
# it is in every other one by then (kill --all and delete read the pids hierarchy). The exec
# itself waits for the resume, as runc's does.
@test "exec --ignore-paused into a paused container: the frozen process is in the cgroup of every hierarchy" {
	start_sleeper
	local init freezer=/sys/fs/cgroup/freezer/nook-test/$ID child= i
	init=$(pid_of "$ID")
	nook pause "$ID"
	nook exec -d --ignore-paused "$ID" sleep 31 </dev/null >/dev/null 2>&1 &
	local exec_job=$!
	for i in $(seq 100); do
		child=$(grep -vx "$init" "$freezer/cgroup.procs" | head -n 1)
		[ -n "$child" ] && break
		sleep 0.05
	done
	[ -n "$child" ] || fail "the exec'd process never reached the freezer cgroup"
	local cgroups
	cgroups=$(cat "/proc/$child/cgroup")
	# The cgroup reads FREEZING until the newcomer has stopped too; resume wants it paused.
	for i in $(seq 100); do
		[ "$(cat "$freezer/freezer.state")" = FROZEN ] && break
		sleep 0.05
	done
	run nook resume "$ID"
	assert_status 0
	wait "$exec_job"  # not a bare wait: bats's own per-test timeout runs in the background
	for h in pids memory name=systemd; do
		grep -q ":$h:/nook-test/$ID\$" <<<"$cgroups" || fail "not in the $h cgroup: $(echo $cgroups)"
	done
}

@test "exec --cgroup CONTROLLER,CONTROLLER:PATH moves only those controllers' hierarchies" {
	start_sleeper
	make_sub_cgroup sub
	run exec_cgroups --cgroup memory,pids:sub --cgroup name=systemd:/sub
	assert_status 0
	local line
	for line in "${lines[@]}"; do
		case "$line" in
		*:memory:* | *:pids:* | *:name=systemd:*) [[ "$line" == *":/nook-test/$ID/sub" ]] ;;
		*) [[ "$line" == *":/nook-test/$ID" ]] ;;
		esac || fail "wrong cgroup: $line"
	done
}

@test "exec joins the container's cgroup namespace: its cgroup is / there, a --cgroup sub-cgroup /sub" {
	update_config '.linux.namespaces += [{"type": "cgroup"}]'
	start_sleeper
	make_sub_cgroup sub
	run nook exec "$ID" grep :pids: /proc/self/cgroup
	assert_status 0
	[[ "$output" == *:pids:/ ]] || fail "cgroup: $output"
	run nook exec --cgroup sub "$ID" grep :pids: /proc/self/cgroup
	assert_status 0
	[[ "$output" == *:pids:/sub ]] || fail "cgroup: $output"
}

@test "exec --cgroup into a sub-cgroup that does not exist fails with 255 and creates none" {
	start_sleeper
	run --separate-stderr nook exec --cgroup nosuch "$ID" true
	assert_status 255
	assert_contains "$stderr" "/nosuch/"  # the missing sub-cgroup is named
	assert_contains "${stderr,,}" "no such file or directory"  # runc: lowercase errno text
	local d
	for d in /sys/fs/cgroup/*/nook-test/"$ID"/nosuch; do
		[ ! -e "$d" ] || fail "created $d"
	done
}

@test "exec --cgroup refuses a path that leaves the container's cgroup: not a sub cgroup path" {
	start_sleeper
	local arg
	for arg in ../x sub/../.. memory:../x; do
		run --separate-stderr nook exec --cgroup "$arg" "$ID" true
		assert_status 255
		assert_contains "$stderr" "is not a sub cgroup path"
	done
}

@test "exec --cgroup refuses runc's invalid forms and unknown controllers with 255" {
	start_sleeper
	make_sub_cgroup sub
	run --separate-stderr nook exec --cgroup a:b:c "$ID" true
	assert_status 255
	assert_contains "$stderr" "invalid"
	assert_contains "$stderr" "a:b:c"
	run --separate-stderr nook exec --cgroup memory:sub --cgroup sub "$ID" true
	assert_status 255
	assert_contains "$stderr" "missing <controller>: prefix"
	run --separate-stderr nook exec --cgroup bogus:sub "$ID" true
	assert_status 255
	assert_contains "$stderr" "unknown controller"
	assert_contains "$stderr" bogus
}

# ---- exec --apparmor and --process-label -------------------------------------------------

@test "exec --apparmor and --process-label fail with 255 where the LSM is off, as runc" {
	[ ! -e /sys/kernel/security/apparmor ] || skip "AppArmor is on here: runc would apply the profile"
	[ ! -e /sys/fs/selinux/enforce ] || skip "SELinux is on here: runc would apply the label"
	start_sleeper
	run --separate-stderr nook exec --apparmor unconfined "$ID" true
	assert_status 255
	assert_contains "${stderr,,}" apparmor
	run --separate-stderr nook exec --process-label system_u:system_r:container_t:s0 "$ID" true
	assert_status 255
	assert_contains "${stderr,,}" selinux
	# a process JSON's fields too
	jq '.process | .args = ["true"] | .apparmorProfile = "unconfined"' "$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/p.json"
	run --separate-stderr nook exec -p "$BATS_TEST_TMPDIR/p.json" "$ID"
	assert_status 255
	assert_contains "${stderr,,}" apparmor
}

@test "exec --apparmor \"\" is unset, and --process ignores --apparmor (runc does)" {
	start_sleeper
	run nook exec --apparmor "" --process-label "" "$ID" true
	assert_status 0
	jq '.process | .args = ["true"]' "$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/p.json"
	run nook exec --apparmor unconfined -p "$BATS_TEST_TMPDIR/p.json" "$ID"
	assert_status 0
}

@test "exec flags that make an invalid process fail with 255 naming it: -e without =, a relative --cwd" {
	start_sleeper
	run --separate-stderr nook exec -e FOO "$ID" true
	assert_status 255
	assert_contains "$stderr" FOO  # nook: missing `=`; runc: invalid environment variable
	run --separate-stderr nook exec --cwd tmp "$ID" true
	assert_status 255
	assert_contains "$stderr" "must be an absolute path"
}

@test "exec of a directory fails with permission denied, not a missing file" {
	start_sleeper
	run --separate-stderr nook exec "$ID" /etc
	assert_status 255
	assert_contains "${stderr,,}" "permission denied"
}

@test "exec --cap with a capability nook does not know warns and runs, as runc" {
	requires_nook "runc's warning words differ"
	start_sleeper
	run --separate-stderr nook exec --cap CAP_BOGUS "$ID" echo ran
	assert_status 0
	[ "$output" = ran ]
	assert_contains "$stderr" "CAP_BOGUS"
}
