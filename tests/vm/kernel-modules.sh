#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Build, for the kernel the VM boots, the guest drivers Debian's kernel
# config leaves out: i2c-virtio.ko (CONFIG_I2C_VIRTIO), and the drivers of
# the models docs/fidelity.md checks whose symbols Debian leaves unset. A
# driver whose Kconfig symbol is unset still builds out of tree when the
# kernel has the APIs it needs (regmap, gpiolib, rtc, hwmon, i2c-mux as
# Debian's own module). Not built: those that compile but cannot be checked
# through virtio-i2c (fidelity.tab's classes dt and block): the SSD1306's
# ssd130x-i2c and ssd1307fb bind from a device tree only, adm1275 and
# ucd9000 probe with SMBus block reads. Their sources come from Debian's
# linux-source package at test time and stay in tests/vm/cache/ (ignored
# by git): they are GPL-2.0 and never enter this repository.
#
#   tests/vm/kernel-modules.sh KVER   (e.g. 6.1.0-56-amd64)
#
# Prints the directory of the modules (MODULE.ko). Cached beside the
# kernel in cache/KVER/modules/: the source files (an old ABI's source
# leaves the archive when Debian moves on), fetched once for all modules,
# and the modules built next to them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${VM_CACHE:-$here/cache}
kver=$1
dir=$cache/$kver/modules

# MODULE: its files in the kernel tree. The PMBus parts' drivers need
# pmbus_core (and the guest loads it first: `modinfo -F depends`).
modules=(
    "i2c-virtio: drivers/i2c/busses/i2c-virtio.c"
    "ina2xx: drivers/hwmon/ina2xx.c"
    "max31790: drivers/hwmon/max31790.c"
    "pmbus_core: drivers/hwmon/pmbus/pmbus_core.c drivers/hwmon/pmbus/pmbus.h"
    "pmbus: drivers/hwmon/pmbus/pmbus.c"
    "isl68137: drivers/hwmon/pmbus/isl68137.c"
    "max34440: drivers/hwmon/pmbus/max34440.c"
    "rtc-ds1307: drivers/rtc/rtc-ds1307.c"
    "rtc-pcf8563: drivers/rtc/rtc-pcf8563.c"
    "gpio-pca953x: drivers/gpio/gpio-pca953x.c"
    "gpio-pcf857x: drivers/gpio/gpio-pcf857x.c"
    "i2c-mux-pca954x: drivers/i2c/muxes/i2c-mux-pca954x.c"
)
names=() files=()
for m in "${modules[@]}"; do
    names+=("${m%%:*}")
    read -ra f <<<"${m#*:}"
    files+=("${f[@]}")
done

built=1
for n in "${names[@]}"; do [[ -f $dir/$n.ko ]] || built=; done
if [[ -n $built ]]; then
    echo "$dir"
    exit 0
fi
mkdir -p "$dir"
# The headers the modules are built against: exactly the booted kernel's.
"$here/need-pkgs.sh" "linux-headers-$kver" make gcc xz-utils >&2

missing=()
for f in "${files[@]}"; do [[ -f $dir/${f##*/} ]] || missing+=("$f"); done
if ((${#missing[@]})); then
    # linux-source-6.1 for 6.1.0-NN-amd64
    series=$(echo "$kver" | sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p')
    tmp=$(mktemp -d "$cache/src.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    echo "vm: fetching linux-source-$series for ${missing[*]##*/}" >&2
    (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root \
        "linux-source-$series" >&2)
    # A few files out of the whole tree: the .deb holds a .tar.xz of it.
    dpkg-deb --fsys-tarfile "$tmp"/linux-source-"$series"_*.deb |
        tar -xO "./usr/src/linux-source-$series.tar.xz" | xz -dc |
        tar -x -C "$tmp" "${missing[@]/#/linux-source-$series/}"
    for f in "${missing[@]}"; do
        [[ -s $tmp/linux-source-$series/$f ]] ||
            { echo "vm: no $f in linux-source-$series" >&2; exit 1; }
        mv "$tmp/linux-source-$series/$f" "$dir/"
    done
fi
printf 'obj-m += %s.o\n' "${names[@]}" >"$dir/Kbuild"
make -s -C "/usr/src/linux-headers-$kver" M="$dir" modules >&2
echo "$dir"
