/* SPDX-License-Identifier: MIT */
/* One recorded transfer, and its line in a recording
 * (docs/record-replay.md). */
#ifndef I2CEMU_RECORD_FORMAT_H
#define I2CEMU_RECORD_FORMAT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/i2c.h>

#define REC_HEADER "# i2cemu-recording 1\n"
#define REC_MAX_MSGS 42 /* I2C_RDWR_IOCTL_MAX_MSGS */
#define REC_PEC 0x04     /* flags: I2C_PEC was on (the kernel's I2C_CLIENT_PEC) */

enum rec_kind { REC_RDWR, REC_SMBUS, REC_READ, REC_WRITE };

struct rec_call {
    int bus;
    enum rec_kind kind;
    /* RDWR: the messages; READ, WRITE: one, to the I2C_SLAVE address. */
    unsigned nmsgs;
    struct i2c_msg msgs[REC_MAX_MSGS];
    /* SMBUS */
    uint16_t addr, flags; /* I2C_M_TEN, I2C_CLIENT_PEC */
    uint8_t read_write, command;
    uint32_t size;
    bool has_data;
    union i2c_smbus_data sent, got; /* data before and after the call */
    long result; /* the call's return value */
    int err;     /* its errno when result < 0 */
};

/* Write c's line, newline included. */
void rec_format(FILE *f, const struct rec_call *c);

#endif
