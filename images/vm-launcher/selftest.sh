#!/usr/bin/env bash
# Self-test of the VM launcher through the Podman engine's path (`podman kube play`), rootful podman:
#   (a) the tiny VM boots to a login prompt on its serial console (time measured), root logs in;
#   (b) `uname -a` runs in the guest;
#   (c) on a fresh podman network, a plain lab-base container pings the VM at the pod's address,
#       and the VM pings the container;
#   (d) the VM's VNC display answers "RFB 003.008" on 127.0.0.1:5900 in the pod (via `vm-vnc`);
#   (e) `vm-exec` runs a command in the guest (through its agent) with its output and exit code.
# No fixed sleeps: every wait polls with a deadline. Exits non-zero on the first failure.
# Everything it creates (pod, container, volume, network) is removed on exit.
# Usage: images/vm-launcher/selftest.sh [--keep]     (builds the images first when needed)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/../containers.conf}
keep=0; [ "${1:-}" = "--keep" ] && keep=1
id=vmst$$
net=$id-net; pod=$id-vm; ctr=$pod-vm; peer=$id-peer; vol=$id-disk
yaml=$(mktemp /tmp/$id.XXXX.yaml)
failures=0

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
say() { printf 'selftest: %s\n' "$*"; }
fail() { say "FAIL: $*"; say "console (last 40 lines):"; podman logs "$ctr" 2>&1 | tr -d '\r' | tail -n 40 | sed 's/^/  | /'; exit 1; }
cleanup() {
    [ "$keep" = 1 ] && { say "kept: pod $pod, container $peer, volume $vol, network $net"; return; }
    podman kube down "$yaml" >/dev/null 2>&1
    podman pod rm -f "$pod" >/dev/null 2>&1
    podman rm -f -t 0 "$peer" >/dev/null 2>&1
    podman volume rm -f "$vol" >/dev/null 2>&1
    podman network rm -f "$net" >/dev/null 2>&1
    rm -f "$yaml"
}
trap cleanup EXIT

# console helpers: input goes to the serial console socket (vm-console), output is read from the
# container log, where the launcher copies everything the guest writes to its serial port.
log_size() { podman logs "$ctr" 2>&1 | wc -c; }
send() { printf '%s\n' "$1" | podman exec -i "$ctr" vm-console >/dev/null 2>&1; }
# expect REGEX TIMEOUT [OFFSET]: polls the console output after OFFSET bytes until REGEX matches
expect() {
    local deadline; deadline=$(awk -v t="$2" -v n="$(now)" 'BEGIN { printf "%.3f", n + t }')
    while awk -v d="$deadline" -v n="$(now)" 'BEGIN { exit !(n < d) }'; do
        podman logs "$ctr" 2>&1 | tail -c +"$(( ${3:-0} + 1 ))" | tr -d '\r' | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' | grep -Eq -- "$1" && return 0
        sleep 0.2
    done
    return 1
}
# run_in_vm COMMAND TIMEOUT: runs COMMAND in the guest's shell; succeeds when it printed the marker
run_in_vm() {
    local off marker=$RANDOM; off=$(log_size)
    send "$1 && echo VM-OK-\$((${marker} + 1))"
    expect "VM-OK-$((marker + 1))" "$2" "$off"
}

say "images"
"$here/../build-vm.sh" >/dev/null || fail "building the VM images"
podman image exists localhost/lab-base:latest || "$here/../build.sh" lab-base >/dev/null || fail "building lab-base"

podman network create "$net" >/dev/null || fail "network create"
subnet=$(podman network inspect "$net" --format '{{range .Subnets}}{{.Subnet}}{{end}}')
prefix=${subnet%.*}             # e.g. 10.89.3
vm_ip=$prefix.10; peer_ip=$prefix.20
say "network $net ($subnet): VM $vm_ip, container $peer_ip"

