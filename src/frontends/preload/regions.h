/* SPDX-License-Identifier: MIT */
/*
 * What the kernel's i2c-dev would touch in the caller's memory for one
 * request, derived from the caller's own arguments. The shim checks every
 * NEED and RESULT of the daemon against it (docs/protocol.md, "What the
 * shim trusts"): the daemon can read and write no other byte of the
 * client, and cannot report a result the system call could not return.
 *
 * Pure: client memory is read through a callback, so hostile replies can
 * be tried in a unit test.
 */
#ifndef I2CEMU_PRELOAD_REGIONS_H
#define I2CEMU_PRELOAD_REGIONS_H

#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { SHIM_IN = 1, SHIM_OUT = 2 }; /* copy_from_user, copy_to_user */

struct shim_region {
    uint64_t addr;
    uint32_t len;
    unsigned dir; /* SHIM_IN | SHIM_OUT */
    /* Its bytes, when they were read here to find the next regions (the
     * argument block, I2C_RDWR's message array): they go to the daemon
     * as read, and are not read again. */
    const uint8_t *data;
};

/* The ioctl argument, the message array and one buffer per message. */
#define SHIM_MAX_REGIONS (2 + I2C_RDWR_IOCTL_MAX_MSGS)

struct shim_req {
    int64_t max_result; /* the largest result the call can return */
    unsigned n;
    struct shim_region r[SHIM_MAX_REGIONS];
    /* The argument block and I2C_RDWR's message array as read here:
     * sent with an ioctl, so that the daemon decodes the bytes the
     * regions came from. */
    uint8_t arg[16];
    struct i2c_msg msgs[I2C_RDWR_IOCTL_MAX_MSGS];
};

/* Reads len bytes of client memory at addr; false if they cannot be. */
typedef bool shim_peek_fn(uint64_t addr, void *buf, size_t len);

void shim_req_ioctl(struct shim_req *q, unsigned cmd, uint64_t arg,
                    shim_peek_fn *peek);
/* read() (SHIM_OUT) or write() (SHIM_IN) of count bytes at addr. */
void shim_req_rw(struct shim_req *q, unsigned dir, uint64_t addr,
                 uint64_t count);
/* A request that touches no memory and returns 0 or -errno (OPEN). */
void shim_req_none(struct shim_req *q);

/* Whether [addr, addr + len) lies in one region open in direction dir. */
bool shim_req_allows(const struct shim_req *q, unsigned dir, uint64_t addr,
                     uint32_t len);
/* Whether r is a result the call can return: -4095..-1 or 0..max. */
bool shim_req_result_ok(const struct shim_req *q, int64_t r);

#endif
