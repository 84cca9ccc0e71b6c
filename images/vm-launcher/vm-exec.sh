#!/bin/bash
# vm-exec [-t SECONDS] [--] COMMAND [ARG...]: runs COMMAND inside the guest, not in this launcher, and
# exits with its exit code, its stdout and stderr on ours. It talks to the guest's `lab-agent` on the
# second serial port (/run/vm/agent.sock), so the learner's console is never touched. The engine runs
# guide checks of VM nodes this way (`podman exec NODE vm-exec -t 30 -- sh -c SCRIPT`).
# SECONDS (default 60) bounds everything, including waiting for the guest to boot; the guest kills
# the command when its share runs out. One command at a time: later ones wait for the lock.
set -u
trap '' PIPE          # a write to an agent connection that just went away fails instead of ending us
sock=${LAB_VM_AGENT:-/run/vm/agent.sock}
seconds=60
while [ $# -gt 0 ]; do
    case "$1" in
        -t) seconds=${2:-}; shift 2 || break ;;
        --) shift; break ;;
        -*) set -- ;;
        *) break ;;
    esac
done
case "$seconds" in ''|*[!0-9]*) set -- ;; esac
[ $# -gt 0 ] || { echo "usage: vm-exec [-t SECONDS] [--] COMMAND [ARG...]" >&2; exit 2; }
deadline=$((SECONDS + seconds))
fail() { echo "vm-exec: $1" >&2; exit "${2:-125}"; }

# The command line for the guest's sh -c: every argument single-quoted.
line=""
for arg in "$@"; do line+="'${arg//\'/\'\\\'\'}' "; done
payload=$(printf '%s' "$line" | base64 -w0)
id="$$-$RANDOM$RANDOM"

exec 9>"${sock%/*}/agent.lock"
flock -w "$seconds" 9 || fail "the VM is still busy with another command" 124
# The guest may still be booting: ask until its agent answers. A lost connection before the command was sent
# (qemu restarted by the launcher's KVM fallback) is retried with the new qemu.
connect() {
    until [ -S "$sock" ]; do
        [ "$SECONDS" -lt "$deadline" ] || fail "the VM has not started (no $sock)" 124
        sleep 0.2
    done
    coproc AGENT { exec socat - "UNIX-CONNECT:$sock" 2>/dev/null; }
    in=${AGENT[0]}; out=${AGENT[1]}
}
trap '[ -n "${AGENT_PID:-}" ] && kill "$AGENT_PID" 2>/dev/null' EXIT
connect
ready=0
while [ "$ready" = 0 ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "the VM's agent did not answer within $seconds s (still booting?)" 124
    if ! kill -0 "$AGENT_PID" 2>/dev/null; then
        sleep 0.5
        connect
    fi
    printf 'PING %s\n' "$id" >&"$out" 2>/dev/null
    while IFS= read -r -t 1 reply <&"$in"; do
        [ "${reply%$'\r'}" = "PONG $id" ] && { ready=1; break; }
    done
done

left=$((deadline - SECONDS)); [ "$left" -ge 1 ] || left=1
printf 'EXEC %s %s %s\n' "$id" "$left" "$payload" >&"$out"
state=""; stdout=""; stderr=""; rc=""
while [ -z "$rc" ]; do
    # a second of grace: the guest's own timeout ends the command first and reports it
    wait=$((deadline - SECONDS + 1)); [ "$wait" -ge 1 ] || fail "the command did not finish within $seconds s" 124
    IFS= read -r -t "$wait" reply <&"$in" || {
        [ "$SECONDS" -lt "$deadline" ] || fail "the command did not finish within $seconds s" 124
        kill -0 "$AGENT_PID" 2>/dev/null || fail "lost the connection to the VM's agent"
        continue
    }
    reply=${reply%$'\r'}
    case "$reply" in
        "OUT $id") state=out ;;
        "ERR $id") state=err ;;
        "END $id "*) rc=${reply##* } ;;
        *[!A-Za-z0-9+/=]*) state="" ;;       # not ours (a reply to an earlier, abandoned command)
        *) case "$state" in out) stdout+=$reply ;; err) stderr+=$reply ;; esac ;;
    esac
done
[ -z "$stdout" ] || printf '%s' "$stdout" | base64 -d
[ -z "$stderr" ] || printf '%s' "$stderr" | base64 -d >&2
exit "$rc"
