#!/usr/bin/env bats
# errors: bad input gets exit 1, one line on stderr naming the problem, and leaves nothing
# behind; the error line's form follows --log and --log-format like runc's logrus output.

load helpers

nook_stdout_null() {
	nook "$@" >/dev/null
}

RFC3339='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})'

# create_fails [ID]: create fails with exit 1 and one error line, and leaves nothing behind.
# stdout goes to /dev/null: a create that wrongly succeeds must not hang `run` on the pipe.
create_fails() {
	local id=${1-$ID}
	run --separate-stderr nook_stdout_null create "$id" </dev/null
	assert_status 1
	assert_one_error_line
	assert_nothing_left "$id"
}

# ---- config.json -----------------------------------------------------------------------------

@test "malformed config.json: exit 1, one line, nothing left" {
	echo '{"ociVersion": "1.0.2", "process": {bad' >"$BUNDLE/config.json"
	create_fails
}

@test "malformed config.json: the error names config.json" {
	requires_nook "runc prints only the JSON decoder's message"
	echo '{bad' >"$BUNDLE/config.json"
	create_fails
	assert_contains "$stderr" config.json
}

@test "empty config.json: exit 1, one line, nothing left" {
	: >"$BUNDLE/config.json"
	create_fails
}

@test "missing config.json: exit 1, names config.json, nothing left" {
	rm "$BUNDLE/config.json"
	create_fails
	assert_contains "$stderr" config.json
}

@test "bundle directory that does not exist: exit 1, names it, nothing left" {
	run --separate-stderr nook create --bundle "$BATS_TEST_TMPDIR/no-bundle" "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "$BATS_TEST_TMPDIR/no-bundle"
	assert_nothing_left "$ID"
}

@test "missing rootfs: exit 1, names the rootfs path, nothing left" {
	update_config '.root.path = "no-such-rootfs"'
	create_fails
	assert_contains "$stderr" "$BUNDLE/no-such-rootfs"
}

@test "missing root: exit 1, nothing left" {
	update_config 'del(.root)'
	create_fails
	assert_contains "$stderr" root
}

@test "missing process: exit 1, nothing left" {
	update_config 'del(.process)'
	create_fails
	assert_contains "$stderr" process
}

@test "empty process.args: exit 1, nothing left" {
	update_config '.process.args = []'
	create_fails
	# runc: "args must not be empty"; nook: "process.args: must not be empty"
	assert_contains "$stderr" "args"
	assert_contains "$stderr" "must not be empty"
}

@test "empty process.args: the error names the field path process.args" {
	requires_nook "runc says 'args must not be empty'"
	update_config '.process.args = []'
	create_fails
	assert_contains "$stderr" process.args
}

@test "a field of the wrong type: exit 1, names the field, nothing left" {
	update_config '.process.args = "not-a-list"'
	create_fails
	assert_contains "$stderr" args
}

@test "a field of the wrong type: the error names the field path" {
	requires_nook "runc names the Go struct field"
	update_config '.process.user.uid = "root"'
	create_fails
	assert_contains "$stderr" process.user.uid
}

@test "unknown fields in config.json are ignored" {
	update_config '.nookUnknownField = {"a": 1} | .process.alsoUnknown = true'
	set_args echo fine
	run nook run "$ID"
	assert_status 0
	[ "$output" = fine ]
}

@test "a relative process.cwd is refused: exit 1, nothing left" {
	update_config '.process.cwd = "relative/dir"'
	create_fails
	# runc: "Cwd must be an absolute path"
	assert_contains "${stderr,,}" cwd
}

# ---- container ids ---------------------------------------------------------------------------

@test "id ../x is refused: invalid container ID format, nothing made outside --root" {
	create_fails ../x
	assert_contains "$stderr" "invalid container ID format"
	[ ! -e "$BATS_TEST_TMPDIR/x" ]
}

@test "ids with a slash are refused: invalid container ID format" {
	local id
	for id in a/b /abs "$ID/x"; do
		create_fails "$id"
		assert_contains "$stderr" "invalid container ID format"
	done
}

