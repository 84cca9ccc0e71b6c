#!/usr/bin/env bash
# Builds node images on a machine without a container registry:
#   1. localhost/debian:bookworm from Debian packages (mmdebstrap + podman import), once;
#   2. each image under images/<name>/ with podman build, tagged localhost/<name>:latest.
# A build is skipped when an image with the same content hash (files + base image) exists.
# Usage: images/build.sh [--force] [name...]   (default: lab-base, the image every example lab uses)
# The desktop and VM images have scripts of their own (build-desktop.sh, build-vm.sh): they build on lab-base or
# on a disk image, and hash their inputs their own way.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/containers.conf}
force=0
if [ "${1:-}" = "--force" ]; then force=1; shift; fi
# shellcheck source=images/lib.sh
. "$here/lib.sh"
base=localhost/debian:bookworm

require_base "$base"
if ! podman image exists "$base" || [ "$force" = 1 ]; then
    command -v mmdebstrap >/dev/null || { log "mmdebstrap is missing: apt-get install -y mmdebstrap"; exit 1; }
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    log "building $base from Debian packages (mmdebstrap, about 30 s)"
    mmdebstrap --quiet --variant=minbase --include=ca-certificates bookworm "$tmp/rootfs.tar"
    podman import --quiet \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["/bin/bash"]' \
        "$tmp/rootfs.tar" "$base" >/dev/null
fi

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    names=(lab-base)
fi

for name in "${names[@]}"; do
    dir="$here/$name"
    [ -f "$dir/Containerfile" ] || { log "no image '$name' (expected $dir/Containerfile)"; exit 1; }
    build_image "localhost/$name:latest" "$dir" "$(content_hash "$base" "$dir")" --build-arg "BASE=$base"
done
finish_check
