// SPDX-License-Identifier: MIT
/*
 * conformance: the [ALL] and [STUB] cases of the i2c-dev checklist
 * (i2c-dev-abi.md section 8) that a C program can run, against any
 * /dev/i2c-N set up as fixture F-STUB. It prints what each case observed,
 * one line per case ID, and judges nothing: guest/conformance.sh runs it
 * against the kernel's i2c-stub and against the emulator and compares.
 *
 *   conformance DEVICE GROUP
 *
 * GROUP picks the cases of one fixture: main (functionality 0x0F7F0000),
 * funcs-default (0x0C7F0000), funcs-all (0xFFFFFFFF), busy (F-BUSY).
 * Within a group the cases run in order on one set of registers, so both
 * sides see the same history. No case sends an I2C block length above 32,
 * which an i2c-stub without the 2026 length check would overrun.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#define BAD ((void *)1) /* an address that always faults */

static const char *dev;
static char line[1024]; /* what the current case observed */

static void say(const char *fmt, ...)
{
    size_t n = strlen(line);
    va_list ap;

    if (n)
        n += (size_t)snprintf(line + n, sizeof(line) - n, "; ");
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - n, fmt, ap);
    va_end(ap);
}

/* A syscall's outcome: its value, or its errno's name. */
static long res(long r)
{
    if (r < 0)
        say("%s", strerrorname_np(errno));
    else
        say("%ld", r);
    return r;
}

static void hex(const void *p, size_t n)
{
    const uint8_t *b = p;
    char s[3 * 64] = "";

    for (size_t i = 0; i < n && i < 64; i++)
        sprintf(s + 2 * i, "%02x", b[i]);
    say("%s", s);
}

static int open_at(uint16_t addr)
{
    int fd = open(dev, O_RDWR);

    if (fd < 0 || ioctl(fd, I2C_SLAVE, addr) < 0) {
        perror(dev);
        exit(1);
    }
    return fd;
}

static long smbus(int fd, int rw, uint8_t cmd, uint32_t size,
                  union i2c_smbus_data *data)
{
    struct i2c_smbus_ioctl_data a = {
        .read_write = (uint8_t)rw, .command = cmd, .size = size, .data = data,
    };
    return ioctl(fd, I2C_SMBUS, &a);
}

/* The libi2c helpers, printing what they see. */
static void wbd(int fd, uint8_t reg, uint8_t v)
{
    union i2c_smbus_data d = { .byte = v };
    res(smbus(fd, I2C_SMBUS_WRITE, reg, I2C_SMBUS_BYTE_DATA, &d));
}

static void rbd(int fd, uint8_t reg)
{
    union i2c_smbus_data d;
    if (smbus(fd, I2C_SMBUS_READ, reg, I2C_SMBUS_BYTE_DATA, &d) < 0)
        res(-1);
    else
        say("0x%02x", d.byte);
}

static void wwd(int fd, uint8_t reg, uint16_t v)
{
    union i2c_smbus_data d = { .word = v };
    res(smbus(fd, I2C_SMBUS_WRITE, reg, I2C_SMBUS_WORD_DATA, &d));
}

static void rwd(int fd, uint8_t reg)
{
    union i2c_smbus_data d;
    if (smbus(fd, I2C_SMBUS_READ, reg, I2C_SMBUS_WORD_DATA, &d) < 0)
        res(-1);
    else
        say("0x%04x", d.word);
}

static void send_byte(int fd, uint8_t v)
{
    res(smbus(fd, I2C_SMBUS_WRITE, v, I2C_SMBUS_BYTE, NULL));
}

static void recv_byte(int fd)
{
    union i2c_smbus_data d;
    if (smbus(fd, I2C_SMBUS_READ, 0, I2C_SMBUS_BYTE, &d) < 0)
        res(-1);
    else
        say("0x%02x", d.byte);
}

static void block_write(int fd, uint32_t size, uint8_t reg, uint8_t n,
                        const uint8_t *v)
{
    union i2c_smbus_data d = { .block = { n } };
    if (v)
        memcpy(d.block + 1, v, n < 33 ? n : 33);
    res(smbus(fd, I2C_SMBUS_WRITE, reg, size, &d));
}

