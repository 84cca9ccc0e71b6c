#!/bin/sh
# lab-ready: exits 0 once this node is set up, 1 while it is not. The engine runs it (as root, by exec) after the
# node's container runs and reports the node Running only when it passes, on every engine (Podman: by exec; the
# compiled Pod's readinessProbe on Kubernetes). Race-free, no marker files: while lab-entrypoint sets the
# credentials' passwords it is PID 1; it then execs the node's command, which becomes PID 1.
#   - PID 1 still lab-entrypoint: not ready (passwords not all set yet).
#   - PID 1 the desktop (lab-desktop, images/lab-desktop): ready once Xvnc's socket exists.
#   - anything else (the node's own command, also when a lab replaced the entrypoint): ready.
cmd=$(tr '\0' ' ' </proc/1/cmdline 2>/dev/null)
case "$cmd" in
    *lab-entrypoint*) exit 1 ;;
    *lab-desktop*) [ -S /tmp/.lab-desktop/vnc.sock ] || exit 1 ;;
esac
exit 0