# The containerDisk as a Podman image volume: kube play 4.x cannot create one itself, so the engine
# creates it first (REST: POST /libpod/volumes/create {"Driver":"image","Options":{"image":...}}).
podman volume create --driver image --opt image=localhost/vm-tiny:latest "$vol" >/dev/null || fail "volume create"
cat > "$yaml" <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: $pod
  labels:
    app: $id
spec:
  containers:
  - name: vm
    image: localhost/vm-launcher:latest
    env:
    - name: LAB_VM_MEMORY
      value: 256Mi
    - name: LAB_VM_CPUS
      value: "1"
    securityContext:
      capabilities:
        add: ["NET_ADMIN"]
    volumeMounts:
    - name: disk
      mountPath: /disk
      readOnly: true
  volumes:
  - name: disk
    persistentVolumeClaim:
      claimName: $vol
YAML

t0=$(now)
podman kube play --network "$net" --ip "$vm_ip" "$yaml" >/dev/null 2>&1 || fail "kube play"
t_play=$(since "$t0")
podman run -d --name "$peer" --network "$net" --ip "$peer_ip" localhost/lab-base:latest >/dev/null 2>&1 || fail "peer container"

# (a) boot to the login prompt on the serial console
expect 'login: ?$' 240 || fail "(a) no login prompt within 240 s"
t_boot=$(since "$t0")
off=$(log_size); send root
expect '# ?$' 30 "$off" || fail "(a) root login"
t_login=$(since "$t0")
off=$(log_size); send 'cat /proc/uptime'
expect '^[0-9]+\.[0-9]+ [0-9.]+$' 20 "$off" || fail "(a) guest uptime"
guest_up=$(podman logs "$ctr" 2>&1 | tail -c +"$((off + 1))" | tr -d '\r' | grep -Eo '^[0-9]+\.[0-9]+ ' | head -n1)
say "(a) ok: login prompt ${t_boot} s after kube play (play itself ${t_play} s; guest kernel up ${guest_up}s at login), shell ${t_login} s"

# (b) uname -a on the console
off=$(log_size); send 'uname -a'
expect '^Linux [^ ]+ [0-9]+\.[0-9]+.* x86_64' 20 "$off" || fail "(b) uname -a"
say "(b) ok: $(podman logs "$ctr" 2>&1 | tail -c +"$((off + 1))" | tr -d '\r' | grep -E '^Linux ' | head -n1)"

# (c) container -> VM and VM -> container
t1=$(now)
ok=0
for _ in $(seq 1 60); do
    podman exec "$peer" ping -c 1 -W 1 "$vm_ip" >/dev/null 2>&1 && { ok=1; break; }
done
[ "$ok" = 1 ] || fail "(c) $peer cannot ping the VM at $vm_ip"
run_in_vm "ping -c 2 -W 2 $peer_ip >/dev/null" 30 || fail "(c) the VM cannot ping $peer_ip"
run_in_vm "ping -c 1 -W 2 $peer >/dev/null" 30 || fail "(c) the VM cannot resolve and ping $peer by name"
say "(c) ok: $peer -> $vm_ip, VM -> $peer_ip and VM -> $peer by name ($(since "$t1") s)"

# (d) VNC
banner=$(podman exec -i "$ctr" vm-vnc </dev/null 2>/dev/null | head -c 12 | tr -d '\n')
[ "$banner" = "RFB 003.008" ] || fail "(d) VNC answered '$banner'"
say "(d) ok: VNC on 127.0.0.1:5900 in the pod answers '$banner'"

# (e) exec in the guest
t2=$(date +%s.%N)
out=$(podman exec "$ctr" vm-exec -t 60 -- sh -c 'test -x /sbin/lab-agent && echo in-guest; exit 3' 2>/dev/null); rc=$?
[ "$out" = in-guest ] && [ "$rc" = 3 ] || fail "(e) vm-exec printed '$out' and exited $rc (expected 'in-guest' and 3)"
say "(e) ok: vm-exec ran in the guest: '$out', exit code $rc ($(since "$t2") s)"

say "timings: kube play ${t_play} s, login prompt ${t_boot} s, root shell ${t_login} s (TCG unless /dev/kvm was given)"
say "passed"
