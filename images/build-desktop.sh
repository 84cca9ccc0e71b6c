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
base=localhost/lab-base:latest
image=localhost/lab-desktop:latest
dir=$here/lab-desktop
hash_label=io.lab-orchestrator.content-hash

log() { printf '%s\n' "images: $*" >&2; }

"$here/build.sh" lab-base
podman image exists "$base" || { log "$base is missing after images/build.sh lab-base"; exit 1; }
base_id=$(podman image inspect --format '{{.Id}}' "$base")

hash=$( (echo "$base_id"; cd "$dir" && { echo Containerfile; find rootfs -type f; } | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-16)
if [ "$force" = 0 ] && podman image exists "$image" \
    && [ "$(podman image inspect --format "{{index .Labels \"$hash_label\"}}" "$image")" = "$hash" ]; then
    log "$image is up to date ($hash)"
    exit 0
fi
log "building $image ($hash, about 1-2 minutes: TigerVNC, JWM, xterm, PCManFM, Mousepad)"
podman build --quiet --network host --build-arg "LAB_BASE=$base" --label "$hash_label=$hash" \
    -t "$image" "$dir" >/dev/null
log "built $image"
