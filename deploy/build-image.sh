#!/usr/bin/env bash
# Builds the server's container image, localhost/lab-orchestrator:latest (or $IMAGE), with Podman:
#   1. the web app (scripts/build-web.sh: npm ci + vite build into web/dist);
#   2. dotnet publish of labctl, self-contained for linux-x64 (the image needs no .NET runtime package; the server's
#      build copies web/dist into wwwroot);
#   3. podman build of deploy/Containerfile on BASE (default localhost/debian:bookworm, which images/build.sh makes
#      from Debian packages where no registry is reachable; set BASE=docker.io/library/debian:bookworm-slim elsewhere).
# Usage: deploy/build-image.sh            (IMAGE=registry.example.com/lab-orchestrator:1.0 to tag for a registry)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
image=${IMAGE:-localhost/lab-orchestrator:latest}
base=${BASE:-localhost/debian:bookworm}
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/images/containers.conf}
log() { printf '%s\n' "build-image: $*" >&2; }

if [ "$base" = localhost/debian:bookworm ] && ! podman image exists "$base"; then
    # images/build.sh makes localhost/debian:bookworm first (and then lab-base, which the labs need anyway).
    log "building $base from Debian packages (images/build.sh)"
    "$root/images/build.sh"
fi

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT

log "building the web app (scripts/build-web.sh)"
"$root/scripts/build-web.sh"

log "publishing labctl (self-contained, linux-x64)"
dotnet publish "$root/src/LabOrchestrator.Cli" -c Release -r linux-x64 --self-contained \
    -p:DebugType=none -o "$context/app" --nologo -v quiet >&2
[ -f "$context/app/wwwroot/index.html" ] || { log "the published server has no web app (wwwroot/index.html)"; exit 1; }
cp -r "$root/labs" "$context/labs"

log "building $image on $base"
podman build --quiet --network host --build-arg "BASE=$base" -f "$root/deploy/Containerfile" -t "$image" "$context" >/dev/null
log "built $image"
