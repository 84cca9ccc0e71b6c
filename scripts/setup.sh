#!/usr/bin/env bash
# Installs what Lab Orchestrator needs on a Debian machine and builds the node images.
# Safe to run again: it installs only what is missing and skips images that are up to date.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
log() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

# Everything is installed explicitly and without apt's Recommends, so this list is the whole truth
# (tests/LabOrchestrator.Podman.Tests/Install/FreshInstallTests checks it in an empty Debian root filesystem):
#   podman runc           the engine and its OCI runtime (crun fails here: cgroups hybrid mode)
#   catatonit             the pause process `podman play kube` builds its infra image from
#   netavark aardvark-dns Podman's network backend and its DNS (without them Podman falls back to
#                         CNI, where VM nodes' ARP across the session bridge goes unanswered)
#   containernetworking-plugins uidmap slirp4netns  what Podman 4.3 still calls for some networks
#   iptables              the session firewalls (the engine's host rules) and netavark's NAT
#   mmdebstrap ca-certificates  build the node images from Debian packages, no registry needed
#   chromium              the browser tests (web/e2e) drive Debian's Chromium; Playwright never downloads a browser
#   postgresql            the database tests run the store on a throwaway PostgreSQL cluster too (initdb, pg_ctl)
packages=(podman runc catatonit netavark aardvark-dns containernetworking-plugins uidmap slirp4netns iptables
    mmdebstrap ca-certificates chromium postgresql)
# How they are installed: never with Recommends, which a fresh machine does not have.
apt_options=(-y -qq --no-install-recommends)
# For the fresh-install test: the list and the options, one per line each, and nothing else done.
case "${1:-}" in
    --packages) printf '%s\n' "${packages[@]}"; exit 0 ;;
    --apt-options) printf '%s\n' "${apt_options[@]}"; exit 0 ;;
esac
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install "${apt_options[@]}" "${missing[@]}" >/dev/null
fi

if ! command -v npm >/dev/null; then
    log "Node.js 20 and npm are missing: install them (the web app needs them) and run this again"
    exit 1
fi

if ! command -v dotnet >/dev/null; then
    log "the .NET 10 SDK is missing: install it (https://dot.net/v1/dotnet-install.sh --channel 10.0) and run this again"
    exit 1
fi

"$root/images/build.sh"
# VM nodes (kind: vm): the qemu launcher and the tiny example disk (about 2 minutes the first time).
"$root/images/build-vm.sh"
# Desktop nodes (access: desktop) use lab-desktop, built on lab-base (about 1-2 minutes the first time).
"$root/images/build-desktop.sh"