@test "ids . and .. and with spaces or colons are refused: invalid container ID format" {
	local id
	for id in . .. "a b" "a:b"; do
		create_fails "$id"
		assert_contains "$stderr" "invalid container ID format"
	done
}

@test "an empty id is refused" {
	create_fails ""
	assert_contains "$stderr" "container id cannot be empty"
}

@test "ids may use letters, digits, _ . - +" {
	set_args true
	nook create "a_B.c-d+9-$ID" </dev/null >/dev/null 2>&1
	[ "$(status_of "a_B.c-d+9-$ID")" = created ]
}

@test "state, kill, delete and start refuse a bad id the same way" {
	local cmd
	for cmd in state start delete kill; do
		run --separate-stderr nook "$cmd" ../x
		assert_status 1
		assert_one_error_line
	done
}

@test "a duplicate id fails with already exists and leaves the first container untouched" {
	set_args sleep 100
	nook create "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	run --separate-stderr nook_stdout_null create "$ID" </dev/null
	assert_status 1
	assert_one_error_line
	# runc 1.1: "container with given ID already exists"
	assert_contains "$stderr" "already exists"
	[ "$(status_of "$ID")" = created ]
	[ "$(pid_of "$ID")" = "$pid" ]
	[ -d "/sys/fs/cgroup/pids/nook-test/$ID" ]
}

@test "an unknown namespace path: exit 1, names the path, nothing left" {
	update_config ".linux.namespaces |= map(if .type == \"ipc\" then .path = \"$BATS_TEST_TMPDIR/nope\" else . end)"
	create_fails
	assert_contains "$stderr" "$BATS_TEST_TMPDIR/nope"
}

# ---- the CLI --------------------------------------------------------------------------------

@test "an unknown command fails with a non-zero exit" {
	run --separate-stderr nook bogus-command
	[ "$status" -ne 0 ]
	assert_contains "$stderr" bogus-command
}

@test "an unknown flag fails with exit 1" {
	run --separate-stderr nook list --bogus-flag
	assert_status 1
	assert_contains "$stderr" "flag provided but not defined: -bogus-flag"
}

@test "--version prints the version and exits 0" {
	run "$NOOK" --version
	assert_status 0
	[[ "${lines[0]}" =~ version\ [0-9]+\.[0-9]+ ]] || fail "version: ${lines[0]}"
	assert_contains "$output" "spec: "
}

@test "--help and -h work for every command" {
	local cmd
	for cmd in create start run state list kill delete spec features; do
		run nook "$cmd" --help
		assert_status 0
		[ -n "$output" ] || fail "$cmd --help printed nothing"
		run nook "$cmd" -h
		assert_status 0
	done
	run "$NOOK" --help
	assert_status 0
}

@test "--cgroup-manager cgroupfs, systemd and disabled are accepted" {
	requires_nook "crun's --cgroup-manager is not a runc flag"
	run "$NOOK" --root "$ROOT" --cgroup-manager cgroupfs list
	assert_status 0
	run "$NOOK" --root "$ROOT" --cgroup-manager=disabled list
	assert_status 0
	run --separate-stderr "$NOOK" --root "$ROOT" --cgroup-manager bogus list
	assert_status 1
}

@test "--cgroup-manager disabled creates no cgroup" {
	requires_nook "crun's --cgroup-manager is not a runc flag"
	set_args true
	"$NOOK" --root "$ROOT" --cgroup-manager disabled create "$ID" </dev/null >/dev/null 2>&1
	[ "$(status_of "$ID")" = created ]
	assert_no_cgroup "$ID"
}

@test "--systemd-cgroup without a reachable systemd fails like runc: exit 1, one line, nothing left" {
	[ ! -S /run/systemd/private ] || skip "systemd runs here: the driver would be reached"
	update_config '.linux.cgroupsPath = "system.slice:nook-test:'"$ID"'"'
	set_args true
	run --separate-stderr nook --systemd-cgroup run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "systemd"
	assert_nothing_left "$ID"
}

