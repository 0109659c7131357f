#!/usr/bin/env bats
# hooks: the six kinds run in lifecycle order, in the right namespace, with the state JSON on
# stdin, their own args and env. runtime-spec 1.3 on failures: a failing or timed-out
# prestart, createRuntime, createContainer, startContainer or poststart hook is an error that
# names it, and the container is stopped and destroyed (nothing left), the poststop hooks
# running after; a failing poststop hook is a warning and the rest still run.

load helpers

setup() {
	nook_setup
	# One host dir, bind-mounted at the same path inside, so every hook (startContainer runs
	# inside the container) can log to the same absolute path.
	HOOKS=$BATS_TEST_TMPDIR/hooks
	mkdir -p "$HOOKS"
	update_config ".mounts += [{\"destination\": \"$HOOKS\", \"type\": \"bind\", \"source\": \"$HOOKS\", \"options\": [\"bind\"]}]"
}

# recording_hook KIND: a hook that saves its stdin to $HOOKS/KIND.json and appends
# "KIND <env> <argv1> <mnt ns>" to $HOOKS/order.
recording_hook() {
	jq -nc --arg k "$1" --arg d "$HOOKS" '{
		path: "/bin/sh",
		args: ["sh", "-c", "cat > \($d)/\($k).json; echo \($k) $HOOKENV $1 $(readlink /proc/self/ns/mnt) >> \($d)/order", "argv0", "arg-\($k)"],
		env: ["HOOKENV=env-\($k)"]}'
}

# set_hooks KIND=JSON...: sets .hooks.KIND = [JSON] for each pair.
set_hook() {
	update_config ".hooks.$1 = [$2]"
}

all_recording_hooks() {
	local k
	for k in prestart createRuntime createContainer startContainer poststart poststop; do
		set_hook "$k" "$(recording_hook "$k")"
	done
}

@test "all six hooks run, in lifecycle order, around the process" {
	all_recording_hooks
	set_args sh -c "echo process >> $HOOKS/order"
	run nook run "$ID"
	assert_status 0
	local order
	order=$(cut -d' ' -f1 "$HOOKS/order" | tr '\n' ' ')
	# poststart runs in the runtime after the process is released: it may race the
	# startContainer hook and the process itself, so check it apart.
	[ "$(sed 's/poststart //' <<<"$order")" = "prestart createRuntime createContainer startContainer process poststop " ] ||
		fail "order: $order"
	local i_cc i_ps
	i_cc=$(grep -n '^createContainer ' "$HOOKS/order" | cut -d: -f1)
	i_ps=$(grep -n '^poststart ' "$HOOKS/order" | cut -d: -f1)
	[ "$i_ps" -gt "$i_cc" ] || fail "poststart before createContainer: $order"
}

@test "each hook gets its own args and env" {
	all_recording_hooks
	set_args true
	run nook run "$ID"
	assert_status 0
	local k
	for k in prestart createRuntime createContainer startContainer poststart poststop; do
		grep -q "^$k env-$k arg-$k " "$HOOKS/order" || fail "$k: $(cat "$HOOKS/order")"
	done
}

@test "prestart, createRuntime, poststart and poststop run in the runtime's mount namespace; createContainer and startContainer in the container's" {
	all_recording_hooks
	set_args true
	run nook run "$ID"
	assert_status 0
	local host
	host=$(host_ns mnt)
	local k
	for k in prestart createRuntime poststart poststop; do
		grep "^$k " "$HOOKS/order" | grep -qF " $host" || fail "$k not in host mnt ns: $(cat "$HOOKS/order")"
	done
	for k in createContainer startContainer; do
		! grep "^$k " "$HOOKS/order" | grep -qF " $host" || fail "$k in host mnt ns: $(cat "$HOOKS/order")"
	done
}

@test "each hook receives the state JSON on stdin: ociVersion, id, pid, status, bundle, annotations" {
	update_config '.annotations = {"org.example": "hooked"}'
	all_recording_hooks
	set_args true
	run nook run "$ID"
	assert_status 0
	local k
	for k in prestart createRuntime createContainer startContainer poststart poststop; do
		local json
		json=$(cat "$HOOKS/$k.json")
		[ "$(jq -r .id <<<"$json")" = "$ID" ] || fail "$k id: $json"
		[ "$(jq -r .bundle <<<"$json")" = "$BUNDLE" ] || fail "$k bundle: $json"
		[ "$(jq -r '.ociVersion | type' <<<"$json")" = string ] || fail "$k ociVersion: $json"
		[ "$(jq -r '.annotations["org.example"]' <<<"$json")" = hooked ] || fail "$k annotations: $json"
	done
	for k in prestart createRuntime createContainer startContainer poststart; do
		[ "$(jq -r '.pid' "$HOOKS/$k.json")" -gt 0 ] || fail "$k pid: $(cat "$HOOKS/$k.json")"
	done
	[ "$(jq -r .status "$HOOKS/prestart.json")" = creating ]
	[ "$(jq -r .status "$HOOKS/createRuntime.json")" = creating ]
	[ "$(jq -r .status "$HOOKS/createContainer.json")" = creating ]
	[ "$(jq -r .status "$HOOKS/startContainer.json")" = created ]
	[ "$(jq -r .status "$HOOKS/poststop.json")" = stopped ]
}

