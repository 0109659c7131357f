#!/usr/bin/env bats
# linux.resources at create, read back from the container's cgroup on this host's layout (v1
# or hybrid; the v2 translation is unit-tested on fake trees): memory, cpu, cpuset, pids, blkio
# throttles, hugetlb, net_cls/net_prio and unified keys, compared with runc where runc and the
# kernel decide.

load helpers

# v1_file CONTROLLER FILE: the container's cgroup file in a v1 hierarchy.
v1_file() {
	echo "/sys/fs/cgroup/$1/nook-test/$ID/$2"
}

requires_v1() {
	[ -d /sys/fs/cgroup/memory ] || skip "the v1 hierarchies are what this test reads"
}

# create_with JQ: the bundle's config updated by JQ, then `create` of a `sleep`, setting
# $status, $stderr and $stderr_lines like `run --separate-stderr` (which would wait for the
# waiting init to close the pipes it inherited).
create_with() {
	update_config "$1"
	set_args sleep 100
	status=0
	nook create "$ID" </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/stderr" || status=$?
	stderr=$(cat "$BATS_TEST_TMPDIR/stderr")
	mapfile -t stderr_lines <"$BATS_TEST_TMPDIR/stderr"
}

@test "memory: limit, reservation, swap, swappiness and disableOOMKiller land in the v1 files" {
	requires_v1
	[ -f /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ] || skip "no swap accounting here"
	create_with '.linux.resources.memory = {"limit": 67108864, "reservation": 33554432,
		"swap": 134217728, "swappiness": 10, "disableOOMKiller": true}'
	assert_status 0
	[ "$(cat "$(v1_file memory memory.limit_in_bytes)")" = 67108864 ]
	[ "$(cat "$(v1_file memory memory.soft_limit_in_bytes)")" = 33554432 ]
	[ "$(cat "$(v1_file memory memory.memsw.limit_in_bytes)")" = 134217728 ]
	[ "$(cat "$(v1_file memory memory.swappiness)")" = 10 ]
	grep -qx "oom_kill_disable 1" "$(v1_file memory memory.oom_control)"
}

@test "memory: limit -1 leaves memory and memory+swap unlimited" {
	requires_v1
	create_with '.linux.resources.memory = {"limit": -1}'
	assert_status 0
	[ "$(cat "$(v1_file memory memory.limit_in_bytes)")" = 9223372036854771712 ]
}

@test "memory: kernel and kernelTCP are ignored with runc 1.1's warning" {
	requires_v1
	create_with '.linux.resources.memory = {"kernel": 8388608, "kernelTCP": 8388608}'
	assert_status 0
	assert_contains "$stderr" "Kernel memory settings are ignored and will be removed"
	[ "$(cat "$(v1_file memory memory.kmem.tcp.limit_in_bytes)")" = 9223372036854771712 ]
}

@test "memory: swap without a memory limit fails: exit 1, names the field, nothing left" {
	create_with '.linux.resources.memory = {"swap": 134217728}'
	assert_status 1
	assert_one_error_line
	assert_nothing_left "$ID"
}

@test "cpu: shares, quota and period land in the v1 cpu files" {
	requires_v1
	create_with '.linux.resources.cpu = {"shares": 512, "quota": 20000, "period": 100000}'
	assert_status 0
	[ "$(cat "$(v1_file cpu cpu.shares)")" = 512 ]
	[ "$(cat "$(v1_file cpu cpu.cfs_quota_us)")" = 20000 ]
	[ "$(cat "$(v1_file cpu cpu.cfs_period_us)")" = 100000 ]
}

@test "cpu: cpus and mems land in the cpuset" {
	requires_v1
	create_with '.linux.resources.cpu = {"cpus": "0", "mems": "0"}'
	assert_status 0
	[ "$(cat "$(v1_file cpuset cpuset.cpus)")" = 0 ]
	[ "$(cat "$(v1_file cpuset cpuset.mems)")" = 0 ]
}

