/* SPDX-License-Identifier: MIT */
/* What the C programs run under the preload shim share (preload_client
 * for test_preload, shim_probe for the e2e hardening tests): a check that
 * prints where it failed and carries on, and the SMBus calls they make
 * as plain ioctl()s. Each program is one file: define CLIENT_NAME, then
 * include this. */
#ifndef I2CEMU_TESTS_SHIM_CLIENT_H
#define I2CEMU_TESTS_SHIM_CLIENT_H

#include <errno.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>

/* Set by a failed check: the program's exit status. */
static int failed;

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, CLIENT_NAME ":%d: %s (errno %d)\n", __LINE__,     \
                    #cond, errno);                                            \
            failed = 1;                                                       \
        }                                                                     \
    } while (0)

/* -1 with this errno. */
#define FAILS(call, e) CHECK((call) == -1 && errno == (e))

static inline int smbus(int fd, char rw, uint8_t cmd, int size,
                        union i2c_smbus_data *data)
{
    struct i2c_smbus_ioctl_data a = { rw, cmd, (uint32_t)size, data };

    return ioctl(fd, I2C_SMBUS, &a);
}

/* The byte, or -errno. */
static inline int read_byte_data(int fd, uint8_t cmd)
{
    union i2c_smbus_data d;

    return smbus(fd, I2C_SMBUS_READ, cmd, I2C_SMBUS_BYTE_DATA, &d) < 0
               ? -errno
               : d.byte;
}

/* 0, or -errno. */
static inline int write_byte_data(int fd, uint8_t cmd, uint8_t v)
{
    union i2c_smbus_data d = { .byte = v };

    return smbus(fd, I2C_SMBUS_WRITE, cmd, I2C_SMBUS_BYTE_DATA, &d) < 0
               ? -errno
               : 0;
}

#endif