@test "prestart and createRuntime hooks see the container's host pid" {
	set_hook prestart "$(recording_hook prestart)"
	set_hook createRuntime "$(recording_hook createRuntime)"
	set_args sleep 100
	nook create "$ID" </dev/null >/dev/null 2>&1
	[ "$(jq -r .pid "$HOOKS/prestart.json")" = "$(pid_of "$ID")" ]
	[ "$(jq -r .pid "$HOOKS/createRuntime.json")" = "$(pid_of "$ID")" ]
}

@test "create runs prestart, createRuntime and createContainer; start runs startContainer" {
	all_recording_hooks
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	local after_create
	after_create=$(cut -d' ' -f1 "$HOOKS/order" | grep -v poststart | tr '\n' ' ')
	[ "$after_create" = "prestart createRuntime createContainer " ] || fail "after create: $(cat "$HOOKS/order")"
	nook start "$ID"
	wait_for_status "$ID" stopped
	grep -q '^startContainer ' "$HOOKS/order"
	grep -q '^poststart ' "$HOOKS/order"
	! grep -q '^poststop ' "$HOOKS/order"
}

@test "poststart runs on start, not on create" {
	requires_nook "runc 1.1 runs poststart hooks during create (fixed in runc 1.2)"
	set_hook poststart "$(recording_hook poststart)"
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	[ ! -e "$HOOKS/order" ] || fail "ran on create: $(cat "$HOOKS/order")"
	nook start "$ID"
	wait_for_file "$HOOKS/order"
	grep -q '^poststart ' "$HOOKS/order"
}

@test "poststop runs on delete" {
	set_hook poststop "$(recording_hook poststop)"
	set_args true
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" stopped
	[ ! -e "$HOOKS/order" ]
	nook delete "$ID"
	[ "$(cut -d' ' -f1 "$HOOKS/order")" = poststop ]
}

@test "poststop runs on delete --force of a running container" {
	set_hook poststop "$(recording_hook poststop)"
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	nook delete --force "$ID"
	[ "$(cut -d' ' -f1 "$HOOKS/order")" = poststop ]
}

@test "several hooks of one kind run in the order given" {
	local a b
	a=$(jq -nc --arg d "$HOOKS" '{path: "/bin/sh", args: ["sh", "-c", "echo first >> \($d)/order"]}')
	b=$(jq -nc --arg d "$HOOKS" '{path: "/bin/sh", args: ["sh", "-c", "echo second >> \($d)/order"]}')
	update_config ".hooks.createRuntime = [$a, $b]"
	set_args true
	run nook run "$ID"
	assert_status 0
	[ "$(tr '\n' ' ' <"$HOOKS/order")" = "first second " ]
}

# failing_hook_fails_run KIND: a KIND hook exiting 1 fails run with exit 1, one error line
# naming the hook kind, its path and its exit status, and leaves nothing behind.
failing_hook_fails_run() {
	set_hook "$1" '{"path": "/bin/false"}'
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	is_runc || assert_contains "$stderr" "$1 hook \`/bin/false\` failed: exit status 1"
	assert_nothing_left "$ID"
}

@test "a failing prestart hook fails create and leaves nothing behind" {
	failing_hook_fails_run prestart
}

@test "a failing createRuntime hook fails create and leaves nothing behind" {
	failing_hook_fails_run createRuntime
}

@test "a failing createContainer hook fails create and leaves nothing behind" {
	failing_hook_fails_run createContainer
}

@test "a failing startContainer hook fails run and leaves nothing behind" {
	failing_hook_fails_run startContainer
}

@test "a failing poststart hook fails run and leaves nothing behind" {
	requires_nook "runc 1.1 runs poststart hooks during create"
	failing_hook_fails_run poststart
}

@test "after a failing prestart, createRuntime or createContainer hook the poststop hooks run" {
	local k
	for k in prestart createRuntime createContainer; do
		update_config 'del(.hooks)'
		set_hook "$k" '{"path": "/bin/false"}'
		set_hook poststop "$(recording_hook poststop)"
		set_args true
		rm -f "$HOOKS/order"
		run --separate-stderr nook create "$ID"
		assert_status 1
		assert_nothing_left "$ID"
		[ "$(cut -d' ' -f1 "$HOOKS/order" 2>/dev/null)" = poststop ] || fail "$k: no poststop"
		[ "$(jq -r .status "$HOOKS/poststop.json")" = stopped ]
	done
}

