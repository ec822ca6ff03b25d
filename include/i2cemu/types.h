/* SPDX-License-Identifier: MIT */
/* Basic types shared by every layer: typed bus results, slave events,
 * the message type (the kernel's own struct i2c_msg) and error text. */
#ifndef I2CEMU_TYPES_H
#define I2CEMU_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/i2c.h>   /* struct i2c_msg, I2C_M_*, I2C_FUNC_*, I2C_SMBUS_* */

#ifdef __cplusplus
extern "C" {
#endif

/* What a slave answers to an address or data byte. errno exists only at
 * the ABI boundary (the i2c-dev layer); the bus speaks ACK and NACK. */
enum i2cemu_result {
    I2CEMU_ACK = 0,
    I2CEMU_NACK = 1,
};

/* Bus events a slave sees. */
enum i2cemu_event {
    I2CEMU_EV_START_SEND, /* addressed for writing (START or repeated START) */
    I2CEMU_EV_START_RECV, /* addressed for reading */
    I2CEMU_EV_FINISH,     /* STOP, bus reset, or an aborted transfer */
    I2CEMU_EV_NACK,       /* the master NACKed the last byte it read */
    I2CEMU_EV_DESELECT,   /* a repeated START addressed to another device:
                             addressed earlier in this transfer, this device
                             no longer is */
};
/* An event's bit in a device type's events_ignored (device.h). */
#define I2CEMU_EV_BIT(ev) (1u << (ev))

/* Index meaning "no bus" or "no device". */
#define I2CEMU_NONE 0xFFFFu

/* A human-readable error, filled by any call that can fail on bad input.
 * Room for a whole message that quotes a board file line (at most 512
 * bytes) and names its file. */
struct i2cemu_error {
    char msg[1024];
};

#ifdef __cplusplus
}
#endif
#endif
