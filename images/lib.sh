# Shared by images/build*.sh (source it): build an image only when what goes into it changed.
# An image carries the hash of its inputs in a label; a build is skipped when the image exists with the same hash.
hash_label=io.lab-orchestrator.content-hash
force=${force:-0}
# LAB_IMAGES_CHECK=1: report instead of building (images/check.sh, labctl doctor): one line per image,
# "ok|stale|missing IMAGE", on stdout; the calling script exits 3 when any is not ok.
check=${LAB_IMAGES_CHECK:-0}

log() { printf '%s\n' "images: $*" >&2; }

# content_hash BASE_IMAGE DIR [FILE_OR_FOLDER...]: a hash of the base image's id and the files under DIR (all of
# them, or only those named), 16 hex digits.
content_hash() {
    local base_id dir=$2
    base_id=$(podman image inspect --format '{{.Id}}' "$1")
    shift 2
    (echo "$base_id"; cd "$dir" && find "${@:-.}" -type f | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-16
}

# build_image IMAGE DIR HASH [podman build arguments...]: builds DIR into IMAGE unless it is up to date
# (or $force is 1).
build_image() {
    local image=$1 dir=$2 hash=$3
    shift 3
    if [ "$check" = 1 ]; then
        if ! podman image exists "$image"; then
            echo "missing $image"; stale=1
        elif [ "$(podman image inspect --format "{{index .Labels \"$hash_label\"}}" "$image")" != "$hash" ]; then
            echo "stale $image"; stale=1
        else
            echo "ok $image"
        fi
        return 0
    fi
    if [ "$force" = 0 ] && podman image exists "$image" \
        && [ "$(podman image inspect --format "{{index .Labels \"$hash_label\"}}" "$image")" = "$hash" ]; then
        log "$image is up to date ($hash)"
        return 0
    fi
    log "building $image ($hash)"
    podman build --quiet --network host "$@" --label "$hash_label=$hash" -t "$image" "$dir" >/dev/null
    log "built $image"
}

# require_base IMAGE: in check mode, reports a missing base image and ends the script (nothing can be hashed on it).
require_base() {
    if [ "$check" = 1 ] && ! podman image exists "$1"; then
        echo "missing $1"
        exit 3
    fi
}

# finish_check: the exit status of a check run.
finish_check() {
    [ "$check" = 1 ] && [ "${stale:-0}" = 1 ] && exit 3
    return 0
}