@test "a failing startContainer hook fails start, which stops and destroys the container and runs poststop" {
	requires_nook "runc 1.1 leaves a stopped container"
	set_hook startContainer '{"path": "/bin/false"}'
	set_hook poststop "$(recording_hook poststop)"
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook start "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "startContainer hook \`/bin/false\` failed: exit status 1"
	assert_nothing_left "$ID"
	[ "$(cut -d' ' -f1 "$HOOKS/order")" = poststop ]
}

@test "a failing poststart hook fails start, which stops and destroys the running container and runs poststop" {
	requires_nook "runc 1.1 runs poststart hooks during create"
	set_hook poststart '{"path": "/bin/false"}'
	set_hook poststop "$(recording_hook poststop)"
	set_args sleep 100
	nook create "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	run --separate-stderr nook start "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "poststart hook \`/bin/false\` failed: exit status 1"
	wait_for_death "$pid"
	assert_nothing_left "$ID"
	[ "$(cut -d' ' -f1 "$HOOKS/order")" = poststop ]
}

@test "a failing poststart hook fails run -d too, and the container is gone" {
	requires_nook "runc 1.1 runs poststart hooks during create"
	set_hook poststart '{"path": "/bin/false"}'
	set_args sleep 100
	run --separate-stderr nook run -d "$ID"
	assert_status 1
	assert_contains "$stderr" "poststart hook \`/bin/false\` failed"
	assert_nothing_left "$ID"
}

@test "a hook whose path does not exist fails create, names the path, leaves nothing behind" {
	local k
	for k in createRuntime createContainer startContainer; do
		update_config 'del(.hooks)'
		set_hook "$k" "{\"path\": \"$BATS_TEST_TMPDIR/no-such-hook\"}"
		set_args true
		run --separate-stderr nook run "$ID"
		assert_status 1
		assert_one_error_line
		assert_contains "$stderr" "$BATS_TEST_TMPDIR/no-such-hook"
		is_runc || assert_contains "$stderr" "$k hook \`$BATS_TEST_TMPDIR/no-such-hook\` failed: exec: No such file or directory"
		assert_nothing_left "$ID"
	done
}

@test "a failing poststop hook only warns: run still exits with the process's status" {
	set_hook poststop '{"path": "/bin/false"}'
	set_args sh -c 'exit 0'
	run nook run "$ID"
	assert_status 0
	assert_nothing_left "$ID"
}

@test "a failing poststop hook is a warning naming it, and the poststop hooks after it still run" {
	requires_nook "runc 1.1 skips the poststop hooks after a failing one, against the runtime-spec"
	local after
	after=$(jq -nc --arg d "$HOOKS" '{path: "/bin/sh", args: ["sh", "-c", "echo after >> \($d)/order"]}')
	update_config ".hooks.poststop = [{\"path\": \"/bin/false\"}, $after]"
	set_args true
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" stopped
	run --separate-stderr nook delete "$ID"
	assert_status 0
	is_runc || assert_contains "$stderr" "poststop hook \`/bin/false\` failed: exit status 1"
	[ "$(cat "$HOOKS/order")" = after ]
	assert_nothing_left "$ID"
}

@test "a failing poststop hook does not stop delete from cleaning up" {
	set_hook poststop '{"path": "/bin/false"}'
	set_args true
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" stopped
	run nook delete "$ID"
	assert_status 0
	assert_nothing_left "$ID"
}

@test "a hook past its timeout is killed and create fails quickly, leaving nothing behind" {
	local nap=30.$RANDOM
	set_hook prestart "{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"exec sleep $nap\"], \"timeout\": 1}"
	set_args true
	local start=$SECONDS
	run --separate-stderr nook run "$ID"
	assert_status 1
	[ $((SECONDS - start)) -lt 10 ] || fail "took $((SECONDS - start))s"
	assert_one_error_line
	assert_contains "$stderr" "timeout"
	assert_nothing_left "$ID"
	! pgrep -f "^sleep $nap\$" >/dev/null || fail "the hook's sleep is still running"
}

@test "a createContainer or startContainer hook past its timeout is killed and the run fails, naming it" {
	local k nap
	for k in createContainer startContainer; do
		nap=32.$RANDOM
		update_config 'del(.hooks)'
		set_hook "$k" "{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"exec sleep $nap\"], \"timeout\": 1}"
		set_args true
		local start=$SECONDS
		run --separate-stderr nook run "$ID"
		assert_status 1
		[ $((SECONDS - start)) -lt 10 ] || fail "$k took $((SECONDS - start))s"
		assert_one_error_line
		is_runc || assert_contains "$stderr" "$k hook \`/bin/sh\` failed: ran past its timeout of 1s"
		assert_nothing_left "$ID"
		! pgrep -f "^sleep $nap\$" >/dev/null || fail "$k: the hook's sleep is still running"
	done
}

@test "a timed-out hook that forked is killed with its children, create does not wait for them" {
	requires_nook "runc 1.1 waits for the forked child to close the hook's stdout (30s here)"
	local nap=31.$RANDOM
	set_hook prestart "{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"sleep $nap; true\"], \"timeout\": 1}"
	set_args true
	local start=$SECONDS
	run --separate-stderr nook run "$ID"
	assert_status 1
	[ $((SECONDS - start)) -lt 10 ] || fail "took $((SECONDS - start))s"
	assert_nothing_left "$ID"
	local left
	left=$(pgrep -f "^sleep $nap\$" || true)
	[ -n "$left" ] && kill $left
	[ -z "$left" ] || fail "the hook's child is still running"
}
