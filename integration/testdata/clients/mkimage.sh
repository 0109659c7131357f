#!/usr/bin/env bash
# mkimage.sh OUT.tar [NAME]: builds an OCI image layout tarball (oci-archive) of one
# uncompressed layer with busybox-static, its applets as symlinks and /etc/passwd,group, for
# clients that cannot reach a registry (`ctr images import`, `podman load`). NAME (default
# docker.io/library/nookbox:latest) is both io.containerd.image.name and, as its tag,
# org.opencontainers.image.ref.name.
set -euo pipefail
out=$1
name=${2:-docker.io/library/nookbox:latest}
busybox=$(command -v busybox-static || echo /bin/busybox)
[ -x "$busybox" ] || { echo "mkimage: busybox-static is not installed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

root=$work/rootfs
mkdir -p "$root"/{bin,dev,etc,proc,sys,tmp,root,var}
cp "$busybox" "$root/bin/busybox"
for app in $("$root/bin/busybox" --list); do
	[ "$app" = busybox ] || ln -sf busybox "$root/bin/$app"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' >"$root/etc/group"
chmod 1777 "$root/tmp"

# blob FILE: moves FILE into blobs/sha256 under its digest; prints "DIGEST SIZE".
layout=$work/layout
mkdir -p "$layout/blobs/sha256"
blob() {
	local d s
	d=$(sha256sum "$1" | cut -d' ' -f1)
	s=$(stat -c %s "$1")
	mv "$1" "$layout/blobs/sha256/$d"
	echo "sha256:$d $s"
}

tar -C "$root" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$work/layer.tar" .
read -r layer_digest layer_size < <(blob "$work/layer.tar")

jq -cn --arg diff "$layer_digest" '{
	architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z",
	config: {Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
		Cmd: ["sh"], WorkingDir: "/"},
	rootfs: {type: "layers", diff_ids: [$diff]},
	history: [{created: "1970-01-01T00:00:00Z", created_by: "integration/testdata/clients/mkimage.sh"}]
}' >"$work/config.json"
read -r config_digest config_size < <(blob "$work/config.json")

jq -cn --arg cd "$config_digest" --argjson cs "$config_size" \
	--arg ld "$layer_digest" --argjson ls "$layer_size" '{
	schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
	config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
	layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $ld, size: $ls}]
}' >"$work/manifest.json"
read -r manifest_digest manifest_size < <(blob "$work/manifest.json")

jq -cn --arg md "$manifest_digest" --argjson ms "$manifest_size" --arg name "$name" '{
	schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
	manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $md, size: $ms,
		platform: {architecture: "amd64", os: "linux"},
		annotations: {"io.containerd.image.name": $name,
			"org.opencontainers.image.ref.name": ($name | sub(".*:"; ""))}}]
}' >"$layout/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
tar -C "$layout" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$out" .
