#!/usr/bin/env bats
# linux.netDevices: a host interface (one end of a veth pair the test makes: this kernel has no
# dummy devices) moves into the container's network namespace under its new name, with its
# permanent global addresses, MTU and MAC, and up. Delete leaves it to the kernel, as the
# runtime-spec says (a veth dies with the namespace; physical devices would return to the host).
# Refused configs and failed creates leave the device on the host as it was.

load helpers

setup() {
	requires_nook "runc 1.1.5 has no linux.netDevices (runtime-spec 1.3)"
	nook_setup
	# Unique names (at most 15 bytes) that other tests running at once cannot take.
	local tag
	tag=$(printf '%x%04x' $$ $RANDOM | tail -c 9)
	VETH=nv${tag}a
	PEER=nv${tag}b
	ip link add "$VETH" type veth peer name "$PEER"
	ip link set "$VETH" mtu 1400 address 02:9b:00:00:00:01 up
	# /32 and /128: no route on the host that could reach anything else.
	ip addr add 192.0.2.91/32 dev "$VETH"
	ip addr add 192.0.2.92/32 dev "$VETH" label "$VETH:1"
	ip -6 addr add 2001:db8:9b::1/128 dev "$VETH" nodad
}

teardown() {
	[ -z "${VETH:-}" ] || ip link del "$VETH" 2>/dev/null || true
	[ -n "${NETNS:-}" ] && ip netns del "$NETNS" 2>/dev/null
	nook_teardown
}

# net_device HOSTNAME [NAME]: sets linux.netDevices to that one entry.
net_device() {
	if [ $# -eq 2 ]; then
		update_config ".linux.netDevices = {\"$1\": {\"name\": \"$2\"}}"
	else
		update_config ".linux.netDevices = {\"$1\": {}}"
	fi
}

# assert_on_host: the interface is back (or still) on the host as the test made it.
assert_on_host() {
	local addrs
	addrs=$(ip -o addr show dev "$VETH" 2>&1) || fail "$VETH is not on the host: $addrs"
	assert_contains "$addrs" "inet 192.0.2.91/32"
	assert_contains "$addrs" "inet 192.0.2.92/32 scope global $VETH:1"
	assert_contains "$addrs" "inet6 2001:db8:9b::1/128"
	local link
	link=$(ip -o link show dev "$VETH")
	assert_contains "$link" "mtu 1400"
	assert_contains "$link" "02:9b:00:00:00:01"
	assert_contains "$link" ",UP"
}

# wait_for_no_link NAME: the kernel frees a dead namespace (and its veths) asynchronously.
wait_for_no_link() {
	local deadline=$((SECONDS + 10))
	while ip link show dev "$1" >/dev/null 2>&1; do
		[ "$SECONDS" -le "$deadline" ] || fail "$1 still exists"
		sleep 0.1
	done
}

# fails_and_keeps_device TEXT: run fails with one error line holding TEXT, exit 1, leaves
# nothing behind and the device on the host.
fails_and_keeps_device() {
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "$1"
	assert_nothing_left "$ID"
	assert_on_host
}

@test "a moved interface is seen inside under its new name, up, with its addresses, MTU and MAC" {
	net_device "$VETH" ctr0
	set_args sleep 100
	nook create "$ID" </dev/null >/dev/null 2>&1
	! ip link show dev "$VETH" >/dev/null 2>&1 || fail "$VETH is still on the host"
	run nook exec "$ID" ip addr show dev ctr0
	assert_status 0
	assert_contains "$output" "mtu 1400"
	assert_contains "$output" "link/ether 02:9b:00:00:00:01"
	assert_contains "$output" ",UP"
	assert_contains "$output" "inet 192.0.2.91/32 scope global ctr0"
	# An IPv4 label follows the new name.
	assert_contains "$output" "inet 192.0.2.92/32 scope global ctr0:1"
	assert_contains "$output" "inet6 2001:db8:9b::1/128 scope global"
	# nodad was kept: the address is not tentative.
	assert_not_contains "$output" "tentative"
	run nook exec "$ID" ip -o link show
	assert_not_contains "$output" "$VETH"
}

@test "without a name the interface keeps its host name inside" {
	net_device "$VETH"
	set_args ip -o addr show dev "$VETH"
	run nook run "$ID"
	assert_status 0
	assert_contains "$output" "inet 192.0.2.91/32"
}

@test "a name with %d is a template the kernel completes" {
	net_device "$VETH" 'nkt%d'
	set_args ip -o addr show dev nkt0
	run nook run "$ID"
	assert_status 0
	assert_contains "$output" "inet 192.0.2.91/32 scope global nkt0"
}

@test "devices are moved before the prestart and createRuntime hooks run" {
	local hook
	hook=$(jq -nc --arg d "$BATS_TEST_TMPDIR" --arg p "$PEER" '{path: "/bin/sh", args: ["sh", "-c",
		"pid=$(jq -r .pid); nsenter -t $pid -n ip -o link show ctr0 > \($d)/seen"]}')
	update_config ".hooks.createRuntime = [$hook]"
	net_device "$VETH" ctr0
	set_args true
	run nook run "$ID"
	assert_status 0
	assert_contains "$(cat "$BATS_TEST_TMPDIR/seen")" "ctr0"
}

