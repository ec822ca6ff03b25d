#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The kernel-backed tests (docs/vm-tests.md): build i2cemu with ASan and
# UBSan, boot Debian's kernel in QEMU with the host's root filesystem, and
# run tests/vm/guest/main.sh there: plumbing, the differential conformance
# run against i2c-stub, the e2e suite through CUSE, and the benchmarks.
#
#   tests/vm/run.sh [--bench | --only SUITE[,SUITE...]] [BUILD_DIR]
#                                            (default: build-vm)
#
# --bench runs the benchmarks alone; --only the suites named (plumbing,
# conformance, e2e, bench, virtio). virtio boots a guest of its own, with
# the daemon on the host (tests/vm/virtio.sh), and writes docs/fidelity.md;
# bench does too, for the vhost-user figures.
# BUILD_DIR-bench is the optimized build the benchmarks use.
# Exits 0 only if everything passed; the last line is "N passed, N failed".
# Logs and results: tests/vm/cache/results/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
suites="plumbing conformance e2e bench virtio"
if [[ ${1:-} == --bench ]]; then
    suites=bench
    shift
elif [[ ${1:-} == --only ]]; then
    suites=${2//,/ }
    shift 2
fi
guest_suites=${suites/virtio/}
build=$(realpath -m "${1:-$root/build-vm}")
results=$here/cache/results

"$here/need-pkgs.sh" meson ninja-build gcc gcc-multilib pkg-config \
    libuv1-dev libfuse3-dev libcmocka-dev i2c-tools python3-smbus2 \
    python3-pytest

# Tests run the sanitized build; the benchmarks an optimized one beside it.
[[ -f $build/build.ninja ]] ||
    meson setup "$build" "$root" -Db_sanitize=address,undefined -Dcuse=enabled
ninja -C "$build"
if [[ " $suites " == *" bench "* ]]; then
    [[ -f $build-bench/build.ninja ]] ||
        meson setup "$build-bench" "$root" --buildtype=release -Db_lto=true \
            -Dcuse=enabled -Dtests=disabled
    ninja -C "$build-bench"
fi
# A 32-bit client, for the compat ioctl layouts.
mkdir -p "$here/cache"
cc -m32 -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror \
    "$here/conformance.c" -o "$here/cache/conformance32"

rm -rf "$results"
mkdir -p "$results"
start=$SECONDS
rc=0
summary="0 passed, 0 failed"
if [[ -n ${guest_suites// /} ]]; then
    # shellcheck disable=SC2086 # a list of words
    VM_OUT=$results "$here/vm.sh" --timeout 1200 "$here/guest/main.sh" \
        "$build" "$build-bench" "$here/cache/conformance32" $guest_suites ||
        rc=$?
    echo "vm: exit status $rc after $((SECONDS - start)) s; logs in $results"
    if [[ -f $results/summary ]]; then
        summary=$(cat "$results/summary")
    else
        summary="0 passed, 1 failed" # the guest died before its summary
    fi
fi

# Guests of their own, reaching a host daemon through vhost-user: add each
# one's "N passed, N failed" to the summary.
host_run() {
    local log=$results/$1.log last p f
    shift
    "$@" | tee "$log"
    last=$(tail -n1 "$log")
    [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]
    p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
    if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        summary="$((p + BASH_REMATCH[1])) passed, $((f + BASH_REMATCH[2])) failed"
    else
        summary="$p passed, $((f + 1)) failed"
    fi
}
if [[ " $suites " == *" bench "* ]]; then
    host_run virtio-bench-suite "$here/virtio.sh" --bench "$build-bench" \
        "$results"
fi
if [[ " $suites " == *" virtio "* ]]; then
    host_run virtio-suite "$here/virtio.sh" "$build" "$results"
    if [[ -s $results/fidelity.tsv ]]; then
        "$here/fidelity.sh" "$results/fidelity.tsv" "$build/src/cli/i2cemu" \
            "$("$here/vm.sh" --kernel-version)" >"$root/docs/fidelity.md"
    fi
fi
[[ $rc == 0 && $summary == *" 0 failed" ]] || rc=1
echo "$summary"
exit $rc
