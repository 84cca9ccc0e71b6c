#!/usr/bin/env bash
# Installs what is missing, builds labctl (with the server), imports the example labs and serves the REST API and
# gateway on http://127.0.0.1:8080. The first start prints the admin password (or set Auth__AdminPassword).
#   ./run.sh           serve
#   ./run.sh --shell   instead start a hello-linux session, open a shell in it, stop it when the shell ends
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
"$root/scripts/setup.sh"

"$root/scripts/build-web.sh"
out="$root/.artifacts/labctl"
dotnet publish src/LabOrchestrator.Cli --nologo -v quiet -c Release -o "$out" >/dev/null
labctl="$out/labctl"

"$labctl" lab import labs/*/

if [ "${1:-}" = "--shell" ]; then
    user=${LABCTL_USER:-${USER:-learner}}
    session=$("$labctl" session start hello-linux --user "$user" --quiet)
    trap '"$labctl" session stop "$session" >/dev/null && echo "Session $session stopped."' EXIT
    "$labctl" session show "$session"
    echo "Opening a shell in node 'linux' of session $session (type 'exit' to leave and stop the session)."
    "$labctl" session shell "$session" linux
    exit
fi

echo "Serving http://127.0.0.1:8080 (API docs at http://127.0.0.1:8080/docs/; nodes' web ports on http://127.0.0.1:8081). Stop with Ctrl-C."
exec "$labctl" serve "$@"