@test "--systemd-cgroup with a cgroupsPath not of the form slice:prefix:name fails: exit 1, nothing left" {
	set_args true
	local path
	for path in /nook-test/abs a:b a:b:c:d; do
		update_config ".linux.cgroupsPath = \"$path\""
		run --separate-stderr nook --systemd-cgroup run "$ID"
		assert_status 1
		assert_one_error_line
		assert_contains "$stderr" "slice:prefix:name"
		assert_nothing_left "$ID"
	done
}

@test "a slice:prefix:name cgroupsPath without --systemd-cgroup fails: exit 1, names the field" {
	requires_nook "runc's cgroupfs driver makes a directory named system.slice:nook-test:ID"
	update_config '.linux.cgroupsPath = "system.slice:nook-test:'"$ID"'"'
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "linux.cgroupsPath"
	assert_contains "$stderr" "--systemd-cgroup"
	assert_nothing_left "$ID"
}

# ---- error line format ------------------------------------------------------------------------

@test "without --log the error is a logrus text line on stderr" {
	run --separate-stderr nook state "$ID"
	assert_status 1
	assert_one_error_line
	[[ "$stderr" =~ ^time=\"$RFC3339\"\ level=error\ msg=\"container\ does\ not\ exist\"$ ]] ||
		fail "not logrus text: $stderr"
}

@test "with --log FILE the error is printed plainly on stderr and logged to FILE" {
	local log=$BATS_TEST_TMPDIR/nook.log
	run --separate-stderr "$NOOK" --root "$ROOT" --log "$log" state "$ID"
	assert_status 1
	[ "$stderr" = "container does not exist" ]
	grep -q 'level=error msg="container does not exist"' "$log"
}

@test "--log-format json writes JSON lines with level, msg and an RFC 3339 time" {
	local log=$BATS_TEST_TMPDIR/nook.log
	run --separate-stderr "$NOOK" --root "$ROOT" --log "$log" --log-format json state "$ID"
	assert_status 1
	[ "$stderr" = "container does not exist" ]
	local line
	line=$(grep 'container does not exist' "$log")
	[ "$(jq -r .level <<<"$line")" = error ]
	[ "$(jq -r .msg <<<"$line")" = "container does not exist" ]
	[[ "$(jq -r .time <<<"$line")" =~ ^$RFC3339$ ]] || fail "time: $line"
}

@test "--log-format json without --log prints the JSON line on stderr" {
	run --separate-stderr nook --log-format json state "$ID"
	assert_status 1
	assert_one_error_line
	[ "$(jq -r .msg <<<"$stderr")" = "container does not exist" ]
	[ "$(jq -r .level <<<"$stderr")" = error ]
}

@test "--log-format=json and -log-format json are accepted" {
	run --separate-stderr nook --log-format=json state "$ID"
	[ "$(jq -r .msg <<<"$stderr")" = "container does not exist" ]
	run --separate-stderr nook -log-format json state "$ID"
	[ "$(jq -r .msg <<<"$stderr")" = "container does not exist" ]
}

@test "--log-format xml is refused" {
	run --separate-stderr nook --log-format xml state "$ID"
	assert_status 1
	assert_contains "$stderr" "xml"
}

@test "a failed create logs its error to the --log file as JSON" {
	update_config '.root.path = "no-such-rootfs"'
	local log=$BATS_TEST_TMPDIR/nook.log
	run --separate-stderr "$NOOK" --root "$ROOT" --log "$log" --log-format json create "$ID"
	assert_status 1
	jq -e 'select(.level == "error") | .msg | contains("no-such-rootfs")' "$log" >/dev/null ||
		fail "log: $(cat "$log")"
	assert_nothing_left "$ID"
}

@test "--debug is accepted and the error line stays parseable" {
	run --separate-stderr nook --debug state "$ID"
	assert_status 1
	assert_contains "$stderr" 'msg="container does not exist"'
}

@test "--systemd-cgroup, --criu and --rootless are accepted as global flags" {
	run nook --criu /usr/sbin/criu list
	assert_status 0
	run nook --rootless false list
	assert_status 0
	run nook --systemd-cgroup list
	assert_status 0
}
