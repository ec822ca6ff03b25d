#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""callgrind-per-request: one request's work, from two callgrind profiles
of the same program that differ only in how many requests it served.

    callgrind-per-request.py SHORT LONG N [TOP]

Subtracts SHORT's costs from LONG's, function by function, and divides by
N (the requests LONG served more). Prints the instructions (Ir) and calls
per request and the instructions by object (the program, libc, libfuse);
with TOP, also the TOP functions that cost the most. Start-up and
shutdown, the same in both, cancel out.
"""
import collections
import os
import re
import sys

NAMED = re.compile(r"\((\d+)\)(?: (.*))?$")


def load(path):
    """Self instructions and calls received, by function; its object."""
    names = {}
    ir, calls, obj = collections.Counter(), collections.Counter(), {}
    ob = fn = cfn = None
    after_calls = False

    def name(kind, v):
        m = NAMED.match(v)
        if not m:
            return v
        if m.group(2) is not None:
            names[kind, m.group(1)] = m.group(2)
        return names.get((kind, m.group(1)), "?")

    with open(path) as f:
        for line in f:
            key, _, v = line.rstrip("\n").partition("=")
            if key == "ob":
                ob = os.path.basename(name("ob", v))
            elif key == "fn":
                fn = name("fn", v)
                obj[fn] = ob
            elif key == "cob":
                name("ob", v)
            elif key in ("fl", "fi", "fe", "cfi", "cfl"):
                name("fl", v)
            elif key == "cfn":
                cfn = name("fn", v)
            elif key == "calls":
                calls[cfn] += int(v.split()[0])
                after_calls = True  # the next cost line is the call's
            elif line[:1].isdigit() or line[:1] in "+-*":
                cost = line.split()
                if after_calls:
                    after_calls = False
                elif len(cost) > 1:
                    ir[fn] += int(cost[1])
    return ir, calls, obj


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    (ir0, calls0, _), (ir1, calls1, obj) = load(sys.argv[1]), load(sys.argv[2])
    n = int(sys.argv[3])
    ir = {k: (ir1[k] - ir0[k]) / n for k in ir1.keys() | ir0.keys()}
    calls = sum(calls1.values()) - sum(calls0.values())
    by_obj = collections.Counter()
    for k, v in ir.items():
        by_obj[obj.get(k, "?")] += v
    print(f"{sum(ir.values()):.0f} Ir, {calls / n:.0f} calls per request; "
          + ", ".join(f"{o} {v:.0f}" for o, v in by_obj.most_common()
                      if abs(v) >= 1))
    if len(sys.argv) == 5:
        for k, v in sorted(ir.items(), key=lambda kv: -kv[1])[:int(sys.argv[4])]:
            print(f"  {v:8.1f} Ir {(calls1[k] - calls0[k]) / n:6.1f} calls"
                  f"  {k} ({obj.get(k, '?')})")


if __name__ == "__main__":
    main()
