#!/bin/bash
# SPDX-License-Identifier: MIT
# Install those of the given Debian packages that are missing.
set -euo pipefail
missing=()
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed$' ||
        missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0
echo "installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
