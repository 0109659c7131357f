#!/usr/bin/env bats
# features: the runtime-spec features document (JSON) and its agreement with runc's.

load helpers

setup() {
	nook_setup
	run --separate-stderr nook features
	assert_status 0
	FEATURES=$output
}

@test "features prints one JSON object with the runtime-spec keys" {
	jq -e 'type == "object"' <<<"$FEATURES" >/dev/null
	local key
	for key in ociVersionMin ociVersionMax hooks mountOptions linux; do
		jq -e --arg k "$key" 'has($k)' <<<"$FEATURES" >/dev/null || fail "no $key"
	done
	# annotations is optional in the runtime-spec; runc 1.1 has it.
	jq -e '(.annotations // {}) | type == "object"' <<<"$FEATURES" >/dev/null
	[[ "$(jq -r .ociVersionMin <<<"$FEATURES")" =~ ^1\.[0-9]+\.[0-9]+ ]]
	[[ "$(jq -r .ociVersionMax <<<"$FEATURES")" =~ ^1\.[0-9]+\.[0-9]+ ]]
}

@test "features lists all six hooks" {
	[ "$(jq -r '.hooks | sort | join(" ")' <<<"$FEATURES")" = \
		"createContainer createRuntime poststart poststop prestart startContainer" ]
}

@test "features lists the namespaces, capabilities, cgroup and seccomp support" {
	local ns
	for ns in cgroup ipc mount network pid user uts; do
		jq -e --arg n "$ns" '.linux.namespaces | index($n)' <<<"$FEATURES" >/dev/null || fail "no namespace $ns"
	done
	jq -e '.linux.capabilities | index("CAP_SYS_ADMIN")' <<<"$FEATURES" >/dev/null
	jq -e '.linux.capabilities | index("CAP_CHOWN")' <<<"$FEATURES" >/dev/null
	[ "$(jq -r '.linux.cgroup.v1' <<<"$FEATURES")" = true ]
	[ "$(jq -r '.linux.cgroup.v2' <<<"$FEATURES")" = true ]
	[ "$(jq -r '.linux.seccomp.enabled' <<<"$FEATURES")" = true ]
	jq -e '.linux.seccomp.actions | index("SCMP_ACT_ERRNO")' <<<"$FEATURES" >/dev/null
	jq -e '.linux.seccomp.actions | index("SCMP_ACT_NOTIFY")' <<<"$FEATURES" >/dev/null
}

@test "features lists every mount option and namespace runc lists" {
	requires_runc "compare with runc features"
	local theirs
	theirs=$(runc features)
	local missing
	missing=$(jq -rn --argjson a "$FEATURES" --argjson b "$theirs" \
		'($b.mountOptions - $a.mountOptions) + ($b.linux.namespaces - $a.linux.namespaces)
		 + ($b.linux.capabilities - $a.linux.capabilities) + ($b.hooks - $a.hooks) | join(" ")')
	[ -z "$missing" ] || fail "missing from nook features: $missing"
}

@test "features reports id-mapped mounts and the idmap and ridmap options" {
	requires_nook "runc 1.1 has no id-mapped mounts"
	[ "$(jq -r '.linux.mountExtensions.idmap.enabled' <<<"$FEATURES")" = true ]
	jq -e '.mountOptions | index("idmap")' <<<"$FEATURES" >/dev/null
	jq -e '.mountOptions | index("ridmap")' <<<"$FEATURES" >/dev/null
}

@test "features lists the time namespace" {
	requires_nook "runc 1.1 has no time namespace support"
	jq -e '.linux.namespaces | index("time")' <<<"$FEATURES" >/dev/null
}

@test "features reports netDevices as enabled" {
	requires_nook "runc 1.1 predates linux.netDevices"
	[ "$(jq -r .linux.netDevices.enabled <<<"$FEATURES")" = true ]
}

@test "features reports the runtime-spec version nook implements as ociVersionMax" {
	requires_nook "runc 1.1 says 1.0.2-dev"
	[ "$(jq -r .ociVersionMax <<<"$FEATURES")" = 1.3.0 ]
}

@test "features lists every linux.memoryPolicy mode and flag, and intelRdt with schemata and monitoring" {
	requires_nook "runc 1.1 predates linux.memoryPolicy"
	[ "$(jq -c .linux.memoryPolicy.modes <<<"$FEATURES")" = '["MPOL_BIND","MPOL_DEFAULT","MPOL_INTERLEAVE","MPOL_LOCAL","MPOL_PREFERRED","MPOL_PREFERRED_MANY","MPOL_WEIGHTED_INTERLEAVE"]' ]
	[ "$(jq -c .linux.memoryPolicy.flags <<<"$FEATURES")" = '["MPOL_F_NUMA_BALANCING","MPOL_F_RELATIVE_NODES","MPOL_F_STATIC_NODES"]' ]
	[ "$(jq -c .linux.intelRdt <<<"$FEATURES")" = '{"enabled":true,"schemata":true,"monitoring":true}' ]
}

@test "nook --version names the runtime-spec version it implements" {
	requires_nook "runc 1.1.5 says spec: 1.0.2-dev"
	run nook --version
	assert_status 0
	assert_contains "$output" "spec: 1.3.0"
}

@test "features with an argument fails with exit 1" {
	run --separate-stderr nook features extra
	assert_status 1
}
