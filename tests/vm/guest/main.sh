#!/bin/bash
# SPDX-License-Identifier: MIT
#
# In the guest: the kernel-backed suites named on the command line, in
# order. Each prints its own "N passed, N failed" last; their sum goes to
# $VM_OUT/summary, and each suite's output to $VM_OUT/NAME.log.
#
#   main.sh BUILD_DIR BENCH_BUILD_DIR CONFORMANCE32 SUITE...
set -uo pipefail

build=$1 bench_build=$2 conf32=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0

suite() {
    local name=$1 t0=$SECONDS last
    shift
    echo "=== $name"
    "$@" 2>&1 | tee "$VM_OUT/$name.log"
    last=$(tail -n1 "$VM_OUT/$name.log")
    if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        ((passed += BASH_REMATCH[1], failed += BASH_REMATCH[2]))
    else
        ((failed++)) # it died before its summary
    fi
    echo "=== $name: $last ($((SECONDS - t0)) s)"
}

for name in "$@"; do
    case $name in
    plumbing) suite plumbing "$here/plumbing.sh" "$build" ;;
    conformance) suite conformance "$here/conformance.sh" "$build" \
        "$VM_OUT/conformance" "$conf32" ;;
    e2e) suite e2e "$here/e2e.sh" "$build" ;;
    bench) suite bench "$here/bench.sh" "$bench_build" "$VM_OUT/bench.txt" ;;
    esac
done
echo "$passed passed, $failed failed" >"$VM_OUT/summary"
((failed == 0))
