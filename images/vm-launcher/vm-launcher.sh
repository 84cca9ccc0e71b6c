#!/bin/sh
# Entrypoint of localhost/vm-launcher: boots the containerDisk under /disk/ with qemu.
#
# Environment (all optional):
#   LAB_VM_MEMORY   guest memory, a Kubernetes quantity or qemu size (256Mi, 512M, 1Gi; default 256Mi)
#   LAB_VM_CPUS     guest CPUs, a Kubernetes quantity (1, 2, 500m; rounded up; default 1)
#   LAB_VM_DISK     the disk file (default: the first *.qcow2 / *.img / *.raw file in /disk or /disk/disk)
#   LAB_VM_ACCEL    auto (KVM when /dev/kvm works, else TCG), kvm or tcg (default auto)
#   LAB_VM_CPU      qemu -cpu model (default: host under KVM, max under TCG)
#   LAB_VM_VNC      qemu -vnc display (default 127.0.0.1:0 = TCP 5900 on the pod's loopback)
#   LAB_VM_NIC      qemu NIC model (default virtio-net-pci, as KubeVirt's default)
#   LAB_VM_EXTRA    extra qemu arguments (split on spaces)
#
# Networking is KubeVirt's "bridge binding": for each pod interface (eth0, eth1, ... one per lab
# network) the launcher removes the pod's address from the interface, gives the interface a new
# MAC, bridges it with a tap device for the guest NIC (which gets the interface's original MAC),
# and serves the original address, prefix, gateway and DNS to the guest by DHCP (busybox udhcpd).
# Other nodes reach the VM at the node's own address; ports published to the pod reach the guest.
# Needs CAP_NET_ADMIN and /dev/net/tun (made with mknod when missing; runc allows c 10:200).
#
# Console: the guest's serial port (ttyS0) is the unix socket /run/vm/console.sock, attach with
# `vm-console` (e.g. `podman exec -it NODE vm-console`); it is also copied to the container's log.
# Display: VNC on $LAB_VM_VNC; `vm-vnc` bridges stdin/stdout to it (for `podman exec -i NODE vm-vnc`).
# Agent: the guest's second serial port (ttyS1) is /run/vm/agent.sock, where `vm-exec` reaches the
# guest's lab-agent to run commands inside the VM (the engine's exec for checks).
set -eu
run=/run/vm
mkdir -p "$run"
log() { echo "vm-launcher: $*" >&2; }
die() { log "$*"; exit 1; }

# --- sizes -------------------------------------------------------------------------------------
# to_mib QUANTITY: Kubernetes quantity (Ki Mi Gi Ti, k M G T, e-notation, plain bytes) -> MiB, rounded up
to_mib() {
    awk -v q="$1" 'BEGIN {
        if (match(q, /^[0-9.]+([eE][0-9]+)?/) == 0) exit 1
        n = substr(q, 1, RLENGTH) + 0; s = substr(q, RLENGTH + 1)
        f["Ki"]=1024; f["Mi"]=1048576; f["Gi"]=1073741824; f["Ti"]=1099511627776
        f["k"]=1000; f["K"]=1000; f["M"]=1000000; f["G"]=1000000000; f["T"]=1000000000000
        if (s == "") b = n; else if (s in f) b = n * f[s]; else exit 1
        m = b / 1048576; r = int(m); if (r < m) r++; print r }'
}
# to_cpus QUANTITY: 1, 2, 1.5, 500m -> whole CPUs, rounded up, at least 1
to_cpus() {
    awk -v q="$1" 'BEGIN {
        if (q ~ /m$/) n = substr(q, 1, length(q) - 1) / 1000; else n = q + 0
        r = int(n); if (r < n) r++; if (r < 1) r = 1; print r }'
}
memory=$(to_mib "${LAB_VM_MEMORY:-256Mi}") || die "LAB_VM_MEMORY='${LAB_VM_MEMORY:-}' is not a quantity"
cpus=$(to_cpus "${LAB_VM_CPUS:-1}")

# --- disk --------------------------------------------------------------------------------------
disk=${LAB_VM_DISK:-}
if [ -z "$disk" ]; then
    # /disk/* is KubeVirt's containerDisk layout; /disk/disk/* is the same image mounted at /disk whole
    # (a Podman image volume or `--mount type=image` holds the image's root, not its /disk folder)
    for f in /disk/*.qcow2 /disk/*.img /disk/*.raw /disk/* /disk/disk/*.qcow2 /disk/disk/*.img /disk/disk/*.raw /disk/disk/*; do
        [ -f "$f" ] && { disk=$f; break; }
    done
fi
[ -n "$disk" ] && [ -f "$disk" ] || die "no disk under /disk/ (mount a containerDisk there or set LAB_VM_DISK)"
format=$(qemu-img info --output=json "$disk" | sed -n 's/^ *"format": *"\([a-z0-9]*\)".*/\1/p' | head -n1)

