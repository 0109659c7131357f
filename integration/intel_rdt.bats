#!/usr/bin/env bats
# linux.intelRdt: the container's resctrl group where resctrl is mounted, and clear refusals
# (exit 1, the field named, nothing left) where it is not or the config is malformed.

load helpers

setup() {
	requires_nook "runc 1.1's errors for intelRdt differ in wording"
	nook_setup
}

# resctrl_mount: prints where resctrl is mounted, nothing where it is not.
resctrl_mount() {
	awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "resctrl") print $5; break } }' /proc/self/mountinfo | head -n 1
}

@test "linux.intelRdt where resctrl is not mounted fails naming the field, nothing left" {
	[ -z "$(resctrl_mount)" ] || skip "resctrl is mounted here"
	update_config '.linux.intelRdt = {"l3CacheSchema": "L3:0=f"}'
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "linux.intelRdt: resctrl is not mounted"
	assert_nothing_left "$ID"
}

@test "malformed linux.intelRdt fails naming the field before the host is asked, nothing left" {
	update_config '.linux.intelRdt = {"closID": "../escape"}'
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_contains "$stderr" "linux.intelRdt.closID: \`../escape\` is not a resctrl group name"
	assert_nothing_left "$ID"
	update_config '.linux.intelRdt = {"memBwSchema": "L3:0=f"}'
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_contains "$stderr" "linux.intelRdt.memBwSchema: must start with \`MB:\`"
	assert_nothing_left "$ID"
}

@test "with resctrl, the init is in a group named after the container, which delete removes" {
	local mnt
	mnt=$(resctrl_mount)
	[ -n "$mnt" ] || skip "resctrl is not mounted on this host (no Intel RDT / AMD QoS here)"
	update_config '.linux.intelRdt = {"enableMonitoring": true}'
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	grep -qx "$(pid_of "$ID")" "$mnt/$ID/tasks" || fail "init not in $mnt/$ID/tasks"
	grep -qx "$(pid_of "$ID")" "$mnt/$ID/mon_groups/$ID/tasks" || fail "init not in its monitoring group"
	nook delete --force "$ID"
	[ ! -e "$mnt/$ID" ] || fail "group left behind"
}
