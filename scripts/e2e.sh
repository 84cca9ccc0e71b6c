#!/usr/bin/env bash
# Browser tests (Playwright + Debian's Chromium) against a real server: web/e2e/global-setup.ts starts labctl serve on
# a free loopback port with a fresh SQLite database, imports the example labs and creates a user per role.
# Builds the web app and labctl first when they are missing (test.sh has built both already).
#   scripts/e2e.sh [--update-screenshots] [playwright test arguments, e.g. roles or -g "instructor"]
# --update-screenshots copies the catalogue and workspace pictures the tests take into docs/images/ (README).
# Results: web/test-results/ (e2e-report.json, timings.json, screenshots); set E2E_JSON_REPORT to put the report elsewhere.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
update=0
if [ "${1:-}" = "--update-screenshots" ]; then update=1; shift; fi

if [ ! -f "$root/web/dist/index.html" ] || [ ! -d "$root/web/node_modules/@playwright/test" ]; then
    "$root/scripts/build-web.sh"
fi
if [ -z "${LABCTL:-}" ] && [ ! -x "$root/src/LabOrchestrator.Cli/bin/Debug/net10.0/labctl" ]; then
    dotnet build "$root/src/LabOrchestrator.Cli" --nologo -v quiet -clp:NoSummary
fi
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
    echo "e2e: $CHROMIUM is missing (apt-get install chromium, or set CHROMIUM)" >&2
    exit 1
fi

cd "$root/web"
status=0
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx playwright test "$@" || status=$?
if [ "$update" = 1 ] && [ "$status" = 0 ]; then
    cp test-results/catalogue-light.png "$root/docs/images/catalogue.png"
    cp test-results/workspace-light.png "$root/docs/images/workspace.png"
    cp test-results/workspace-dark.png "$root/docs/images/workspace-dark.png"
    echo "e2e: screenshots copied to docs/images/"
fi
exit $status
