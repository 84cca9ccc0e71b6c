#!/usr/bin/env bash
# Installs what is missing, builds labctl, imports the example labs, starts a hello-linux session
# and opens a shell in it. The session is stopped when the shell ends.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
"$root/scripts/setup.sh"

out="$root/.artifacts/labctl"
dotnet publish src/LabOrchestrator.Cli --nologo -v quiet -c Release -o "$out" >/dev/null
labctl="$out/labctl"

"$labctl" lab import labs/*/
user=${LABCTL_USER:-${USER:-learner}}
session=$("$labctl" session start hello-linux --user "$user" --quiet)
trap '"$labctl" session stop "$session" >/dev/null && echo "Session $session stopped."' EXIT
"$labctl" session show "$session"
echo "Opening a shell in node 'linux' of session $session (type 'exit' to leave and stop the session)."
"$labctl" session shell "$session" linux
