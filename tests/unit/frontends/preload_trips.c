/* SPDX-License-Identifier: MIT */
/* A client program for test_preload_trips: each request type of the
 * i2c-dev ABI once, each on a connection of its own (open, I2C_SLAVE, the
 * request, close), with libi2cemu-preload.so preloaded against a board
 * with a register bank at 0x50 on bus 1. The test counts the messages each
 * connection sends. Built without sanitizers, like the programs the shim
 * is for. Prints each failed check; exits 0 when all passed. */
#include <errno.h>
#include <fcntl.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define CLIENT_NAME "preload_trips"
#include "shim_client.h"

static uint8_t *bad; /* a page nobody can read */

static int rdwr(int fd, struct i2c_msg *m, unsigned n)
{
    struct i2c_rdwr_ioctl_data a = { m, n };

    return ioctl(fd, I2C_RDWR, &a);
}

/* One request on a fresh connection: what the test counts. */
static void one(int (*op)(int fd))
{
    int fd = open("/dev/i2c-1", O_RDWR);

    CHECK(fd >= 0);
    CHECK(ioctl(fd, I2C_SLAVE, 0x50) == 0);
    CHECK(op(fd) == 0);
    close(fd);
}

static int read_byte(int fd)
{
    return read_byte_data(fd, 0x10) == 0x5a ? 0 : -1;
}

static int write_byte(int fd)
{
    return write_byte_data(fd, 0x10, 0x5a);
}

static int word(int fd)
{
    union i2c_smbus_data d = { .word = 0x1234 };

    if (smbus(fd, I2C_SMBUS_WRITE, 0x20, I2C_SMBUS_WORD_DATA, &d) < 0)
        return -1;
    return 0;
}

static int read_word(int fd)
{
    union i2c_smbus_data d;

    return smbus(fd, I2C_SMBUS_READ, 0x20, I2C_SMBUS_WORD_DATA, &d) == 0 &&
                   d.word == 0x1234
               ? 0
               : -1;
}

static int block_write(int fd)
{
    union i2c_smbus_data d = { .block = { 4, 1, 2, 3, 4 } };

    return smbus(fd, I2C_SMBUS_WRITE, 0x30, I2C_SMBUS_I2C_BLOCK_DATA, &d);
}

static int block_read(int fd)
{
    union i2c_smbus_data d = { .block = { 32 } };

    return smbus(fd, I2C_SMBUS_READ, 0x30, I2C_SMBUS_I2C_BLOCK_DATA, &d) ==
                       0 &&
                   d.block[0] == 32 && d.block[1] == 1 && d.block[4] == 4
               ? 0
               : -1;
}

static int rdwr_w1_r32(int fd)
{
    uint8_t reg = 0x30, buf[32];
    struct i2c_msg m[] = { { 0x50, 0, 1, &reg },
                           { 0x50, I2C_M_RD, sizeof buf, buf } };

    return rdwr(fd, m, 2) == 2 && buf[0] == 1 && buf[3] == 4 ? 0 : -1;
}

static int rdwr_three(int fd)
{
    uint8_t w[] = { 0x40, 0xaa }, reg = 0x40, r1[1];
    struct i2c_msg m[] = { { 0x50, 0, 2, w },
                           { 0x50, 0, 1, &reg },
                           { 0x50, I2C_M_RD, 1, r1 } };

    return rdwr(fd, m, 3) == 3 && r1[0] == 0xaa ? 0 : -1;
}

static int plain_write(int fd)
{
    uint8_t b[] = { 0x50, 7, 8 };

    return write(fd, b, sizeof b) == 3 ? 0 : -1;
}

static int plain_read(int fd)
{
    uint8_t b[4];

    return read(fd, b, sizeof b) == 4 ? 0 : -1;
}

/* Faults cost no more: the kernel's EFAULT comes back in the one trip. */
static int rdwr_bad_buffer(int fd)
{
    uint8_t reg = 0x30;
    struct i2c_msg m[] = { { 0x50, 0, 1, &reg }, { 0x50, I2C_M_RD, 4, bad } };

    return rdwr(fd, m, 2) == -1 && errno == EFAULT ? 0 : -1;
}

static int smbus_bad_data(int fd)
{
    return smbus(fd, I2C_SMBUS_WRITE, 0x10, I2C_SMBUS_BYTE_DATA,
                 (union i2c_smbus_data *)bad) == -1 &&
                   errno == EFAULT
               ? 0
               : -1;
}

int main(void)
{
    /* In this order: test_preload_trips.c names them. */
    static int (*const ops[])(int) = {
        write_byte, read_byte,   word,          read_word,
        block_write, block_read, rdwr_w1_r32,   rdwr_three,
        plain_write, plain_read, rdwr_bad_buffer, smbus_bad_data,
    };

    bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(bad != MAP_FAILED);
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++)
        one(ops[i]);
    return failed;
}
