#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Run one command inside a QEMU guest booted with Debian's own kernel, which
# has the modules this machine's kernel lacks (cuse, i2c-dev, i2c-stub).
#
#   tests/vm/vm.sh [--timeout SECONDS] COMMAND [ARG...]
#   tests/vm/vm.sh --kernel-version
#
# The guest sees the host's root filesystem read-only over 9p and chroots
# into it, so COMMAND runs the host's own binaries (i2c-tools, python3, the
# build tree) in the current directory. /run is a fresh tmpfs, and $TMPDIR
# is in it: the rest of the host's tree, /tmp included, is read-only.
# $VM_OUT is a writable 9p share at the same path as on the host: set it to
# a directory to keep what the guest writes there. The Debian kernel's
# modules load with `modprobe -d "$VM_MODDIR" MODULE [PARAMS]`; fuse, cuse
# and i2c-dev are loaded already. $VM_VHOST_USER_I2C adds a virtio-i2c
# adapter (below). The exit status is COMMAND's: 124 on
# timeout, 125 when the guest died before reporting one.
#
# The kernel package and the initramfs are cached in tests/vm/cache/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${VM_CACHE:-$here/cache}
timeout=600
if [[ ${1:-} == --timeout ]]; then timeout=$2; shift 2; fi
# --kernel-version: print the kernel package's version (6.1.0-NN-amd64).
[[ ${1:-} == --kernel-version ]] && kernel_version=1
(($#)) || { echo "usage: $0 [--timeout S] COMMAND [ARG...]" >&2; exit 2; }

"$here/need-pkgs.sh" qemu-system-x86 busybox-static cpio kmod xz-utils

# The kernel: whatever linux-image-amd64 currently depends on.
kpkg_version() {
    apt-cache depends linux-image-amd64 2>/dev/null |
        sed -n 's/^ *Depends: linux-image-\([0-9].*-amd64\)$/\1/p' | head -n1
}
kver=${VM_KERNEL:-$(kpkg_version)}
if [[ -z $kver ]]; then
    apt-get update -qq
    kver=$(kpkg_version)
fi
[[ -n $kver ]] || { echo "vm: cannot find linux-image-amd64" >&2; exit 125; }
if [[ -n ${kernel_version:-} ]]; then
    echo "$kver"
    exit 0
fi

kdir=$cache/$kver
if [[ ! -f $kdir/vmlinux ]]; then
    echo "vm: fetching linux-image-$kver" >&2
    rm -rf "$kdir" && mkdir -p "$kdir/deb"
    (cd "$kdir" && apt-get download -q -o APT::Sandbox::User=root "linux-image-$kver" >&2)
    dpkg-deb -x "$kdir"/linux-image-"$kver"_*.deb "$kdir/deb"
    # The bzImage is XZ-compressed: decompressing it under TCG costs ~2 s
    # per boot. Boot the ELF inside it instead, through QEMU's PVH entry.
    bz=$kdir/deb/boot/vmlinuz-$kver
    off=$(LC_ALL=C grep -aboP -m1 '\xfd7zXZ\x00' "$bz" | cut -d: -f1)
    # xz stops at the end of its stream and complains about the trailer.
    tail -c +"$((off + 1))" "$bz" | xz -dcq >"$kdir/vmlinux.tmp" 2>/dev/null || true
    [[ $(head -c4 "$kdir/vmlinux.tmp") == $'\x7fELF' ]] ||
        { echo "vm: no ELF kernel in $bz" >&2; exit 125; }
    mv "$kdir/vmlinux.tmp" "$kdir/vmlinux"
fi

# initramfs: busybox, the init script and the modules with their
# dependencies. Rebuilt when init or this script changes.
initrd=$kdir/initramfs.cpio
if [[ ! -f $initrd || $here/init -nt $initrd || $0 -nt $initrd ]]; then
    root=$kdir/initramfs
    rm -rf "$root"
    mkdir -p "$root"/{bin,dev,proc,sys,host,lib/modules/"$kver"}
    cp /bin/busybox "$root/bin/busybox"
    install -m 755 "$here/init" "$root/init"
    mods=$kdir/deb/lib/modules/$kver
    [[ -f $mods/modules.dep ]] || depmod -b "$kdir/deb" "$kver"
    for m in fuse cuse i2c-dev i2c-stub at24 lm75 tmp102 9p 9pnet_virtio \
        virtio_pci; do
        modprobe -d "$kdir/deb" -S "$kver" --show-depends "$m"
    done | awk '$1 == "insmod" { print $2 }' | sort -u | while read -r ko; do
        rel=${ko#"$mods"/}
        mkdir -p "$root/lib/modules/$kver/$(dirname "$rel")"
        cp "$ko" "$root/lib/modules/$kver/$rel"
    done
    cp "$mods"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$kver/"
    depmod -b "$root" "$kver"
    (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$initrd.tmp"
    mv "$initrd.tmp" "$initrd"
fi

# /dev/kvm here may be a paravirtual KVM that hangs stock kernels: use KVM
# only on hardware virtualization.
accel=(-machine "pc,accel=tcg" -cpu max)
if grep -qwE 'vmx|svm' /proc/cpuinfo && [[ -w /dev/kvm ]]; then
    accel=(-machine "pc,accel=kvm" -cpu host)
fi

# $VM_VHOST_USER_I2C=SOCKET: a virtio-i2c adapter served by the vhost-user
# backend listening there (docs/vhost-user.md). The backend maps guest
# memory, so it must be a shared memfd of the size of -m.
vhost=()
if [[ -n ${VM_VHOST_USER_I2C:-} ]]; then
    # shellcheck disable=SC2054 # QEMU's commas
    vhost=(-object memory-backend-memfd,id=mem,size=2G,share=on
           -machine memory-backend=mem
           -chardev "socket,id=vi2c,path=$VM_VHOST_USER_I2C"
           -device vhost-user-i2c-pci,chardev=vi2c)
fi

# The guest's writable share: the caller's $VM_OUT, or a scratch directory.
# The exit status comes back in it, in the file rc.
if [[ -z ${VM_OUT:-} ]]; then
    mkdir -p "$cache/out"
    VM_OUT=$(mktemp -d "$cache/out/run.XXXXXX")
    trap 'rm -rf "$VM_OUT"' EXIT
fi
VM_OUT=$(cd "$VM_OUT" && pwd)
rm -f "$VM_OUT/rc"
{
    printf 'cd %q || exit 125\n' "$PWD"
    printf 'exec'
    printf ' %q' "$@"
    printf '\n'
} >"$VM_OUT/cmd"

rc=0
timeout --foreground -k 5 "$timeout" \
    qemu-system-x86_64 -nodefaults -no-reboot -display none \
        "${accel[@]}" -smp "${VM_SMP:-1}" -m 2G \
        -kernel "$kdir/vmlinux" -initrd "$initrd" \
        -append "console=ttyS0 quiet panic=-1 vm_out=$VM_OUT" \
        -chardev stdio,id=con,signal=off -serial chardev:con \
        -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
        -virtfs local,path="$VM_OUT",mount_tag=vmout,security_model=none \
        "${vhost[@]}" </dev/null || rc=$?
if ((rc == 124)); then
    echo "vm: timed out after ${timeout}s" >&2
    exit 124
fi
if [[ ! -f $VM_OUT/rc ]]; then
    echo "vm: the guest stopped without an exit status (qemu: $rc)" >&2
    exit 125
fi
exit "$(cat "$VM_OUT/rc")"
