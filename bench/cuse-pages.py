#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""cuse-pages: how many pages of its memory a CUSE server touches to serve
one kind of request, by mapping: a count that, unlike a time, does not
move with the load of the machine. Under TCG every context switch empties
the guest's TLB, so a round pays for each page it touches (benchmarks.md,
"CUSE, in a TCG guest").

    cuse-pages.py NAME:BUS:ADDR:PID...

For each server (NAME, its /dev/i2c-BUS, a device at ADDR, the server's
PID) and each request (SMBus read byte data, I2C block read of 32 bytes,
I2C_RDWR of a 1-byte write and a 32-byte read), it makes 20 requests,
clears the server's referenced bits (/proc/PID/clear_refs), makes 8 more
and sums the pages /proc/PID/smaps reports referenced since. Prints one
line per server and request: NAME OP TOTAL MAPPING=PAGES..., or NAME OP
and the errno name when the server refuses the request. Root only; run
with transparent huge pages off, or a huge page counts as 512.
"""
import errno
import os
import re
import sys

from smbus2 import SMBus, i2c_msg

OPS = {
    "smbus_read_byte_data": lambda b, a: b.read_byte_data(a, 0),
    "smbus_i2c_block_read_32": lambda b, a: b.read_i2c_block_data(a, 0, 32),
    "i2c_rdwr_w1_r32": lambda b, a: b.i2c_rdwr(i2c_msg.write(a, [0]),
                                               i2c_msg.read(a, 32)),
}
MAPPING = re.compile(r"^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$")


def referenced(pid):
    """Pages referenced since the last clear_refs, by mapping name."""
    pages, name = {}, None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            m = MAPPING.match(line)
            if m:
                # "memfd:i2cemu-arena (deleted)": one word
                name = os.path.basename(m.group(1)).replace(" (deleted)", "")
                name = name or "[anon]"
            elif line.startswith("Referenced:"):
                kib = int(line.split()[1])
                if kib:
                    pages[name] = pages.get(name, 0) + kib // 4
    return pages


def main():
    for spec in sys.argv[1:]:
        name, bus, addr, pid = spec.split(":")
        addr = int(addr, 0)
        with SMBus(int(bus)) as b:
            for op, call in OPS.items():
                try:
                    for _ in range(20):
                        call(b, addr)
                except OSError as e:
                    # as bench/i2c-bench names it (Python says ENOTSUP)
                    print(name, op, "EOPNOTSUPP" if e.errno == errno.EOPNOTSUPP
                          else errno.errorcode.get(e.errno, e.errno))
                    continue
                with open(f"/proc/{pid}/clear_refs", "w") as f:
                    f.write("1")
                for _ in range(8):
                    call(b, addr)
                pages = referenced(pid)
                by_size = sorted(pages.items(), key=lambda kv: -kv[1])
                print(name, op, sum(pages.values()),
                      " ".join(f"{k}={v}" for k, v in by_size))


if __name__ == "__main__":
    main()
