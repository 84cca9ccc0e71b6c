#!/usr/bin/env bash
# Runs every test of Lab Orchestrator (unit, real SQLite, real Podman, browser) and ends with "N passed, N failed".
# Usage: ./test.sh [dotnet test arguments, e.g. --filter FullyQualifiedName~Labs]
set -uo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
"$root/scripts/setup.sh" || exit 1

results="$root/.artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

set -e
"$root/scripts/build-web.sh"
dotnet build LabOrchestrator.slnx --nologo -v quiet -clp:NoSummary -warnaserror
dotnet format LabOrchestrator.slnx --verify-no-changes --no-restore
set +e

# The Kubernetes tests run against a real kube-apiserver built from Debian's sources by the lab-k8s scripts
# (15-20 minutes the first time on 2 cores, cached under /var/cache/lab-k8s after that; see their README).
k8s_scripts=${LAB_K8S_SCRIPTS:-$root/../shared/k8s}
if [ -x "$k8s_scripts/build.sh" ]; then
    "$k8s_scripts/build.sh" >/dev/null || { echo "lab-k8s build failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# A broken host fails here, loudly and with the fix, instead of as hundreds of failing sessions below.
if ! dotnet src/LabOrchestrator.Cli/bin/Debug/net10.0/labctl.dll doctor --database "$results/doctor.db"; then
    echo "labctl doctor: this host cannot run sessions (see the fixes above); no suite was run."
    echo "0 passed, 1 failed"
    exit 1
fi

status=0
for project in tests/*/*.csproj; do
    name=$(basename "$project" .csproj)
    dotnet test "$project" --no-build --nologo \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
        --results-directory "$results" "$@" || status=1
done

# The server's database tests (persistence, sessions, accounts, audit, quotas) again with the store on PostgreSQL: a
# throwaway cluster (initdb, pg_ctl on 127.0.0.1) that the tests start and stop themselves.
LABO_TEST_DATABASE=postgresql dotnet test tests/LabOrchestrator.Server.Tests/LabOrchestrator.Server.Tests.csproj --no-build --nologo \
    --filter "FullyQualifiedName~.Accounts.|FullyQualifiedName~.Audit.|FullyQualifiedName~.Sessions.|FullyQualifiedName~.Persist.|FullyQualifiedName~.Pools.PoolApiTests|FullyQualifiedName~.Recovery.ServerRecoveryTests|FullyQualifiedName~.Guides." \
    --logger "trx;LogFileName=LabOrchestrator.Server.Tests.PostgreSql.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" "$@" || status=1

# The web app's unit tests (vitest), counted with the rest.
(cd web && npx vitest run --reporter=default --reporter=json --outputFile="$results/web.json") || status=1

# The browser tests (Playwright, Debian's Chromium, a real server and real sessions), counted with the rest.
E2E_JSON_REPORT="$results/e2e.json" "$root/scripts/e2e.sh" || status=1

passed=0; failed=0
for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ -f "$results/web.json" ]; then
    p=$(grep -o '"numPassedTests":[0-9]*' "$results/web.json" | head -n 1 | cut -d: -f2)
    f=$(grep -o '"numFailedTests":[0-9]*' "$results/web.json" | head -n 1 | cut -d: -f2)
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
else
    status=1
fi
if [ -f "$results/e2e.json" ]; then
    read -r p f < <(node -e 'const r = require(process.argv[1]); console.log(r.stats.expected + r.stats.flaky, r.stats.unexpected + (r.errors ?? []).length)' "$results/e2e.json")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
else
    status=1
fi
node "$root/scripts/list-failures.js" "$results"
[ "$passed" -gt 0 ] || status=1
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
