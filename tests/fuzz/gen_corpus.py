#!/usr/bin/python3
"""Write the seed corpus of tests/fuzz/corpus/<harness>/ (small, valid
inputs that reach deep into each target). Rerun after changing a harness's
input format: python3 tests/fuzz/gen_corpus.py"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# <linux/i2c-dev.h>, <linux/i2c.h>
I2C_RETRIES, I2C_TIMEOUT, I2C_SLAVE, I2C_TENBIT = 0x701, 0x702, 0x703, 0x704
I2C_FUNCS, I2C_SLAVE_FORCE, I2C_RDWR, I2C_PEC = 0x705, 0x706, 0x707, 0x708
I2C_SMBUS = 0x720
CMDS = [I2C_RETRIES, I2C_TIMEOUT, I2C_SLAVE, I2C_SLAVE_FORCE, I2C_TENBIT,
        I2C_FUNCS, I2C_RDWR, I2C_PEC, I2C_SMBUS]
RD, RECV_LEN = 0x0001, 0x0400
S_READ, S_WRITE = 1, 0
QUICK, BYTE, BYTE_DATA, WORD_DATA, PROC_CALL, BLOCK_DATA = 0, 1, 2, 3, 4, 5
I2C_BLOCK_BROKEN, BLOCK_PROC_CALL, I2C_BLOCK_DATA = 6, 7, 8


def write(harness, name, data):
    d = os.path.join(HERE, "corpus", harness)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- fuzz_i2cdev -------------------------------------------------------
# [flags][nreg-1] {[base][len u16][bytes]}... then ops:
#   [k: kind | file<<2 | compat 0x10 | flip lazy 0x20 | cancel 0x40 | wbuf 0x80]
#   ioctl: [cmd index] [arg]; read/write: [count u16] [arg]; inject: [w] ...
#   arg: [a] with a&3: 0 region (a>>2) base, 1 base + u16, 2 u8, 3 u64

def mem(flags, regions):
    out = bytes([flags, len(regions) - 1])
    for base, data in regions:
        # len = 1 + u16 % 1024: store len - 1
        out += bytes([base]) + struct.pack("<H", len(data) - 1) + data
    return out


def ioctl(cmd, arg, file=0, compat=False, cancel=False, flip=False):
    k = 0 | file << 2 | (0x10 if compat else 0) | (0x20 if flip else 0) | \
        (0x40 if cancel else 0)
    return bytes([k, CMDS.index(cmd)]) + arg


def rw(kind, count, arg, file=0, wbuf=None):
    k = kind | file << 2 | (0x80 if wbuf is not None else 0)
    out = bytes([k]) + struct.pack("<H", count) + arg
    if wbuf is not None:
        out += wbuf
    return out


def small(v):
    return bytes([2, v])


def at(reg, off=None):
    if off is None:
        return bytes([reg << 2])
    return bytes([reg << 2 | 1]) + struct.pack("<H", off)


def smbus_arg(rw_, cmd, size, data):
    return struct.pack("<BBxxIQ", rw_, cmd, size, data)


def smbus32_arg(rw_, cmd, size, data):
    return struct.pack("<BBxxII", rw_, cmd, size, data)


def msg(addr, flags, length, buf):
    return struct.pack("<HHHxxQ", addr, flags, length, buf)


def msg32(addr, flags, length, buf):
    return struct.pack("<HHHxxI", addr, flags, length, buf)


R0 = 0x1000  # region 0 with base index 0

# SMBus byte-data read and write on the tmp102 and regbank, eager reader.
m = smbus_arg(S_READ, 0, WORD_DATA, R0 + 0x20).ljust(0x20, b"\0") + b"\0" * 34
m += smbus_arg(S_WRITE, 5, BYTE_DATA, R0 + 0x60).ljust(0x20, b"\0") + b"\xab" + b"\0" * 33
write("fuzz_i2cdev", "smbus-i2c",
      mem(0, [(0, m)]) +
      ioctl(I2C_SLAVE, small(0x48)) + ioctl(I2C_SMBUS, at(0)) +
      ioctl(I2C_SLAVE, small(0x52)) + ioctl(I2C_SMBUS, at(0, 0x40)))

# The same through a lazy reader (NEED rounds).
write("fuzz_i2cdev", "smbus-lazy",
      mem(1, [(0, m)]) +
      ioctl(I2C_SLAVE, small(0x52)) + ioctl(I2C_SMBUS, at(0, 0x40)) +
      ioctl(I2C_SMBUS, at(0)))

# I2C_RDWR: set the 24c02's word address, read 8 bytes; lazy.
msgs = msg(0x50, 0, 1, R0 + 0x80) + msg(0x50, RD, 8, R0 + 0x90)
m = struct.pack("<QI4x", R0 + 0x40, 2).ljust(0x40, b"\0") + msgs
m = m.ljust(0x80, b"\0") + b"\x10" + b"\0" * 15 + b"\0" * 16
write("fuzz_i2cdev", "rdwr-lazy", mem(1, [(0, m)]) + ioctl(I2C_RDWR, at(0)))
write("fuzz_i2cdev", "rdwr-eager", mem(0, [(0, m)]) + ioctl(I2C_RDWR, at(0)))

# I2C_RDWR with an SMBus block read (I2C_M_RECV_LEN) on the regbank.
msgs = msg(0x52, 0, 1, R0 + 0x80) + msg(0x52, RD | RECV_LEN, 34, R0 + 0x90)
m = struct.pack("<QI4x", R0 + 0x40, 2).ljust(0x40, b"\0") + msgs
m = m.ljust(0x80, b"\0") + b"\x00" + b"\0" * 15 + b"\x01" + b"\0" * 40
write("fuzz_i2cdev", "rdwr-recvlen", mem(0, [(0, m)]) + ioctl(I2C_RDWR, at(0)))

# A 32-bit caller: compat I2C_RDWR and I2C_SMBUS, and I2C_FUNCS.
msgs = msg32(0x50, 0, 1, R0 + 0x80) + msg32(0x50, RD, 4, R0 + 0x90)
m = struct.pack("<II", R0 + 0x40, 2).ljust(0x40, b"\0") + msgs
m = m.ljust(0x80, b"\0") + b"\x00" + b"\0" * 15 + b"\0" * 16
m = m.ljust(0xa0, b"\0") + smbus32_arg(S_READ, 0, BYTE_DATA, R0 + 0xb0)
m = m.ljust(0xe0, b"\0")
write("fuzz_i2cdev", "compat",
      mem(0, [(0, m)]) + ioctl(I2C_RDWR, at(0), compat=True) +
      ioctl(I2C_SLAVE, small(0x50), compat=True) +
      ioctl(I2C_SMBUS, at(0, 0xa0), compat=True) +
      ioctl(I2C_FUNCS, at(0, 0xc0), compat=True) +
      ioctl(I2C_FUNCS, at(0, 0xc0)))

# read() and write() on the i2c bus, both ways of passing the bytes.
m = b"\x00\x11\x22\x33" + b"\0" * 60
write("fuzz_i2cdev", "read-write",
      mem(0, [(0, m)]) + ioctl(I2C_SLAVE, small(0x50)) +
      rw(2, 3, at(0)) + rw(2, 1, at(0), wbuf=b"\x00") + rw(1, 16, at(0, 16)) +
      rw(1, 9000, at(0)) + rw(2, 2, at(0), file=2))

# The stub bus: block write then block read, word data, banks, I2C block.
blk = bytes([4, 1, 2, 3, 4]) + b"\0" * 29
m = smbus_arg(S_WRITE, 0x20, BLOCK_DATA, R0 + 0x100).ljust(0x20, b"\0")
m += smbus_arg(S_READ, 0x20, BLOCK_DATA, R0 + 0x140).ljust(0x20, b"\0")
m += smbus_arg(S_WRITE, 0x0f, BYTE_DATA, R0 + 0x180).ljust(0x20, b"\0")
m += smbus_arg(S_WRITE, 0x12, WORD_DATA, R0 + 0x182).ljust(0x20, b"\0")
m += smbus_arg(S_READ, 0x10, I2C_BLOCK_DATA, R0 + 0x1c0).ljust(0x20, b"\0")
m += smbus_arg(S_READ, 0x10, I2C_BLOCK_BROKEN, R0 + 0x1c0).ljust(0x20, b"\0")
m += smbus_arg(S_READ, 0x10, BLOCK_PROC_CALL, R0 + 0x100).ljust(0x20, b"\0")
m += smbus_arg(S_WRITE, 0, QUICK, 0).ljust(0x20, b"\0")
m = m.ljust(0x100, b"\0") + blk
m = m.ljust(0x180, b"\0") + b"\x01\x00\x34\x12"
m = m.ljust(0x1c0, b"\0") + bytes([8]) + b"\0" * 33
m = m.ljust(0x200, b"\0")
ops = ioctl(I2C_SLAVE, small(0x52), file=1)
for i in range(8):
    ops += ioctl(I2C_SMBUS, at(0, 0x20 * i), file=1)
write("fuzz_i2cdev", "stub-smbus", mem(0, [(0, m)]) + ops)
write("fuzz_i2cdev", "stub-smbus-lazy", mem(1, [(0, m)]) + ops)

# SMBus emulation with PEC, 10-bit, process calls, on the i2c bus.
m = smbus_arg(S_READ, 0x20, BLOCK_DATA, R0 + 0x100).ljust(0x20, b"\0")
m += smbus_arg(S_WRITE, 0x20, BLOCK_DATA, R0 + 0x140).ljust(0x20, b"\0")
m += smbus_arg(S_WRITE, 0x01, PROC_CALL, R0 + 0x180).ljust(0x20, b"\0")
m += smbus_arg(S_READ, 0x01, BYTE, R0 + 0x180).ljust(0x20, b"\0")
m = m.ljust(0x140, b"\0") + blk
m = m.ljust(0x180, b"\0") + b"\x34\x12"
m = m.ljust(0x1c0, b"\0")
ops = ioctl(I2C_SLAVE, small(0x52)) + ioctl(I2C_PEC, small(1))
for i in range(4):
    ops += ioctl(I2C_SMBUS, at(0, 0x20 * i))
ops += ioctl(I2C_PEC, small(0)) + ioctl(I2C_TENBIT, small(1)) + \
    ioctl(I2C_SMBUS, at(0, 0x60)) + ioctl(I2C_TENBIT, small(0))
ops += ioctl(I2C_RETRIES, small(3)) + ioctl(I2C_TIMEOUT, small(2))
ops += bytes([3 | 0 << 2, 6]) + ioctl(I2C_SMBUS, at(0, 0x60))  # arb loss x3
ops += bytes([3, 1]) + struct.pack("<H", 500) + ioctl(I2C_SMBUS, at(0, 0x60), cancel=True)
write("fuzz_i2cdev", "emul-pec-faults", mem(0, [(0, m)]) + ops)

# Many devices in one I2C_RDWR: a write of one byte to each lm75.
n = 42
m = struct.pack("<QI4x", R0 + 0x10, n).ljust(0x10, b"\0")
for i in range(n):
    m += msg(0x08 + i if i < 40 else (0x48, 0x52)[i - 40], 0, 1, R0 + 0x3f0)
m = m.ljust(0x3f0, b"\0") + b"\x01" + b"\0" * 15
write("fuzz_i2cdev", "rdwr-many", mem(0, [(0, m)]) + ioctl(I2C_RDWR, at(0)))

# ---- fuzz_devspec ------------------------------------------------------
for i, text in enumerate([
    "24c02,addr=0x50",
    "24c16,addr=0x50,file=ee.bin\n24c02,addr=0x57",
    "tmp102,addr=0x48,temperature=41.5\nset temperature -12.25",
    "lm75,addr=0x49,bus=2,claim=driver\n24c512,addr=0x50,bus=2,wp=on",
    "bus 3 profile=stub name=stub speed=400k nack=ENODEV funcs=0x0c7f0000\n"
    "regbank,addr=0x52,bus=3,bank_reg=0x0f,bank_mask=0x03,bank_start=0x10,"
    "bank_end=0x1f",
    "bus 0 speed=3.4M\n24c04,addr=0x52,bus=0,pagesize=16,twr_us=0",
    "regbank,addr=0x10,file=dump.txt",
    "24c02,addr=0x50,,name=x",
    "bus 7\nbus 7\n24c02,addr=0x50,bus=7\n24c02,addr=0x50,bus=7",
    "24c08,addr=0x54,file=ee8\n24c08,addr=0x50,file=ee8",
]):
    write("fuzz_devspec", "seed%02d" % i, text)

# ---- fuzz_fault ---------------------------------------------------------
# Spec lines, an empty line, then transfers of 4 bytes: kind (bit 0: two
# bytes written, 1: then a read, 2: an SMBus block read, 3: a read alone,
# 4: PEC-sized read, 5: native SMBus on stub bus 3, 6: set retries),
# address, register, value.
def xfers(*ops):
    return b"".join(bytes(o) for o in ops)


for i, (specs, ops) in enumerate([
    (["addr-nack,dev=1-0050,once"], [(1, 0x50, 0x10, 0xab), (2, 0x50, 0x10, 0)]),
    (["data-nack,byte=1,every=2", "bitflip,byte=0,bit=7"],
     [(1, 0x50, 0x10, 0xab)] * 3 + [(2, 0x50, 0x10, 0)] * 2),
    (["arb-loss,addr=0x50,byte=1,p=0.5,seed=3"],
     [(0x41, 0x50, 0x10, 2), (0x43, 0x50, 0x10, 3)]),
    (["stretch,addr=0x48,time=2s", "stretch,reg=0x11,byte=1,time=5ms"],
     [(2, 0x48, 0, 0), (1, 0x50, 0x11, 1)]),
    (["sda-stuck,addr=0x50,reg=0x10,once", "sda-stuck,clocks=3,from=1ms"],
     [(2, 0x50, 0, 0), (2, 0x50, 0x10, 0), (2, 0x48, 0, 0)]),
    (["bad-pec,every=2", "block-count,count=40"],
     [(0x12, 0x50, 0, 0), (0x12, 0x50, 0, 0), (6, 0x50, 3, 0)]),
    (["gone,dev=1-0048,time=1ms", "slow,bus=1,time=2ms,after=1"],
     [(2, 0x48, 0, 0)] * 4),
    (["addr-nack,bus=3,reg=0x05", "gone,bus=3,time=1ms,once"],
     [(0x20, 0x52, 5, 1), (0x28, 0x52, 5, 0), (0x20, 0x10, 1, 1)]),
    (["nack", "data-nack,byte=x", "slow", "addr-nack,from=2ms,to=1ms"], []),
]):
    write("fuzz_fault", "seed%02d" % i,
          "\n".join(specs).encode() + b"\n\n" + xfers(*ops))

# ---- fuzz_boardfile ----------------------------------------------------
# First byte: bit 0 --allow-empty, bit 1 paths relative to "b,d".
for i, text in enumerate([
    "\x00# a sensor board\nbus 1 speed=400k name=main\n24c32,addr=0x50\n"
    "tmp102,addr=0x48,temperature=41.5   # warm\nlm75,addr=0x49\n",
    "\x02bus 3 profile=stub funcs=0x0c7f0000\n"
    "24c02,addr=0x50,file=ee.bin,wp=on\nregbank,addr=0x52,bus=3\n",
    "\x01# nothing\n\n",
    "\x00bus 1 name=a\nbus 2 name=a\n",
    "\x00bus 1\n\x00\x1b[2J\n",
    "\x03\t24c02,addr=0x50,file=x#y\r\n  # indented\n",
]):
    write("fuzz_boardfile", "seed%02d" % i, text)

# ---- fuzz_sockproto ----------------------------------------------------
def hdr(t, body):
    return struct.pack("<II", t, len(body)) + body


def s_open(num, flags=2):
    return hdr(16, struct.pack("<ii", num, flags))


def s_ioctl(cmd, arg, peek=None, compat=0, regions=()):
    """An IOCTL carrying regions [(addr, bytes, or (addr, len) to fault)],
    the argument block `peek` first when given."""
    if peek is not None:
        regions = [(arg, peek), *regions]
    descr, data = b"", b""
    for addr, r in regions:
        if isinstance(r, int):
            descr += struct.pack("<QII", addr, r, 1)
        else:
            descr += struct.pack("<QII", addr, len(r), 0)
            data += r
    return hdr(17, struct.pack("<IIQII", cmd, compat, arg, len(regions), 0) +
               descr + data)


def s_read(addr, count):
    return hdr(18, struct.pack("<QQ", addr, count))


def s_write(addr, data, fault=0, count=None):
    count = len(data) if count is None else count
    return hdr(19, struct.pack("<QQII", addr, count, fault, 0) +
               (b"" if fault else data))


def s_mem(data):
    return hdr(20, data)


def s_memfault():
    return hdr(21, b"")


A = 0x7000
seeds = {
    "open-smbus": s_open(1) + s_ioctl(I2C_SLAVE, 0x48) +
    s_ioctl(I2C_SMBUS, A, smbus_arg(S_READ, 0, WORD_DATA, A + 0x10)),
    "smbus-need": s_open(1) + s_ioctl(I2C_SLAVE, 0x52) +
    s_ioctl(I2C_SMBUS, A, smbus_arg(S_WRITE, 3, BYTE_DATA, A + 0x10)) +
    s_mem(b"\x5a"),
    "rdwr": s_open(1) +
    s_ioctl(I2C_RDWR, A, struct.pack("<QI4x", 0x9000, 2)) +
    s_mem(msg(0x50, 0, 1, 0xa000) + msg(0x50, RD, 4, 0xb000)) +
    s_mem(b"\x00") + s_mem(b"\0" * 4),
    "smbus-carried": s_open(1) + s_ioctl(I2C_SLAVE, 0x52) +
    s_ioctl(I2C_SMBUS, A, smbus_arg(S_WRITE, 3, BYTE_DATA, A + 0x10),
            regions=[(A + 0x10, b"\x5a")]) +
    s_ioctl(I2C_SMBUS, A, smbus_arg(S_WRITE, 3, BYTE_DATA, A + 0x10),
            regions=[(A + 0x10, 1)]),
    "rdwr-carried": s_open(1) +
    s_ioctl(I2C_RDWR, A, struct.pack("<QI4x", 0x9000, 2), regions=[
        (0x9000, msg(0x50, 0, 1, 0xa000) + msg(0x50, RD, 4, 0xb000)),
        (0xa000, b"\x00"), (0xb000, b"\0" * 4)]),
    "rdwr-fault": s_open(1) + s_ioctl(I2C_RDWR, A) +
    s_mem(struct.pack("<QI4x", 0x9000, 1)) + s_memfault(),
    "read-write": s_open(1) + s_ioctl(I2C_SLAVE, 0x50) +
    s_write(A, b"\x00\x42") + s_write(A, b"\x00") + s_read(A, 2) +
    s_write(A, b"", fault=1, count=3) + s_read(A, 100000),
    "stub": s_open(3, 0) + s_ioctl(I2C_SLAVE, 0x52) +
    s_ioctl(I2C_SMBUS, A, smbus_arg(S_WRITE, 0x20, BLOCK_DATA, A + 0x10)) +
    s_mem(blk) +
    s_ioctl(I2C_SMBUS, A, smbus_arg(S_READ, 0x20, BLOCK_DATA, A + 0x10)) +
    s_write(A, b"\x01"),
    "funcs-compat": s_open(1) + s_ioctl(I2C_FUNCS, A, compat=1) +
    s_ioctl(I2C_FUNCS, A) + s_ioctl(0x12345678, 0) + s_open(1),
    "bad-open": s_open(9) + s_open(1, 0) + s_write(A, b"\x01"),
}
seeds["read-flood"] = s_open(1) + s_ioctl(I2C_SLAVE, 0x50) + \
    s_read(A, 8192) * 64
for name, body in seeds.items():
    write("fuzz_sockproto", name, bytes([0, 0]) + body)
    # chunked, two clients, held bus, read before closing
    write("fuzz_sockproto", name + "-chunked", bytes([5, 0x0b]) + body)
# Two clients on a held bus, freed with the clients still connected; and
# clients that never read their answers.
write("fuzz_sockproto", "rdwr-held-free", bytes([0, 0x23]) + seeds["rdwr"])
# Eight bytes per write (each READ arrives once the last is answered), 200 of
# them, and a client that reads nothing: the server's queue backs up.
write("fuzz_sockproto", "read-flood-noread",
      bytes([8, 0x10]) + s_open(1) + s_ioctl(I2C_SLAVE, 0x50) +
      s_read(A, 8192) * 200)

# ---- fuzz_i2cdump ------------------------------------------------------
byte_hdr = "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f    0123456789abcdef"
word_hdr = "     0,8  1,9  2,a  3,b  4,c  5,d  6,e  7,f"
rows = []
for r in range(0, 256, 16):
    cells = " ".join("%02x" % ((r + i) & 0xff) for i in range(16))
    rows.append("%02x: %s    ................" % (r, cells))
write("fuzz_i2cdump", "byte-full", "\n".join([byte_hdr] + rows) + "\n")
write("fuzz_i2cdump", "byte-prompt",
      "WARNING! This program can confuse your I2C bus, cause data loss and worse!\n"
      "I will probe file /dev/i2c-1, address 0x50, mode byte\n"
      "Continue? [Y/n] \n" + byte_hdr + "\n"
      "00: XX XX 12 34 " + "   " * 12 + "   ..4\n"
      "10: ff\n")
wrows = []
for r in range(0, 64, 8):
    wrows.append("%02x: " % r + " ".join("%04x" % (r * 257 + i) for i in range(8)))
write("fuzz_i2cdump", "word", "\n".join([word_hdr] + wrows + ["f8: XXXX     1234"]) + "\r\n")
write("fuzz_i2cdump", "bad-row", byte_hdr + "\n00: 1g\n")
write("fuzz_i2cdump", "twice", byte_hdr + "\n00: 01\n00: 02\n")
write("fuzz_i2cdump", "empty", "")

# fuzz_control: request lines (docs/control.md), a few per input.
control = [
    '{"op":"hello","version":1,"id":1}\n{"op":"list"}',
    '{"op":"get","dev":"tmp102@1-0048"}\n{"op":"get","dev":"1-0052",'
    '"props":["file"]}',
    '{"op":"set","dev":"1-0048","props":{"temperature":41.5}}\n'
    '{"op":"set","dev":"lm75@1-0049","props":{"temperature":"-5"}}',
    '{"op":"set","dev":"1-0050","props":{"size":512}}\n'
    '{"op":"set","dev":"1-0048","props":{"temperature":true}}',
    '{"op":"wait","dev":"1-0048","prop":"temperature","value":"25",'
    '"timeout_ms":5}\n{"op":"wait","dev":"1-0049","prop":"temperature",'
    '"value":30,"timeout_ms":100,"id":"w"}',
    '{"op":"quit","id":"q"}\n[1]\n{"op":"list","op":"get"}\n\nnot json',
    '{"op":"add","spec":"lm75,addr=0x4c,id=fan"}\n{"op":"get","dev":"fan"}\n'
    '{"op":"del","dev":"fan"}\n{"op":"del","dev":"1-0048"}\n'
    '{"op":"add","spec":"tmp102,addr=0x49"}',
    '{"op":"reset","bus":1}\n{"op":"reset","bus":3}\n{"op":"reset","bus":2}',
    '{"op":"snapshot","action":"save","file":"/x"}\n'
    '{"op":"set","dev":"1-0048","props":{"temperature":41.5}}\n'
    '{"op":"snapshot","action":"load","file":"/x"}',
    '{"op":"fault","action":"add","spec":"data-nack,dev=1-0050,once"}\n'
    '{"op":"fault","action":"add","spec":"sda-stuck,bus=1"}\n'
    '{"op":"fault","action":"list"}\n{"op":"fault","action":"del","fault":1}'
    '\n{"op":"reset","bus":1}\n{"op":"fault","action":"clear"}',
]
for i, text in enumerate(control):
    write("fuzz_control", "seed%02d" % i, text)
    # The same through the control socket.
    write("fuzz_control", "socket%02d" % i, "\x01" + text)
write("fuzz_control", "socket-long", "\x01" + " " * 70000 + "\n{}")


# ---- fuzz_vhost --------------------------------------------------------
# A flags byte, then the guest memory image: desc at 0x000, avail at 0x100,
# used at 0x200 (guest address 0x1000 + offset; region 1 at 0x9000).
VQ_NEXT, VQ_WRITE, VQ_INDIRECT = 1, 2, 4
FAIL_NEXT, M_RD = 1, 2


def vq_image(reqs):
    """reqs: (addr, flags, data or read length); one indirect table per
    request, as Linux's i2c-virtio queues them."""
    img = bytearray(2048)
    heap = 0x300

    def alloc(n):
        nonlocal heap
        off = heap
        heap += (n + 15) & ~15
        return off

    def desc(table, i, off, length, flags, nxt):
        struct.pack_into("<QIHH", img, table + 16 * i, 0x1000 + off, length,
                         flags, nxt)

    for head, (addr, flags, data) in enumerate(reqs):
        hdr = alloc(8)
        struct.pack_into("<HHI", img, hdr, addr << 1, 0, flags)
        parts = [(hdr, 8, 0)]
        if flags & M_RD and data:
            parts.append((alloc(data), data, VQ_WRITE))
        elif data:
            buf = alloc(len(data))
            img[buf:buf + len(data)] = data
            parts.append((buf, len(data), 0))
        parts.append((alloc(1), 1, VQ_WRITE))
        table = alloc(16 * len(parts))
        for i, (off, length, f) in enumerate(parts):
            last = i == len(parts) - 1
            desc(table, i, off, length, f | (0 if last else VQ_NEXT), i + 1)
        desc(0, head, table, 16 * len(parts), VQ_INDIRECT, 0)
        struct.pack_into("<H", img, 0x100 + 4 + 2 * head, head)
    struct.pack_into("<H", img, 0x100 + 2, len(reqs))
    return bytes(img)


