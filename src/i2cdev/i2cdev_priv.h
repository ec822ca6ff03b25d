/* SPDX-License-Identifier: MIT */
/* Private to src/i2cdev: the state of one request, shared by the decoders
 * of i2cdev.c (file operations, integer ioctls), rdwr.c and smbus.c. */
#ifndef I2CDEV_PRIV_H
#define I2CDEV_PRIV_H

#include <linux/i2c-dev.h>

#include <i2cemu/i2cdev.h>

#include "i2cdev/smbus_emul.h"

#define I2CDEV_CLIENT_PEC 0x0004 /* the kernel's I2C_CLIENT_PEC */
#define I2CDEV_MSG_MAX    8192   /* read, write, I2C_RDWR message length */

/* One I2C_SMBUS transaction once decoded: what goes to the adapter and
 * what comes back (i2cdev_smbus_build, i2cdev_smbus_result). */
struct i2cdev_smbus {
    struct i2cemu_smbus_op op;
    union i2c_smbus_data data; /* the kernel's zeroed temporary copy */
    struct i2cdev_smbus_emul emul;
    bool emul_on;              /* post-process with emul's finish */
    /* The argument as decoded, kept across NEED (smbus.c). */
    uint8_t rw, command;
    uint32_t size;
    uint64_t udata;
};

/* Message bytes up to this many live in the request (no allocation). */
#define I2CDEV_BYTES_INLINE 64

/* I2C_RDWR's decoding so far, kept across NEED (rdwr.c): where it stopped,
 * and what it decoded before. */
struct i2cdev_rdwr {
    enum { RDWR_ARG, RDWR_MSGS, RDWR_BUFS } stage;
    uint64_t umsgs;  /* the message array (client address) */
    uint32_t n;      /* messages */
    unsigned next;   /* RDWR_BUFS: the first message not copied in */
    uint64_t ubuf[I2C_RDWR_IOCTL_MAX_MSGS]; /* their client buffers */
};

/* Not cleared per request (it is 1.5 KiB): i2cemu_i2cdev_prepare resets
 * the fields marked "reset" when it starts a request (not when it
 * resumes one after NEED), and a decoder sets every other field it or
 * the request's completion reads. */
struct i2cemu_i2cdev_priv {
    struct i2cemu_transfer t; /* t.msgs, t.smbus: reset */
    bool submitted;   /* reset */
    int ok_result;    /* the syscall's result when the transfer succeeds */

    /* I2C_RDWR, read(), write(): the message bytes (messages below), in
     * `inline_bytes` or allocated (i2cdev_bytes). */
    uint8_t *bytes;   /* reset */
    uint8_t inline_bytes[I2CDEV_BYTES_INLINE];

    /* Set by a decoder that resumes after NEED (I2C_RDWR's, I2C_SMBUS's):
     * the next prepare continues it instead of starting over. */
    bool resumable;   /* reset */
    struct i2cdev_rdwr rdwr;

    struct i2cdev_smbus smbus; /* I2C_SMBUS; smbus.emul_on: reset */

    uint8_t funcs[sizeof(unsigned long)]; /* I2C_FUNCS output */

    struct i2c_msg msgs[I2C_RDWR_IOCTL_MAX_MSGS];
};

/* One decoding pass of i2cemu_i2cdev_prepare. */
struct i2cdev_ctx {
    struct i2cemu_i2cdev_file *f;
    struct i2cemu_i2cdev_req *req;
    struct i2cemu_i2cdev_priv *p;
    struct i2cemu_umem *umem;
};

/* Room for `len` message bytes in p->bytes: 0 or -ENOMEM. */
int i2cdev_bytes(struct i2cemu_i2cdev_priv *p, size_t len);

/* Copy client memory: 0, -EFAULT, or -EAGAIN with the region in
 * req->need (nneed 1). */
int i2cdev_uread(struct i2cdev_ctx *c, uint64_t addr, void *dst, size_t len);
/* After -EAGAIN: one more region the kernel copies next, with nothing in
 * between that can fail but by EFAULT (see i2cdev.h). Empty ones are left
 * out: the kernel does not touch memory for 0 bytes. */
void i2cdev_add_need(struct i2cdev_ctx *c, uint64_t addr, size_t len);
/* End decoding with `err`: NEED for -EAGAIN, else DONE with that result. */
enum i2cemu_i2cdev_status i2cdev_fail(struct i2cdev_ctx *c, int err);
/* Declare a client region written when the request succeeds. */
void i2cdev_add_out(struct i2cdev_ctx *c, uint64_t addr, uint32_t len,
                    const void *data);

/* A plain I2C adapter; the stub profile has no I2C transfer method, only
 * native SMBus (section 6.2). */
static inline bool i2cdev_has_i2c(const struct i2cemu_i2cdev_file *f)
{
    return i2cemu_bus_profile(f->board, f->bus) != I2CEMU_PROFILE_STUB;
}

enum i2cemu_i2cdev_status i2cdev_prep_rdwr(struct i2cdev_ctx *c);
enum i2cemu_i2cdev_status i2cdev_prep_smbus(struct i2cdev_ctx *c);

/* I2C_SMBUS's steps 7 and 8 (smbus.c), once `data` (NULL when the size
 * uses none) holds the caller's bytes: set `t` up for the transaction.
 * 0 or -errno. */
int i2cdev_smbus_build(struct i2cdev_smbus *s, struct i2cemu_transfer *t,
                       const struct i2cemu_i2cdev_file *f, uint8_t rw,
                       uint8_t command, uint32_t size,
                       union i2c_smbus_data *data);
/* The transaction's outcome from the transfer's result: 0 or -errno. */
static inline int i2cdev_smbus_result(struct i2cdev_smbus *s, int r)
{
    if (s->emul_on)
        return i2cdev_smbus_emul_finish(&s->emul, r, &s->data);
    return r < 0 ? r : 0;
}

/* I2C_SMBUS for an in-process caller, whose values need no fetching:
 * the request path's checks, order and errno, without its request
 * block. The result, or -errno. */
int i2cdev_smbus_sync(struct i2cemu_i2cdev_file *f, uint8_t rw,
                      uint8_t command, uint32_t size,
                      union i2c_smbus_data *data);

#endif
