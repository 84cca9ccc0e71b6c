#!/bin/sh
# /usr/local/bin/lab-terminal: the node's terminal. The engine runs this instead of a login shell when an
# image has it; here it is the VM's serial console (ttyS0). On attach it sends one carriage return so the
# guest prints its login prompt (or shell prompt) again. Unlike `vm-console` there is no detach key: the
# terminal ends when the engine closes it. When qemu is restarted (the launcher's fallback from a KVM that
# does not work to software emulation), it reconnects to the new console. qemu serves one client at a time.
run=${LAB_VM_RUN:-/run/vm}
sock=$run/console.sock
wait_socket() {
    n=0
    while [ ! -S "$sock" ]; do
        n=$((n + 1)); [ "$n" -gt 300 ] && { echo "lab-terminal: $sock is missing" >&2; exit 1; }
        sleep 0.1
    done
}
generation() { cat "$run/generation" 2>/dev/null; }
attach() {
    while :; do
        wait_socket
        before=$(generation)
        socat - "UNIX-CONNECT:$sock"
        # Ended: either the terminal was closed (stdin ended) or qemu went away; only a restart continues.
        n=0
        while [ "$(generation)" = "$before" ]; do
            n=$((n + 1)); [ "$n" -gt 50 ] && return 0
            sleep 0.2
        done
    done
}
if [ -t 0 ]; then
    saved=$(stty -g)
    stty raw -echo
    { printf '\r'; exec cat; } | attach
    stty "$saved" 2>/dev/null
    exit 0
fi
{ printf '\r'; exec cat; } | attach
