#!/usr/bin/env bash
# Non-interactive check of the lab-desktop image (rootful or rootless Podman):
#   starts a container as a node would (default command, a credential for the learner, the VNC
#   port published on 127.0.0.1 only), waits for the RFB banner, checks that Xvnc, the window
#   manager with its panel (JWM) and the terminal (xterm) run as the learner, that the credential's
#   password was set, that `podman exec` shells work, and the clipboard: xclip inside and, when
#   python3 is available, both directions over VNC (rfb-check.py). Stops and removes the container.
# Usage: images/lab-desktop/selftest.sh [image]     (default localhost/lab-desktop:latest)
# Environment: LAB_DESKTOP_SCREENSHOT=/path.png also saves a screenshot taken over VNC.
# Exit status: 0 when every check passed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/../containers.conf}
image=${1:-localhost/lab-desktop:latest}
name=lab-desktop-selftest-$$
passed=0 failed=0

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
ok() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then ok "$what"; else fail "$what"; fi; }
cleanup() { podman rm -f -t 0 "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT
wait_for() { # seconds command...: retries every 0.1 s
    local end=$(( $(date +%s) + $1 )); shift
    until "$@" >/dev/null 2>&1; do [ "$(date +%s)" -ge "$end" ] && return 1; sleep 0.1; done
}
rfb_banner() { timeout 1 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && head -c 12 <&3' _ "$1" 2>/dev/null; }
has_banner() { [ "$(rfb_banner "$1")" = "RFB 003.008" ]; }
in_desktop() { podman exec --user learner "$name" "$@"; }

podman image exists "$image" || { echo "FAIL image $image is missing (images/build-desktop.sh)"; exit 1; }
echo "image $image, $(podman image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }')"

t0=$(now)
podman run -d --name "$name" -p 127.0.0.1::5900 -e LAB_DESKTOP_PORT=5900 \
    -e LAB_CREDENTIAL_LEARNER_USERNAME=learner -e LAB_CREDENTIAL_LEARNER_PASSWORD=selftest-secret \
    "$image" >/dev/null || { fail "podman run"; echo "0 passed, 1 failed"; exit 1; }
t_run=$(since "$t0")
port=$(podman port "$name" 5900/tcp | sed -n 's/^127\.0\.0\.1:\([0-9]*\)$/\1/p' | head -1)
[ -n "$port" ] && ok "VNC port published on 127.0.0.1 only ($port)" || fail "VNC port published on 127.0.0.1 only ($(podman port "$name"))"

if wait_for 30 has_banner "$port"; then
    ok "RFB 003.008 on 127.0.0.1:$port, $(since "$t0") s after podman run (podman run itself: $t_run s)"
else
    fail "no RFB banner within 30 s"; podman logs "$name" 2>&1 | tail -20
    echo "$passed passed, $failed failed"; exit 1
fi

for proc in Xvnc jwm xterm; do
    if wait_for 10 podman exec "$name" pgrep -u learner -x "$proc"; then ok "$proc runs as learner"
    else fail "$proc runs as learner"; fi
done
echo "     desktop ready (window manager + terminal) at most $(since "$t0") s after podman run (polled with podman exec)"
check "the desktop session (PID 1) runs as learner, not root" \
    bash -c "! podman exec '$name' ps -o user=,args= -p 1 | grep -q '^root'"
check "credential password set for learner by lab-entrypoint" \
    bash -c "podman exec '$name' getent shadow learner | cut -d: -f2 | grep -q '^\\\$'"
desktop_env=$(in_desktop sh -c 'tr "\0" "\n" < /proc/$(pgrep -u learner -x jwm)/environ' 2>&1)
if printf '%s\n' "$desktop_env" | grep -q '^DISPLAY=:0$' && ! printf '%s\n' "$desktop_env" | grep -q LAB_CREDENTIAL_; then
    ok "the desktop session has DISPLAY=:0 and no LAB_CREDENTIAL_* variables"
else fail "the desktop session's environment: $(printf '%s\n' "$desktop_env" | grep -E '^(DISPLAY|LAB_CREDENTIAL_[A-Z0-9_]*_USERNAME)=|denied')"; fi
check "terminal access: podman exec of a shell" \
    bash -c "[ \"\$(podman exec '$name' bash -c 'id -un')\" = root ] && [ \"\$(podman exec --user learner '$name' bash -lc 'id -un')\" = learner ]"

text="selftest clipboard $$"
if in_desktop sh -c "printf '%s' '$text' | xclip -selection clipboard -i" \
    && [ "$(in_desktop xclip -selection clipboard -o)" = "$text" ]; then ok "xclip round trip inside"
else fail "xclip round trip inside"; fi

if command -v python3 >/dev/null; then
    rfb="python3 $here/rfb-check.py $port"
    # viewer -> desktop: the viewer stays connected while the desktop reads (see README)
    $rfb send-clipboard "from the viewer $$" 4 & sender=$!
    if wait_for 3 bash -c "[ \"\$(podman exec --user learner '$name' xclip -selection clipboard -o)\" = 'from the viewer $$' ]"; then
        ok "VNC clipboard viewer -> desktop (xclip reads CLIPBOARD)"
    else fail "VNC clipboard viewer -> desktop"; fi
    wait "$sender" 2>/dev/null
    # desktop -> viewer
    $rfb recv-clipboard 5 > "/tmp/$name.clip" 2>&1 & receiver=$!
    sleep 1
    in_desktop sh -c "printf '%s' 'from the desktop $$' | xclip -selection clipboard -i"
    wait "$receiver"
    if [ "$(cat "/tmp/$name.clip")" = "from the desktop $$" ]; then ok "VNC clipboard desktop -> viewer"
    else fail "VNC clipboard desktop -> viewer ($(cat "/tmp/$name.clip"))"; fi
    rm -f "/tmp/$name.clip"
    if [ -n "${LAB_DESKTOP_SCREENSHOT:-}" ]; then
        check "screenshot over VNC: $LAB_DESKTOP_SCREENSHOT" $rfb screenshot "$LAB_DESKTOP_SCREENSHOT"
    fi
else
    echo "skip VNC clipboard checks (no python3)"
fi

t1=$(now)
check "podman stop (SIGTERM, 10 s grace)" podman stop -t 10 "$name"
echo "     stopped in $(since "$t1") s"
status=$(podman inspect --format '{{.State.ExitCode}}' "$name" 2>/dev/null)
[ "$status" = 0 ] && ok "desktop exited with status 0 on SIGTERM" || fail "desktop exit status $status on SIGTERM"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