# --- accelerator -------------------------------------------------------------------------------
# kvm_probe CPU: can qemu create and reset a KVM vCPU of that model? (an unusable /dev/kvm, e.g.
# nested KVM that rejects some MSRs, makes qemu abort at the first reset: catch that here, in ~0.2 s)
kvm_probe() {
    echo quit | timeout 20 qemu-system-x86_64 -accel kvm -cpu "$1" -machine q35 -nodefaults \
        -display none -S -monitor stdio >/dev/null 2>&1
}
accel=""
case "${LAB_VM_ACCEL:-auto}" in
    kvm|auto)
        if [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
            for c in ${LAB_VM_CPU:-host host,-arch-capabilities}; do
                if kvm_probe "$c"; then accel="-accel kvm"; cpu=$c; break; fi
            done
        fi
        [ -n "$accel" ] || [ "${LAB_VM_ACCEL:-auto}" = auto ] || die "LAB_VM_ACCEL=kvm but KVM is not usable here"
        ;;
esac
if [ -z "$accel" ]; then
    # software emulation; a small translation cache keeps the launcher's memory near the guest's
    accel="-accel tcg,tb-size=64"
    [ "$cpus" -gt 1 ] && accel="-accel tcg,thread=multi,tb-size=64"
    cpu=${LAB_VM_CPU:-max}
fi

# --- network: bridge binding per pod interface -------------------------------------------------
if [ ! -c /dev/net/tun ]; then
    mkdir -p /dev/net && mknod /dev/net/tun c 10 200 2>/dev/null || true
fi
nameservers=$(awk '$1 == "nameserver" { printf "%s ", $2 }' /etc/resolv.conf 2>/dev/null || true)
search=$(awk '$1 == "search" { print $2; exit }' /etc/resolv.conf 2>/dev/null || true)
default_dev=$(ip -4 route show default | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i+1); exit } }')
default_gw=$(ip -4 route show default | awk '{ print $3; exit }')
host=$(hostname)
netargs=""
i=0
for dev in $(ls /sys/class/net | sort -V); do
    case "$dev" in lo|br-vm*|tap-vm*) continue ;; esac
    [ "$(cat "/sys/class/net/$dev/type")" = 1 ] || continue          # ethernet only
    mac=$(cat "/sys/class/net/$dev/address")
    mtu=$(cat "/sys/class/net/$dev/mtu")
    cidr=$(ip -4 -o addr show dev "$dev" scope global | awk '{ print $4; exit }')
    br=br-vm$i; tap=tap-vm$i
    ip -4 addr flush dev "$dev"
    ip link set dev "$dev" down
    # a locally administered MAC for the pod side, so the guest can own the original one
    ip link set dev "$dev" address "$(od -An -N5 -tx1 /dev/urandom | awk '{ printf "02:%s:%s:%s:%s:%s", $1, $2, $3, $4, $5 }')"
    ip link add "$br" type bridge
    ip link set dev "$br" mtu "$mtu"
    ip link set dev "$dev" master "$br" up
    ip tuntap add dev "$tap" mode tap
    ip link set dev "$tap" mtu "$mtu" master "$br" up
    ip link set dev "$br" up
    netargs="$netargs -netdev tap,id=net$i,ifname=$tap,script=no,downscript=no -device ${LAB_VM_NIC:-virtio-net-pci},netdev=net$i,mac=$mac,romfile="
    if [ -n "$cidr" ]; then
        addr=${cidr%/*}; prefix=${cidr#*/}
        mask=$(awk -v p="$prefix" 'BEGIN { for (i = 0; i < 4; i++) { b = (p >= 8) ? 8 : (p > 0 ? p : 0); p -= b;
                 printf "%s%d", (i ? "." : ""), 256 - 2 ^ (8 - b) } }')
        # the DHCP server needs an address of its own on the bridge: a link-local one, as KubeVirt uses
        ip addr add "169.254.75.$((10 + i))/32" dev "$br"
        {
            echo "interface $br"
            echo "start $addr"
            echo "end $addr"
            echo "max_leases 1"
            echo "lease_file $run/udhcpd-$i.leases"
            echo "pidfile $run/udhcpd-$i.pid"
            echo "static_lease $mac $addr"
            echo "opt subnet $mask"
            echo "opt lease 315360000"
            echo "opt mtu $mtu"
            echo "opt hostname $host"
            if [ "$dev" = "$default_dev" ] && [ -n "$default_gw" ]; then
                echo "opt router $default_gw"
                [ -n "$nameservers" ] && echo "opt dns $nameservers"
                [ -n "$search" ] && echo "opt domain $search"
            fi
        } > "$run/udhcpd-$i.conf"
        : > "$run/udhcpd-$i.leases"
        busybox udhcpd -f "$run/udhcpd-$i.conf" >"$run/udhcpd-$i.log" 2>&1 &
        log "$dev: guest NIC $mac gets $cidr${default_gw:+ (gateway $default_gw)} by DHCP on $br"
    else
        log "$dev: guest NIC $mac bridged on $br (no IPv4 address to hand out)"
    fi
    i=$((i + 1))
