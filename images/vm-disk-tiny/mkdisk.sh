#!/bin/sh
# Builds /out/disk.qcow2 without root, loop devices or mounts (so it runs inside `podman build`):
#   initramfs = busybox-static + the virtio NIC modules + rootfs/ (init scripts), gzip'ed cpio;
#   FAT16 partition image with SYSLINUX, the kernel, the initramfs and syslinux.cfg (mtools);
#   MBR disk = syslinux mbr.bin + partition table (sfdisk) + the partition at 1 MiB; then qcow2.
set -eu
out=${1:-/out}
src=$(cd "$(dirname "$0")" && pwd)
kver=$(ls /lib/modules | head -n1)
work=$(mktemp -d)
mkdir -p "$out"

# --- root filesystem (the initramfs) ---
root=$work/root
mkdir -p "$root"
cp -a "$src/rootfs/." "$root/"
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/proc" "$root/sys" \
         "$root/dev" "$root/tmp" "$root/run" "$root/root" "$root/var/log" "$root/lib/modules"
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list-full); do
    [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
# Kernel modules the guest needs for its NICs (virtio-net-pci, e1000), in load order.
: > "$root/etc/modules.order"
for m in virtio_pci virtio_net e1000; do
    modprobe -S "$kver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
    mkdir -p "$root$(dirname "$ko")"
    cp "$ko" "$root$ko"
    echo "$ko" >> "$root/etc/modules.order"
done
chmod 0755 "$root/init" "$root/etc/init.d/rcS" "$root/etc/udhcpc.script" "$root/sbin/lab-agent"
chmod 0644 "$root/etc/passwd" "$root/etc/group" "$root/etc/inittab"
( cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 ) | gzip -9 > "$work/initrd.gz"

# --- boot partition: FAT16 with SYSLINUX ---
kb=$(( ( $(stat -c %s /boot/vmlinuz-"$kver") + $(stat -c %s "$work/initrd.gz") ) / 1024 + 4096 ))
part=$work/part.img
mkfs.fat -n VMTINY -C "$part" "$kb" >/dev/null
syslinux --install "$part"
cat > "$work/syslinux.cfg" <<CFG
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL /vmlinuz
  INITRD /initrd.gz
  APPEND console=tty0 console=ttyS0,115200n8 quiet loglevel=3 panic=10 tsc=reliable
CFG
mcopy -i "$part" /boot/vmlinuz-"$kver" ::/vmlinuz
mcopy -i "$part" "$work/initrd.gz" ::/initrd.gz
mcopy -i "$part" "$work/syslinux.cfg" ::/syslinux.cfg

# --- whole disk: MBR boot code, one bootable FAT16 (LBA) partition at sector 2048 ---
disk=$work/disk.img
part_sectors=$(( $(stat -c %s "$part") / 512 ))
truncate -s $(( (2048 + part_sectors) * 512 )) "$disk"
echo "2048,$part_sectors,e,*" | sfdisk --quiet --label dos "$disk"
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$disk" bs=440 count=1 conv=notrunc status=none
dd if="$part" of="$disk" bs=512 seek=2048 conv=notrunc status=none
qemu-img convert -c -O qcow2 "$disk" "$out/disk.qcow2"
ls -l "$work/initrd.gz" /boot/vmlinuz-"$kver" "$out/disk.qcow2"
rm -rf "$work"
