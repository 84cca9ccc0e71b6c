#!/usr/bin/env bash
# Builds localhost/lab-desktop:latest (images/lab-desktop) FROM localhost/lab-base:latest on a machine
# without a container registry. lab-base is brought up to date first through images/build.sh (a
# no-op when it is current). The build is skipped when an image with the same content hash exists;
# the hash covers lab-base's image ID and the files that go into the image (Containerfile, rootfs/),
# not the README or the self-test, so editing those does not rebuild.
# Usage: images/build-desktop.sh [--force]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/containers.conf}
force=0
if [ "${1:-}" = "--force" ]; then force=1; shift; fi
# shellcheck source=images/lib.sh
. "$here/lib.sh"
base=localhost/lab-base:latest
dir=$here/lab-desktop

if [ "$check" = 1 ]; then
    require_base "$base"
else
    "$here/build.sh" lab-base
fi
podman image exists "$base" || { log "$base is missing after images/build.sh lab-base"; exit 1; }
build_image localhost/lab-desktop:latest "$dir" "$(content_hash "$base" "$dir" Containerfile rootfs)" --build-arg "LAB_BASE=$base"
finish_check
