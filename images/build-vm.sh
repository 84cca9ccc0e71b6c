#!/usr/bin/env bash
# Builds the images of `kind: vm` nodes on a machine without a container registry, as build.sh
# builds lab-base (content-hash label, skipped when up to date, Debian base from packages):
#   localhost/vm-launcher:latest  from images/vm-launcher/   (qemu launcher, the Podman engine's virt-launcher)
#   localhost/vm-tiny:latest      from images/vm-disk-tiny/  (example containerDisk: /disk/disk.qcow2)
# Usage: images/build-vm.sh [--force] [vm-launcher|vm-tiny ...]   (default: both)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/containers.conf}
force=0
if [ "${1:-}" = "--force" ]; then force=1; shift; fi
# shellcheck source=images/lib.sh
. "$here/lib.sh"
base=localhost/debian:bookworm

# image name -> folder
folder_of() {
    case "$1" in
        vm-launcher) echo vm-launcher ;;
        vm-tiny) echo vm-disk-tiny ;;
        *) log "unknown VM image '$1' (vm-launcher, vm-tiny)"; exit 1 ;;
    esac
}

require_base "$base"
if ! podman image exists "$base"; then
    # build.sh makes the Debian base from packages (mmdebstrap + podman import) and lab-base
    "$here/build.sh" lab-base
fi

names=("$@")
[ ${#names[@]} -gt 0 ] || names=(vm-launcher vm-tiny)

for name in "${names[@]}"; do
    dir="$here/$(folder_of "$name")"
    build_image "localhost/$name:latest" "$dir" "$(content_hash "$base" "$dir")" --build-arg "BASE=$base"
done
finish_check
