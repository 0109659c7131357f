#!/usr/bin/env bash
# mkbundle.sh DIR [ARG...]: makes an OCI bundle at DIR with a busybox-static rootfs and a
# config.json from `$NOOK spec` (runc's default), with terminal off and args set to ARG...
# (default: sh). Used by `make demo`, the integration tests and the benchmarks.
set -euo pipefail
dir=$1; shift
busybox=$(command -v busybox-static || echo /bin/busybox)
[ -x "$busybox" ] || { echo "mkbundle: busybox-static is not installed" >&2; exit 1; }
mkdir -p "$dir/rootfs"/{bin,dev,etc,proc,sys,tmp,root}
cp "$busybox" "$dir/rootfs/bin/busybox"
for app in $("$dir/rootfs/bin/busybox" --list); do
  [ "$app" = busybox ] || ln -sf busybox "$dir/rootfs/bin/$app"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$dir/rootfs/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' > "$dir/rootfs/etc/group"
chmod 1777 "$dir/rootfs/tmp"
runtime=${NOOK:-runc}
(cd "$dir" && rm -f config.json && "$runtime" spec)
args=$(jq -cn '$ARGS.positional' --args -- "${@:-sh}")
tmp=$(mktemp "$dir/config.XXXXXX")
jq --argjson args "$args" '.process.terminal = false | .process.args = $args' "$dir/config.json" > "$tmp"
mv "$tmp" "$dir/config.json"
