# SPDX-License-Identifier: MIT
#
# Sourced by the guest scripts: named checks counted in $pass and $fail,
# and waiting for a device node to appear.

pass=0 fail=0
check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok $name"
        ((pass++))
    else
        echo "FAIL $name"
        ((fail++))
    fi
}

# 0 once the path exists, 1 if it has not after 10 s.
wait_node() {
    for _ in $(seq 100); do
        [[ -e $1 ]] && return 0
        sleep 0.1
    done
    return 1
}
