#!/bin/bash
# SPDX-License-Identifier: MIT
#
# In the guest: the end-to-end suite (tests/e2e: real i2c-tools and smbus2)
# through real CUSE nodes instead of the preload shim. It leaves out what
# is about the shim itself (its socket, its banner, its /dev/i2c/N), and
# the bus listing (`i2cdetect -l`, bus names), which cannot show a CUSE
# node (docs/cuse.md).
#
#   e2e.sh BUILD_DIR
set -uo pipefail

build=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
export I2CEMU_REAL=$build/src/cli/i2cemu I2CEMU_BIN=$here/i2cemu-cuse
export PYTHONDONTWRITEBYTECODE=1

cd "$root" || exit 1
/usr/bin/python3 -m pytest -p no:cacheprovider -q -rf tests/e2e \
    -m "not preload" | tee "$TMPDIR/e2e.log"
# pytest's summary, as "N passed, N failed" (errors count as failures).
summary=$(tail -n1 "$TMPDIR/e2e.log")
count() { [[ $summary =~ ([0-9]+)\ $1 ]] && echo "${BASH_REMATCH[1]}" || echo 0; }
echo "$(count passed) passed, $(($(count failed) + $(count error))) failed"