# 16 entries, event-idx, indirect: write-then-read, then a lone write.
write("fuzz_vhost", "lm75-read",
      bytes([4 | 0x08 | 0x10]) +
      vq_image([(0x48, FAIL_NEXT, b"\x00"), (0x48, M_RD, 2),
                (0x50, 0, b"\x10\xab\xcd")]))
# Four messages, the last still with FAIL_NEXT (QEMU 7.2's cap), on a
# held bus, stopped while it waits.
write("fuzz_vhost", "held-stop",
      bytes([2 | 0x08 | 0x10 | 0x20 | 0x40]) +
      vq_image([(0x50, FAIL_NEXT, b"\x00"), (0x50, FAIL_NEXT | M_RD, 4),
                (0x33, FAIL_NEXT, b""), (0x48, FAIL_NEXT | M_RD, 2)]))


# Snapshot documents (byte 0x02): the corpus also holds snapshot-board, a
# snapshot of the harness's board saved by `i2cemu ctl snapshot save`. It
# is only useful while it restores: a model whose state grows makes it
# stale (refused at its first device). Regenerate it with a board file
# listing build()'s devices in build()'s order (fuzz_control.c):
#   bus 1 / bus 3 profile=stub / regbank,addr=0x10,bus=3 /
#   tmp102,addr=0x48,bus=1 / lm75,addr=0x49,bus=1 / 24c02,addr=0x50,bus=1 /
#   regbank,addr=0x52,bus=1   (one per line)
#   i2cemu -f board.cfg -- i2cemu ctl snapshot save /tmp/s.json
#   { printf '\002'; cat /tmp/s.json; } > tests/fuzz/corpus/fuzz_control/snapshot-board
write("fuzz_control", "snapshot-bad", '\x02{"format":"i2cemu-snapshot",'
      '"version":1,"wall_ns":0,"buses":[{"number":1,"profile":"i2c"}],'
      '"devices":[]}')