@test "cpu: a realtime runtime the parent cannot give fails like runc with the kernel's EINVAL, nothing left" {
	requires_v1
	[ "$(cat /sys/fs/cgroup/cpu/nook-test/cpu.rt_runtime_us 2>/dev/null || echo 0)" = 0 ] ||
		skip "/nook-test has a realtime budget here"
	create_with '.linux.resources.cpu = {"realtimeRuntime": 1000, "realtimePeriod": 100000}'
	assert_status 1
	assert_contains "${stderr,,}" "invalid argument"
	assert_nothing_left "$ID"
}

@test "pids: a positive limit is written, 0 and -1 are max" {
	requires_v1
	local limit expected
	for limit in 5 0 -1; do
		expected=$limit
		[ "$limit" -gt 0 ] || expected=max
		create_with ".linux.resources.pids = {\"limit\": $limit}"
		assert_status 0
		[ "$(cat "$(v1_file pids pids.max)")" = "$expected" ] || fail "limit $limit: $(cat "$(v1_file pids pids.max)")"
		nook delete --force "$ID"
	done
}

@test "blockIO: throttles of the root disk land in the v1 blkio files" {
	requires_v1
	local dev
	dev=$(lsblk -dno MAJ:MIN "$(findmnt -no SOURCE / | sed 's/[0-9]*$//')" 2>/dev/null | tr -d ' ')
	[ -n "$dev" ] || dev=$(awk '$2 == 0 && $4 !~ /^(loop|ram|zram)/ {print $1 ":" $2; exit}' /proc/partitions)
	[ -n "$dev" ] || skip "no whole disk to throttle"
	local major=${dev%:*} minor=${dev#*:}
	create_with ".linux.resources.blockIO = {\"throttleReadBpsDevice\": [{\"major\": $major, \"minor\": $minor, \"rate\": 1048576}],
		\"throttleWriteIOPSDevice\": [{\"major\": $major, \"minor\": $minor, \"rate\": 100}]}"
	assert_status 0
	[ "$(cat "$(v1_file blkio blkio.throttle.read_bps_device)")" = "$dev 1048576" ]
	[ "$(cat "$(v1_file blkio blkio.throttle.write_iops_device)")" = "$dev 100" ]
}

@test "hugepageLimits on a hybrid host without a v1 hugetlb go to the unified hierarchy" {
	requires_nook "runc 1.1 fails: it looks for hugetlb in v1 only"
	[ ! -d /sys/fs/cgroup/hugetlb ] && grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null ||
		skip "needs hybrid with hugetlb only in cgroup2"
	[ -d /sys/kernel/mm/hugepages/hugepages-2048kB ] || skip "no 2MB huge pages"
	create_with '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
	assert_status 0
	[ "$(cat "/sys/fs/cgroup/unified/nook-test/$ID/hugetlb.2MB.max")" = 4194304 ]
}

@test "unified keys on a hybrid host are written to the unified hierarchy" {
	requires_nook "runc 1.1: cannot use unified on cgroup v1"
	[ ! -d /sys/fs/cgroup/hugetlb ] && grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null ||
		skip "needs hybrid with hugetlb only in cgroup2"
	create_with '.linux.resources.unified = {"hugetlb.2MB.max": "2097152"}'
	assert_status 0
	[ "$(cat "/sys/fs/cgroup/unified/nook-test/$ID/hugetlb.2MB.max")" = 2097152 ]
}

@test "unified keys of a controller cgroup2 does not have fail naming it: exit 1, nothing left" {
	[ -d /sys/fs/cgroup/unified ] && ! grep -qw memory /sys/fs/cgroup/unified/cgroup.controllers ||
		skip "needs a hybrid host whose cgroup2 has no memory controller"
	create_with '.linux.resources.unified = {"memory.high": "1000000"}'
	assert_status 1
	assert_one_error_line
	assert_nothing_left "$ID"
}

@test "network classID and priorities without net_cls/net_prio mounted fail: exit 1, nothing left" {
	[ ! -d /sys/fs/cgroup/net_cls ] && [ -d /sys/fs/cgroup/memory ] || skip "net_cls is mounted here"
	local network
	for network in '{"classID": 1048577}' '{"priorities": [{"name": "lo", "priority": 5}]}'; do
		create_with ".linux.resources.network = $network"
		assert_status 1
		assert_one_error_line
		assert_contains "$stderr" net_
		assert_nothing_left "$ID"
	done
}
