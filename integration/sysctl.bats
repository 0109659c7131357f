#!/usr/bin/env bats
# sysctl: linux.sysctl is written inside the container's namespaces only; sysctls that are not
# namespaced, or whose namespace the container shares with the host, are refused.

load helpers

# sysctl_error KEY VALUE [NEEDLE]: the run fails with exit 1, one line naming NEEDLE (default
# KEY), nothing left.
sysctl_error() {
	update_config ".linux.sysctl = {\"$1\": \"$2\"}"
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "${3:-$1}"
	assert_nothing_left "$ID"
}

@test "a net sysctl is set in the container's network namespace, not the host's" {
	local host
	host=$(cat /proc/sys/net/ipv4/ip_forward)
	local want=$((1 - host))
	update_config ".linux.sysctl = {\"net.ipv4.ip_forward\": \"$want\"}"
	set_args cat /proc/sys/net/ipv4/ip_forward
	run nook run "$ID"
	assert_status 0
	[ "$output" = "$want" ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host" ]
}

@test "ipc sysctls (kernel.shmmax, kernel.msgmax) are set in the container's ipc namespace" {
	local host
	host=$(cat /proc/sys/kernel/shmmax)
	update_config '.linux.sysctl = {"kernel.shmmax": "12345678", "kernel.msgmax": "4321"}'
	set_args cat /proc/sys/kernel/shmmax /proc/sys/kernel/msgmax
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "12345678 4321" ]
	[ "$(cat /proc/sys/kernel/shmmax)" = "$host" ]
}

@test "a sysctl value with spaces is written whole (net.ipv4.ping_group_range)" {
	update_config '.linux.sysctl = {"net.ipv4.ping_group_range": "0 2147483647"}'
	set_args cat /proc/sys/net/ipv4/ping_group_range
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "0 2147483647" ]
}

@test "a sysctl key may use / as separator" {
	update_config '.linux.sysctl = {"kernel/msgmax": "4321"}'
	set_args cat /proc/sys/kernel/msgmax
	run nook run "$ID"
	assert_status 0
	[ "$output" = 4321 ]
}

@test "fs.mqueue sysctls are allowed with an ipc namespace" {
	update_config '.linux.sysctl = {"fs.mqueue.msg_max": "20"}'
	set_args cat /proc/sys/fs/mqueue/msg_max
	run nook run "$ID"
	assert_status 0
	[ "$output" = 20 ]
}

@test "a sysctl outside any namespace (vm.swappiness) is refused" {
	local before
	before=$(cat /proc/sys/vm/swappiness)
	sysctl_error vm.swappiness 1
	assert_contains "$stderr" "is not in a separate kernel namespace"
	[ "$(cat /proc/sys/vm/swappiness)" = "$before" ]
}

@test "a net sysctl without a network namespace of its own is refused" {
	update_config '.linux.namespaces |= map(select(.type != "network"))'
	local before
	before=$(cat /proc/sys/net/ipv4/ip_forward)
	sysctl_error net.ipv4.ip_forward "$((1 - before))"
	assert_contains "$stderr" "not allowed in host network namespace"
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$before" ]
}

@test "kernel.hostname is refused: it conflicts with the hostname field" {
	sysctl_error kernel.hostname evil
}

@test "a sysctl key climbing out of /proc/sys is refused" {
	sysctl_error ../../etc/x 1
}

@test "an unknown net sysctl fails with exit 1 and leaves nothing behind" {
	# runc names the file (/proc/sys/net/bogus/key), not the key.
	sysctl_error net.bogus.key 1 bogus
}

@test "an invalid sysctl value fails with exit 1 and leaves nothing behind" {
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "notanumber"}'
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "ip_forward"
	assert_nothing_left "$ID"
}
