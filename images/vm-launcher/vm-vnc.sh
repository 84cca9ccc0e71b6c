#!/bin/sh
# Bridges stdin/stdout to the VM's VNC server (RFB bytes), for `podman exec -i NODE vm-vnc`.
exec socat - "TCP:${LAB_VM_VNC_ADDRESS:-127.0.0.1:5900}"