/* A block read: the returned count and data. */
static void block_read(int fd, uint32_t size, uint8_t reg, uint8_t n)
{
    union i2c_smbus_data d = { .block = { n } };
    if (smbus(fd, I2C_SMBUS_READ, reg, size, &d) < 0)
        res(-1);
    else
        hex(d.block, 1 + (d.block[0] < 33 ? d.block[0] : 33));
}

static long rdwr(int fd, struct i2c_msg *msgs, uint32_t n)
{
    struct i2c_rdwr_ioctl_data a = { .msgs = msgs, .nmsgs = n };
    return res(ioctl(fd, I2C_RDWR, &a));
}

static long rdwr1(int fd, uint16_t flags, uint16_t len, void *buf)
{
    struct i2c_msg m = { .addr = 0x52, .flags = flags, .len = len,
                         .buf = buf };
    return rdwr(fd, &m, 1);
}

/* The cases. fd has I2C_SLAVE 0x52 unless the case says otherwise. */

static void c1(int fd) { say(fd >= 0 ? "ok" : "fail"); }
static void c2(int fd) { res(ioctl(fd, 0x0709, 0)); res(ioctl(fd, 0x0721, 0)); }
static void c3(int fd)
{
    struct termios t;
    say("isatty %d", isatty(fd));
    res(ioctl(fd, TCGETS, &t));
}
static void c4(int fd) { res(lseek(fd, 0, SEEK_SET)); }
static void c5(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
    res(poll(&p, 1, 0));
    say("revents 0x%x", p.revents);
}
static void c6(int fd)
{
    unsigned long funcs;
    int ro = open(dev, O_RDONLY);
    (void)fd;
    res(ioctl(ro, I2C_FUNCS, &funcs));
    res(write(ro, "", 1));
    close(ro);
}
static void funcs(int fd)
{
    unsigned long f;
    if (res(ioctl(fd, I2C_FUNCS, &f)) == 0)
        say("0x%08lx", f);
}
static void c10(int fd) { res(ioctl(fd, I2C_FUNCS, NULL)); }
static void c11(int fd)
{
    uint8_t b[16];
    memset(b, 0xaa, sizeof(b));
    res(ioctl(fd, I2C_FUNCS, b));
    hex(b, sizeof(b));
}
static void c12(int fd) { res(ioctl(fd, I2C_SLAVE, 0x52)); }
static void c13(int fd) { res(ioctl(fd, I2C_SLAVE, 0x80)); }
static void c14(int fd) { res(ioctl(fd, I2C_SLAVE, 0)); res(ioctl(fd, I2C_SLAVE, 0x7f)); }
static void c15(int fd) { res(ioctl(fd, I2C_SLAVE, (unsigned long)-1)); }
static void c16(int fd) { res(ioctl(fd, I2C_SLAVE_FORCE, 0x80)); }
static void c17(int fd)
{
    res(ioctl(fd, I2C_TENBIT, 1));
    res(ioctl(fd, I2C_SLAVE, 0x3ff));
    res(ioctl(fd, I2C_SLAVE, 0x400));
}
static void c18(int fd) { res(ioctl(fd, I2C_TENBIT, 2)); res(ioctl(fd, I2C_SLAVE, 0x100)); }
static void c19(int fd)
{
    res(ioctl(fd, I2C_TENBIT, 1));
    res(ioctl(fd, I2C_TENBIT, 0));
    res(ioctl(fd, I2C_SLAVE, 0x80));
}
static void c20(int fd)
{
    res(ioctl(fd, I2C_TENBIT, 1));
    res(ioctl(fd, I2C_SLAVE, 0x52));
    rbd(fd, 0x00);
}
static void c21(int fd)
{
    int fd2;
    res(ioctl(fd, I2C_SLAVE, 0x80));
    wbd(fd, 0x10, 0x5a);
    fd2 = open_at(0x52);
    rbd(fd2, 0x10);
    close(fd2);
}
static void c22(int fd) { res(ioctl(fd, I2C_SLAVE, 0x52)); }
static void c23(int fd) { res(ioctl(fd, I2C_SLAVE_FORCE, 0x52)); }
static void c24(int fd) { res(ioctl(fd, I2C_SLAVE, 0x08)); }
static void c25(int fd)
{
    int fresh = open(dev, O_RDWR);
    (void)fd;
    res(smbus(fresh, I2C_SMBUS_WRITE, 0, I2C_SMBUS_QUICK, NULL));
    close(fresh);
}
static void c27(int fd) { res(ioctl(fd, I2C_PEC, 1)); res(ioctl(fd, I2C_PEC, 0)); }
static void c28(int fd) { res(ioctl(fd, I2C_RETRIES, 3)); }
static void c29(int fd) { res(ioctl(fd, I2C_RETRIES, 0x80000000ul)); }
/* I2C_TIMEOUT is adapter-wide: put back the default 1 s afterwards. */
static void c30(int fd)
{
    res(ioctl(fd, I2C_TIMEOUT, 100));
    res(ioctl(fd, I2C_TIMEOUT, 0));
    ioctl(fd, I2C_TIMEOUT, 100);
}
static void c31(int fd) { res(ioctl(fd, I2C_TIMEOUT, 0x80000000ul)); ioctl(fd, I2C_TIMEOUT, 100); }
static void c32(int fd) { res(ioctl(fd, I2C_TIMEOUT, 214748365ul)); ioctl(fd, I2C_TIMEOUT, 100); }
static void c33(int fd) { res(ioctl(fd, I2C_SMBUS, NULL)); }
static void c34(int fd)
{
    union i2c_smbus_data d = { 0 };
    res(smbus(fd, I2C_SMBUS_READ, 0, 9, &d));
    res(smbus(fd, I2C_SMBUS_READ, 0, 0xffffffff, &d));
}
static void c35(int fd)
{
    union i2c_smbus_data d = { 0 };
    res(smbus(fd, 2, 0, I2C_SMBUS_BYTE_DATA, &d));
}
static void c36(int fd) { res(smbus(fd, 2, 0, I2C_SMBUS_QUICK, NULL)); }
static void c37(int fd) { res(smbus(fd, I2C_SMBUS_WRITE, 0, I2C_SMBUS_QUICK, BAD)); }
static void c38(int fd) { res(smbus(fd, I2C_SMBUS_READ, 0, I2C_SMBUS_QUICK, NULL)); }
static void c39(int fd)
{
    wbd(fd, 0x20, 0x11);
    send_byte(fd, 0x20);
    recv_byte(fd);
}
static void c40(int fd) { res(smbus(fd, I2C_SMBUS_READ, 0, I2C_SMBUS_BYTE, NULL)); }
static void c41(int fd)
{
    wbd(fd, 0x20, 0x11);
    send_byte(fd, 0x20);
    res(smbus(fd, I2C_SMBUS_READ, 0, I2C_SMBUS_BYTE, NULL));
    recv_byte(fd);
}
static void c42(int fd) { res(smbus(fd, I2C_SMBUS_WRITE, 0, I2C_SMBUS_BYTE_DATA, NULL)); }
static void c43(int fd)
{
    res(smbus(fd, I2C_SMBUS_WRITE, 0x10, I2C_SMBUS_BYTE_DATA, BAD));
    rbd(fd, 0x10);
}
static void c44(int fd)
{
    long page = sysconf(_SC_PAGESIZE);
    void *ro = mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
                    -1, 0);
    wbd(fd, 0x40, 0x44);
    wbd(fd, 0x41, 0x45);
    send_byte(fd, 0x00);
    res(smbus(fd, I2C_SMBUS_READ, 0x40, I2C_SMBUS_BYTE_DATA, ro));
    recv_byte(fd);
    munmap(ro, (size_t)page);
}
static void read_into_aa(int fd, uint32_t size)
{
    union i2c_smbus_data d;
    memset(&d, 0xaa, sizeof(d));
    res(smbus(fd, I2C_SMBUS_READ, 0x10, size, &d));
    hex(&d, sizeof(d));
}
static void c45(int fd) { read_into_aa(fd, I2C_SMBUS_BYTE_DATA); }
static void c46(int fd) { read_into_aa(fd, I2C_SMBUS_WORD_DATA); }
static void c47(int fd)
{
    union i2c_smbus_data d;
    res(smbus(fd, I2C_SMBUS_READ, 0x10, I2C_SMBUS_BYTE_DATA, &d));
}
static void c48(int fd) { wbd(fd, 0x10, 0xab); rbd(fd, 0x10); }
static void c49(int fd) { rwd(fd, 0x10); }
static void c50(int fd) { wwd(fd, 0x10, 0x1234); rbd(fd, 0x10); rwd(fd, 0x10); }
static void c51(int fd)
{
    wbd(fd, 0x20, 0x11);
    wbd(fd, 0x21, 0x22);
    send_byte(fd, 0x20);
    recv_byte(fd);
    recv_byte(fd);
}
static void c52(int fd)
{
    wbd(fd, 0x40, 0x44);
    wbd(fd, 0x41, 0x45);
    rbd(fd, 0x40);
    recv_byte(fd);
}
static void c53(int fd)
{
    wbd(fd, 0x60, 0x66);
    send_byte(fd, 0x60);
    wwd(fd, 0x10, 0x1234);
    rwd(fd, 0x10);
    recv_byte(fd);
}
static void c54(int fd)
{
    wbd(fd, 0xff, 0xf0);
    wbd(fd, 0x00, 0x0a);
    send_byte(fd, 0xff);
    recv_byte(fd);
    recv_byte(fd);
}
static void c55(int fd) { rbd(fd, 0xff); recv_byte(fd); }
static void c56(int fd)
{
    res(ioctl(fd, I2C_SLAVE, 0x40));
    res(smbus(fd, I2C_SMBUS_WRITE, 0, I2C_SMBUS_QUICK, NULL));
}
static void c57(int fd) { res(ioctl(fd, I2C_SLAVE, 0x40)); rbd(fd, 0x00); }
static void c58(int fd)
{
    union i2c_smbus_data d = { .word = 0x1234 };
    res(smbus(fd, I2C_SMBUS_WRITE, 0x10, I2C_SMBUS_PROC_CALL, &d));
}
static void c59(int fd)
{
    union i2c_smbus_data d = { .block = { 2, 5, 6 } };
    res(smbus(fd, I2C_SMBUS_WRITE, 0x10, I2C_SMBUS_BLOCK_PROC_CALL, &d));
}
static void c60(int fd)
{
    res(ioctl(fd, I2C_PEC, 1));
    wbd(fd, 0x10, 0x77);
    rbd(fd, 0x10);
}
static void c61(int fd)
{
    int fd77 = open_at(0x77);
    wbd(fd, 0x70, 0x61);
    rbd(fd77, 0x70);
    close(fd77);
}
static void c62(int fd)
{
    int first = open_at(0x52), again;
    (void)fd;
    wbd(first, 0x71, 0x62);
    close(first);
    again = open_at(0x52);
    rbd(again, 0x71);
    close(again);
}
static void c63(int fd)
{
    static const uint8_t v[] = { 1, 2, 3 };
    funcs(fd);
    block_write(fd, I2C_SMBUS_BLOCK_DATA, 0x30, 3, v);
    block_read(fd, I2C_SMBUS_BLOCK_DATA, 0x30, 0);
}
static void c64(int fd)
{
    static const uint8_t v[] = { 0xde, 0xad, 0xbe, 0xef };
    block_write(fd, I2C_SMBUS_I2C_BLOCK_DATA, 0x80, 4, v);
    block_read(fd, I2C_SMBUS_I2C_BLOCK_DATA, 0x80, 4);
}
static void c65(int fd)
{
    union i2c_smbus_data d;
    memset(&d, 0xaa, sizeof(d));
    d.block[0] = 4;
    res(smbus(fd, I2C_SMBUS_READ, 0x80, I2C_SMBUS_I2C_BLOCK_DATA, &d));
    hex(&d, sizeof(d));
}
static void c66(int fd) { block_read(fd, I2C_SMBUS_I2C_BLOCK_DATA, 0xf8, 32); }
static void c67(int fd)
{
    uint8_t v[32];
    memset(v, 0x5a, sizeof(v));
    block_write(fd, I2C_SMBUS_I2C_BLOCK_DATA, 0xf0, 32, v);
    rbd(fd, 0xff);
    rbd(fd, 0x00);
}
static void c68(int fd) { block_read(fd, I2C_SMBUS_I2C_BLOCK_BROKEN, 0x00, 5); }
static void c69(int fd)
{
    static const uint8_t v[] = { 7, 8, 9 };
    block_write(fd, I2C_SMBUS_I2C_BLOCK_BROKEN, 0x90, 3, v);
    block_read(fd, I2C_SMBUS_I2C_BLOCK_DATA, 0x90, 3);
}
static void c70(int fd) { block_read(fd, I2C_SMBUS_I2C_BLOCK_DATA, 0x00, 0); }
static void c71(int fd) { block_write(fd, I2C_SMBUS_BLOCK_DATA, 0x32, 0, NULL); }
static void c72(int fd)
{
    uint8_t v[33] = { 0 };
    block_write(fd, I2C_SMBUS_BLOCK_DATA, 0x32, 33, v);
}
static void c73(int fd) { block_read(fd, I2C_SMBUS_BLOCK_DATA, 0x31, 0); }
static void c74(int fd)
{
    static const uint8_t v[] = { 1, 2, 3 }, w[] = { 9 };
    block_write(fd, I2C_SMBUS_BLOCK_DATA, 0x30, 3, v);
    block_write(fd, I2C_SMBUS_BLOCK_DATA, 0x30, 1, w);
    block_read(fd, I2C_SMBUS_BLOCK_DATA, 0x30, 0);
}
static void c75(int fd)
{
    static const uint8_t v[] = { 0xaa, 0xbb };
    block_write(fd, I2C_SMBUS_BLOCK_DATA, 0x31, 2, v);
    rwd(fd, 0x31);
    rbd(fd, 0x31);
}
static void c76(int fd)
{
    int fd33 = open_at(0x33);
    (void)fd;
    wbd(fd33, 0x55, 0x11);
    wbd(fd33, 0x4e, 0x02);
    wbd(fd33, 0x55, 0x22);
    rbd(fd33, 0x55);
    wbd(fd33, 0x4e, 0x00);
    rbd(fd33, 0x55);
    close(fd33);
}
static void c77(int fd)
{
    int fd33 = open_at(0x33);
    union i2c_smbus_data d = { .block = { 1 } };
    (void)fd;
    wbd(fd33, 0x55, 0x11);
    wbd(fd33, 0x4e, 0x02);
    wbd(fd33, 0x55, 0x22);
    rbd(fd33, 0x55);
    if (smbus(fd33, I2C_SMBUS_READ, 0x55, I2C_SMBUS_I2C_BLOCK_DATA, &d) < 0)
        res(-1);
    else
        say("0x%02x", d.block[1]);
    smbus(fd33, I2C_SMBUS_WRITE, 0x4e, I2C_SMBUS_BYTE_DATA,
          &(union i2c_smbus_data){ .byte = 0 });
    close(fd33);
}
static void c78(int fd) { res(ioctl(fd, I2C_RDWR, NULL)); }
static void c79(int fd)
{
    uint8_t b[1];
    struct i2c_msg m = { .addr = 0x52, .len = 1, .buf = b };
    rdwr(fd, &m, 0);
}
static void c80(int fd) { rdwr(fd, NULL, 1); }
static void c81(int fd)
{
    struct i2c_msg m[43] = { 0 };
    rdwr(fd, m, 43);
}
static void c82(int fd)
{
    struct i2c_msg m[42] = { 0 };
    rdwr(fd, m, 42);
}
static void c83(int fd) { rdwr(fd, BAD, 1); }
static void c84(int fd)
{
    static uint8_t b[8193];
    rdwr1(fd, 0, sizeof(b), b);
}
static void c85(int fd)
{
    static uint8_t b[8192];
    rdwr1(fd, 0, sizeof(b), b);
}
static void c86(int fd) { rdwr1(fd, I2C_M_RD, 4, BAD); }
static void c87(int fd)
{
    static uint8_t b[8193];
    struct i2c_msg m[2] = { { .addr = 0x52, .len = 8193, .buf = b },
                            { .addr = 0x52, .len = 4, .buf = BAD } };
    rdwr(fd, m, 2);
}
static void c88(int fd)
{
    static uint8_t b[8193];
    struct i2c_msg m[2] = { { .addr = 0x52, .len = 4, .buf = BAD },
                            { .addr = 0x52, .len = 8193, .buf = b } };
    rdwr(fd, m, 2);
}
static void recv_len(int fd, uint16_t flags, uint16_t len, uint8_t first)
{
    uint8_t b[64] = { first };
    rdwr1(fd, flags | I2C_M_RECV_LEN, len, b);
}
static void c89(int fd) { recv_len(fd, 0, 40, 1); }
static void c90(int fd) { recv_len(fd, I2C_M_RD, 32, 1); }
static void c91(int fd) { recv_len(fd, I2C_M_RD, 33, 1); }
static void c92(int fd) { recv_len(fd, I2C_M_RD, 64, 0); }
static void c93(int fd)
{
    char b[1] = { 0 };
    res(read(fd, b, 1));
    res(write(fd, b, 1));
    res(write(fd, b, 0));
}
static void c116(int fd)
{
    int fd2 = open_at(0x77), dup1;
    wbd(fd, 0x11, 0x52);
    wbd(fd2, 0x11, 0x77);
    rbd(fd, 0x11);
    rbd(fd2, 0x11);
    dup1 = dup(fd);
    res(ioctl(dup1, I2C_SLAVE, 0x08));
    rbd(fd, 0x11);
    close(dup1);
    close(fd2);
}