@test "delete leaves a moved veth to the kernel: it goes with the namespace, its host peer too" {
	net_device "$VETH" ctr0
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	ip link show dev "$PEER" >/dev/null
	nook delete --force "$ID"
	# Not moved back (runtime-spec: the runtime MUST NOT move it out before deletion); a virtual
	# device is destroyed with its namespace.
	wait_for_no_link "$PEER"
	! ip link show dev "$VETH" >/dev/null 2>&1 || fail "$VETH was moved back"
	! ip link show dev ctr0 >/dev/null 2>&1 || fail "ctr0 was moved back"
	assert_nothing_left "$ID"
}

@test "with a joined network namespace the device stays in it after delete" {
	NETNS=nook-test-$ID
	ip netns add "$NETNS"
	update_config ".linux.namespaces |= map(if .type == \"network\" then .path = \"/var/run/netns/$NETNS\" else . end)"
	net_device "$VETH" ctr0
	set_args true
	run nook run "$ID"
	assert_status 0
	run ip netns exec "$NETNS" ip -o addr show dev ctr0
	assert_status 0
	assert_contains "$output" "inet 192.0.2.91/32"
	! ip link show dev "$VETH" >/dev/null 2>&1
}

@test "a device moves into a network namespace owned by the container's own user namespace" {
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	local d=$BUNDLE
	while [ "$d" != / ]; do
		chmod a+x "$d"
		d=$(dirname "$d")
	done
	net_device "$VETH" ctr0
	set_args ip -o addr show dev ctr0
	run nook run "$ID"
	assert_status 0
	assert_contains "$output" "inet 192.0.2.91/32 scope global ctr0"
}

@test "a device that does not exist on the host fails create with the field named" {
	net_device nosuchdev9b ctr0
	fails_and_keeps_device "linux.netDevices.nosuchdev9b: no interface \`nosuchdev9b\`"
}

@test "netDevices without a network namespace of the container's own fails with the field named" {
	update_config '.linux.namespaces |= map(select(.type != "network"))'
	net_device "$VETH" ctr0
	fails_and_keeps_device "linux.netDevices: requires a network namespace of the container's own"
}

@test "netDevices with the runtime's own network namespace joined by path fails with the field named" {
	update_config ".linux.namespaces |= map(if .type == \"network\" then .path = \"/proc/$$/ns/net\" else . end)"
	net_device "$VETH" ctr0
	fails_and_keeps_device "linux.netDevices: requires a network namespace of the container's own, and \`/proc/$$/ns/net\` is the runtime's"
}

@test "an invalid new name fails create with the field named" {
	net_device "$VETH" 'bad/name'
	fails_and_keeps_device "linux.netDevices.$VETH.name: \`bad/name\` is not an interface name"
}

@test "two devices given the same name fail create with the field named" {
	update_config ".linux.netDevices = {\"$VETH\": {\"name\": \"ctr0\"}, \"$PEER\": {\"name\": \"ctr0\"}}"
	fails_and_keeps_device "linux.netDevices.$PEER.name: \`ctr0\` is also the name of linux.netDevices.$VETH"
}

@test "a new name already taken in the container's namespace fails create with the field named" {
	net_device "$VETH" lo
	fails_and_keeps_device "linux.netDevices.$VETH.name: \`lo\` already exists in the container's network namespace"
}

@test "a failing createRuntime hook after the move puts the device back on the host" {
	update_config '.hooks.createRuntime = [{"path": "/bin/false"}]'
	net_device "$VETH" ctr0
	fails_and_keeps_device "createRuntime hook \`/bin/false\` failed"
}

@test "a failing createContainer hook (the init dies) still puts the device back on the host" {
	update_config '.hooks.createContainer = [{"path": "/bin/false"}]'
	net_device "$VETH" ctr0
	fails_and_keeps_device "createContainer hook \`/bin/false\` failed"
}
