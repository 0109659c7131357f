#!/usr/bin/env bash
# Installs what building, testing and demoing nook needs, with apt-get, only if missing.
set -euo pipefail
pkgs=(meson ninja-build pkg-config g++ libseccomp-dev libcap-dev libnl-3-dev libnl-route-3-dev
      libyajl-dev libprotobuf-c-dev protobuf-c-compiler libgtest-dev bats busybox-static
      runc crun jq iproute2 util-linux procps uidmap containerd podman conmon)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
