# SPDX-License-Identifier: MIT
#
# Sourced by the guest scripts: named checks counted in $pass and $fail,
# and waiting for a device node to appear.

pass=0 fail=0
# A failed check prints the last lines of its shell trace and stderr: a
# guest run is too slow to repeat just to see which step failed.
check() {
    local name=$1 r fd trace=${TMPDIR:-/tmp}/check.trace
    shift
    exec {fd}>"$trace"
    BASH_XTRACEFD=$fd
    set -x
    "$@" 2>&$fd
    r=$?
    { set +x; } 2>/dev/null
    unset BASH_XTRACEFD # closes $fd
    if [[ $r == 0 ]]; then
        echo "ok $name"
        ((pass++))
    else
        echo "FAIL $name"
        tail -n 15 "$trace" | sed 's/^/  | /'
        ((fail++))
    fi
}

# 0 once the path exists, 1 if it has not after 30 s (a sanitized daemon
# starting in a TCG guest on a loaded host can take more than 10).
wait_node() {
    for _ in $(seq 300); do
        [[ -e $1 ]] && return 0
        sleep 0.1
    done
    return 1
}