done

# --- qemu ------------------------------------------------------------------------------------
# start_qemu ACCEL CPU: starts qemu in the background (pid in $qemu)
start_qemu() {
    rm -f "$run/disk.qcow2" "$run/console.sock" "$run/agent.sock" "$run/monitor.sock"
    # Clients of the sockets (lab-terminal, vm-exec) reconnect when this changes: qemu was restarted.
    generation=$(( $(cat "$run/generation" 2>/dev/null || echo 0) + 1 ))
    echo "$generation" > "$run/generation"
    # The containerDisk stays read-only; the guest writes to an ephemeral overlay (as KubeVirt does).
    qemu-img create -q -f qcow2 -F "${format:-raw}" -b "$disk" "$run/disk.qcow2"
    log "booting $disk ($format) with ${memory} MiB, $cpus CPU(s), ${1#-accel } (cpu $2)"
    # shellcheck disable=SC2086  # word splitting of the option lists is intended
    qemu-system-x86_64 \
        -name "${host}" -machine q35 $1 -cpu "$2" -smp "$cpus" -m "$memory" \
        -nodefaults -no-user-config \
        -drive "file=$run/disk.qcow2,if=none,id=disk0,format=qcow2,cache=unsafe,discard=unmap" \
        -device virtio-blk-pci,drive=disk0,bootindex=1 \
        -vga std -vnc "${LAB_VM_VNC:-127.0.0.1:0}" \
        -device qemu-xhci -device usb-tablet \
        -chardev "socket,id=serial0,path=$run/console.sock,server=on,wait=off,logfile=/dev/stdout" \
        -serial chardev:serial0 \
        -chardev "socket,id=serial1,path=$run/agent.sock,server=on,wait=off" \
        -serial chardev:serial1 \
        -monitor "unix:$run/monitor.sock,server=on,wait=off" \
        $netargs ${LAB_VM_EXTRA:-} &
    qemu=$!
}
vm_status() { echo "info status" | socat -t1 - "UNIX-CONNECT:$run/monitor.sock" 2>/dev/null | tr -d '\r' | sed -n 's/^VM status: //p'; }
trap 'kill -TERM "$qemu" 2>/dev/null' TERM INT HUP

start_qemu "$accel" "$cpu"
# The guest gets the pod's /etc/hosts (the engine's entries for the other nodes: reach them by node name), through
# its agent once it has booted; retried, since a KVM fallback restarts qemu.
(
    hosts=$(cat /etc/hosts)
    n=0
    until vm-exec -t 300 -- sh -c 'printf "%s\n" "$1" > /etc/hosts' sh "$hosts" 2>/dev/null; do
        n=$((n + 1)); [ "$n" -lt 10 ] || { log "could not copy /etc/hosts into the guest"; exit 0; }
        sleep 1
    done
    # lab-ready passes from now on: the guest has booted, its agent answers and it knows the other nodes.
    : > "$run/ready"
) &
if [ "$accel" = "-accel kvm" ] && [ "${LAB_VM_ACCEL:-auto}" = auto ]; then
    # Some /dev/kvm (nested virtualisation) pass the probe but fail on real guest code ("KVM internal
    # error ... emulation failure", the VM stops). Watch the first seconds; fall back to TCG then.
    n=0; failed=""
    while [ "$n" -lt "$(( ${LAB_VM_KVM_WATCH:-20} * 2 ))" ]; do
        sleep 0.5; n=$((n + 1))
        kill -0 "$qemu" 2>/dev/null || { failed="qemu exited"; break; }
        case "$(vm_status)" in *internal-error*|*shutdown*|*guest-panicked*) failed="VM stopped"; break ;; esac
    done
    if [ -n "$failed" ]; then
        log "KVM is not usable here ($failed): falling back to software emulation (TCG)"
        kill -KILL "$qemu" 2>/dev/null || true; wait "$qemu" 2>/dev/null || true
        tcg="-accel tcg,tb-size=64"; [ "$cpus" -gt 1 ] && tcg="-accel tcg,thread=multi,tb-size=64"
        start_qemu "$tcg" max
    fi
fi
# qemu's exit is the container's exit (SIGTERM from `podman stop` is passed on by the trap)
while :; do
    wait "$qemu" && exit 0 || rc=$?
    kill -0 "$qemu" 2>/dev/null || exit "$rc"        # wait was interrupted by a trapped signal: wait again
done
