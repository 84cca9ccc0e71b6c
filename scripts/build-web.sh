#!/usr/bin/env bash
# Builds the browser app (web/) into web/dist, which the server's build copies into its wwwroot.
# Skips npm ci when node_modules matches package-lock.json.
set -euo pipefail
web=$(cd "$(dirname "$0")/../web" && pwd)
cd "$web"
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.lock-stamp; then
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.lock-stamp
fi
npm run --silent build >/dev/null
