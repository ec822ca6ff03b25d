#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Build the guest's virtio-i2c driver, i2c-virtio.ko, for the kernel the VM
# boots. Debian builds its kernels without CONFIG_I2C_VIRTIO; the driver is
# one file of the kernel tree. It comes from Debian's linux-source package
# at test time and stays in tests/vm/cache/ (ignored by git): it is
# GPL-2.0+ and never enters this repository.
#
#   tests/vm/virtio-module.sh KVER   (e.g. 6.1.0-56-amd64)
#
# Prints the path of the module. Cached beside the kernel: the source file
# in cache/KVER/i2c-virtio/ (an old ABI's source leaves the archive when
# Debian moves on), the module next to it.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${VM_CACHE:-$here/cache}
kver=$1
dir=$cache/$kver/i2c-virtio
ko=$dir/i2c-virtio.ko
if [[ -f $ko ]]; then
    echo "$ko"
    exit 0
fi
mkdir -p "$dir"
# The headers the module is built against: exactly the booted kernel's.
"$here/need-pkgs.sh" "linux-headers-$kver" make gcc xz-utils >&2

if [[ ! -f $dir/i2c-virtio.c ]]; then
    # linux-source-6.1 for 6.1.0-NN-amd64
    series=$(echo "$kver" | sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p')
    tmp=$(mktemp -d "$cache/src.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    echo "vm: fetching linux-source-$series for i2c-virtio.c" >&2
    (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root \
        "linux-source-$series" >&2)
    # One file out of the whole tree: the .deb holds a .tar.xz of it.
    dpkg-deb --fsys-tarfile "$tmp"/linux-source-"$series"_*.deb |
        tar -xO "./usr/src/linux-source-$series.tar.xz" |
        xz -dc | tar -xO "linux-source-$series/drivers/i2c/busses/i2c-virtio.c" \
        >"$tmp/i2c-virtio.c"
    [[ -s $tmp/i2c-virtio.c ]] || { echo "vm: no i2c-virtio.c" >&2; exit 1; }
    mv "$tmp/i2c-virtio.c" "$dir/i2c-virtio.c"
fi
echo 'obj-m := i2c-virtio.o' >"$dir/Kbuild"
make -s -C "/usr/src/linux-headers-$kver" M="$dir" modules >&2
echo "$ko"
