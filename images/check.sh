#!/usr/bin/env bash
# Reports whether the node images are built and up to date with their sources here, without building anything:
# one line per image, "ok|stale|missing IMAGE". Exit 0 when all are ok, 3 otherwise (fix: scripts/setup.sh, or the
# build script named in the image's folder). labctl doctor runs it when it finds this folder.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export LAB_IMAGES_CHECK=1
status=0
for script in build.sh build-vm.sh build-desktop.sh; do
    "$here/$script" || status=3
done
exit $status
