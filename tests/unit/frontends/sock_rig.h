/* SPDX-License-Identifier: MIT */
/* The socket server's test rig and the client side of its protocol
 * (sock_rig.c). */
#ifndef TEST_SOCK_RIG_H
#define TEST_SOCK_RIG_H

#include <linux/i2c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <i2cemu/i2cemu.h>

#include "frontends/sock_server.h"
#include "frontends/sockproto.h"

/* A board with test_reg devices at 0x50 and 0x51 and a stretching one at
 * 0x60 on bus 1, a stub bus 3, and a server on a socket in a fresh
 * directory. */
struct rig {
    struct i2cemu_loop *loop;
    struct i2cemu_board *b;
    struct sock_server *srv;
    char dir[64], path[128];
    struct i2cemu_error err;
    int regs50, regs51;
};

/* A RESULT, with up to 4 output regions of up to 64 bytes. */
struct reply {
    int64_t result;
    unsigned nout;
    struct {
        uint64_t addr;
        uint32_t len;
        uint8_t data[64];
    } out[4];
};

/* Fake client memory: a few segments; anything else faults. */
struct seg {
    uint64_t addr;
    const void *p;
    size_t len;
};

struct fake_mem {
    struct seg seg[8];
    unsigned needs; /* NEED rounds answered */
};

/* I2C_SMBUS as a 64-bit caller at these fake addresses. */
#define ARG  0x1000u
#define DATA 0x2000u

/* cmocka setup and teardown building and freeing the rig as *state. */
int sock_rig_setup(void **state);
int sock_rig_teardown(void **state);

struct reg_state *regs(struct rig *r, int dev);
/* Let the server take what clients sent and answer. */
void pump(struct rig *r);

/* ---- the client side --------------------------------------------------- */

void tx_raw(int fd, const void *p, size_t len);
void tx(int fd, uint32_t type, const void *body, size_t len);
/* Exactly len bytes, pumping the server while they come. */
void rx(struct rig *r, int fd, void *buf, size_t len);
/* True when the server dropped the connection (after what it sent). */
bool dropped(struct rig *r, int fd);
/* True when nothing is waiting for the client. */
bool quiet(struct rig *r, int fd);
int connect_only(struct rig *r);
void skip_hello(struct rig *r, int fd);
void rx_result(struct rig *r, int fd, uint32_t len, struct reply *rep);
/* Send a request and answer its NEEDs from m until the RESULT. */
int64_t request(struct rig *r, int fd, uint32_t type, const void *body,
                size_t len, struct fake_mem *m, struct reply *rep);
int64_t do_open(struct rig *r, int fd, int number, int flags);
/* An IOCTL carrying the regions in[0..n) (p NULL: one the client cannot
 * read), as the shim sends it; NEEDs answered from m. */
int64_t ioctl_carrying(struct rig *r, int fd, uint32_t cmd, uint64_t arg,
                       const struct seg *in, unsigned n, struct fake_mem *m,
                       struct reply *rep);
/* Connected, HELLO read, bus 1 open with these flags. */
int open_bus(struct rig *r, int flags);
int64_t do_ioctl(struct rig *r, int fd, uint32_t cmd, uint64_t arg,
                 struct fake_mem *m, struct reply *rep);
int64_t smbus(struct rig *r, int fd, uint8_t rw, uint8_t cmd, int size,
              union i2c_smbus_data *data, struct fake_mem *m,
              struct reply *rep);
/* The client past the cap gets a RESULT saying ENFILE for a HELLO. */
void assert_refused(struct rig *r, int fd);

#endif