static const struct test {
    const char *group, *id;
    void (*run)(int fd);
} tests[] = {
    { "main", "C1", c1 }, { "main", "C2", c2 }, { "main", "C3", c3 },
    { "main", "C4", c4 }, { "main", "C5", c5 }, { "main", "C6", c6 },
    { "funcs-default", "C7", funcs }, { "funcs-all", "C8", funcs },
    { "main", "C10", c10 }, { "main", "C11", c11 }, { "main", "C12", c12 },
    { "main", "C13", c13 }, { "main", "C14", c14 }, { "main", "C15", c15 },
    { "main", "C16", c16 }, { "main", "C17", c17 }, { "main", "C18", c18 },
    { "main", "C19", c19 }, { "main", "C20", c20 }, { "main", "C21", c21 },
    { "busy", "C22", c22 }, { "busy", "C23", c23 }, { "busy", "C24", c24 },
    { "main", "C25", c25 }, { "main", "C27", c27 }, { "main", "C28", c28 },
    { "main", "C29", c29 }, { "main", "C30", c30 }, { "main", "C31", c31 },
    { "main", "C32", c32 }, { "main", "C33", c33 }, { "main", "C34", c34 },
    { "main", "C35", c35 }, { "main", "C36", c36 }, { "main", "C37", c37 },
    { "main", "C38", c38 }, { "main", "C39", c39 }, { "main", "C40", c40 },
    { "main", "C41", c41 }, { "main", "C42", c42 }, { "main", "C43", c43 },
    { "main", "C44", c44 }, { "main", "C45", c45 }, { "main", "C46", c46 },
    { "main", "C47", c47 }, { "main", "C48", c48 }, { "main", "C49", c49 },
    { "main", "C50", c50 }, { "main", "C51", c51 }, { "main", "C52", c52 },
    { "main", "C53", c53 }, { "main", "C54", c54 }, { "main", "C55", c55 },
    { "main", "C56", c56 }, { "main", "C57", c57 }, { "main", "C58", c58 },
    { "main", "C59", c59 }, { "main", "C60", c60 }, { "main", "C61", c61 },
    { "main", "C62", c62 }, { "funcs-default", "C63", c63 },
    { "main", "C64", c64 }, { "main", "C65", c65 }, { "main", "C66", c66 },
    { "main", "C67", c67 }, { "main", "C68", c68 }, { "main", "C69", c69 },
    { "main", "C70", c70 }, { "main", "C71", c71 }, { "main", "C72", c72 },
    { "main", "C73", c73 }, { "main", "C74", c74 }, { "main", "C75", c75 },
    { "main", "C76", c76 }, { "main", "C77", c77 }, { "main", "C78", c78 },
    { "main", "C79", c79 }, { "main", "C80", c80 }, { "main", "C81", c81 },
    { "main", "C82", c82 }, { "main", "C83", c83 }, { "main", "C84", c84 },
    { "main", "C85", c85 }, { "main", "C86", c86 }, { "main", "C87", c87 },
    { "main", "C88", c88 }, { "main", "C89", c89 }, { "main", "C90", c90 },
    { "main", "C91", c91 }, { "main", "C92", c92 }, { "main", "C93", c93 },
    { "main", "C116", c116 },
};

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s DEVICE GROUP\n", argv[0]);
        return 2;
    }
    dev = argv[1];
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        const struct test *t = &tests[i];
        int fd;

        if (strcmp(t->group, argv[2]) != 0)
            continue;
        line[0] = '\0';
        /* F-BUSY: 0x52 is busy, so the busy cases start at 0x00. */
        fd = open_at(strcmp(t->group, "busy") ? 0x52 : 0x00);
        t->run(fd);
        close(fd);
        printf("%s: %s\n", t->id, line);
    }
    return 0;
}
