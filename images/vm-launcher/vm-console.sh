#!/bin/sh
# Attaches stdin/stdout to the VM's serial console (the node's terminal):
#   podman exec -it NODE vm-console     (with a TTY: raw mode; Ctrl-] detaches)
#   podman exec -i  NODE vm-console     (without: a plain byte stream, e.g. for the gateway)
# qemu serves one console client at a time; a second one waits until the first detaches.
sock=${LAB_VM_CONSOLE:-/run/vm/console.sock}
n=0
while [ ! -S "$sock" ]; do
    n=$((n + 1)); [ "$n" -gt 300 ] && { echo "vm-console: $sock is missing" >&2; exit 1; }
    sleep 0.1
done
if [ -t 0 ]; then
    exec socat -,raw,echo=0,escape=0x1d "UNIX-CONNECT:$sock"
fi
exec socat - "UNIX-CONNECT:$sock"
