/* SPDX-License-Identifier: MIT */
/*
 * The i2c-dev ABI layer: what drivers/i2c/i2c-dev.c and i2c-core-smbus.c do
 * for an open /dev/i2c-N, with the kernel's check order and errno. Every
 * frontend (CUSE, preload, in-process) goes through it; a frontend only
 * moves bytes.
 *
 * The layer never touches client memory itself. A request is decoded
 * against a `umem` reader that copies from the client's address space, or
 * fails with -EFAULT (the kernel's copy_from_user failed), or with -EAGAIN
 * when the frontend must fetch that region first (CUSE's ioctl retry, the
 * preload shim's round trip). Decoding has no side effects on the file or
 * the board, so after NEED the frontend fetches what prepare asked for and
 * calls prepare again on the same request, with a reader that has those
 * regions and every one fetched before for it: prepare continues the
 * request where it stopped (I2C_RDWR and I2C_SMBUS, which then copy and
 * check each region once), or decodes it again from the start (read()
 * and write(), whose only region is the buffer); the result and errno are
 * the same either way. To start a new request instead, release (or init)
 * it first.
 *
 * Life of a request:
 *   i2cemu_i2cdev_req_init(req, ...)       ioctl / read / write
 *   i2cemu_i2cdev_prepare(file, req, umem) -> I2CEMU_I2CDEV_NEED    fetch req->needs, retry
 *                                   -> I2CEMU_I2CDEV_DONE    result is ready
 *                                   -> I2CEMU_I2CDEV_SUBMIT  a bus transfer is ready
 *   i2cemu_i2cdev_submit(file, req, done)  runs it; done(req) when complete
 *   then the frontend writes req->out[0..nout) to the client, in that
 *   order, and stops at the first region it cannot write: the result is
 *   then EFAULT (the transfer has happened, as in the kernel). It returns
 *   req->result (>= 0, or -errno) and calls i2cemu_i2cdev_req_release(req).
 *
 * NEED: needs[0..nneed), nneed >= 1, are client regions in the order the
 * kernel copies them in. needs[0], also named `need`, is where decoding
 * stopped. The others (I2C_RDWR only: the buffers of the next messages)
 * are what the kernel copies next with no check in between that could fail
 * but by EFAULT, so a fault in any of them is the call's EFAULT, whatever
 * comes after. A frontend may fetch them all at once (CUSE), a prefix of
 * them, or `need` alone and call prepare again (the preload shim): the
 * result is the same.
 *
 * Outputs: at NEED, out[0..nout) already lists the output regions known at
 * that point (an I2C_SMBUS union once the argument is decoded, I2C_RDWR's
 * read buffers once the message array is), in their final order; when the
 * request later succeeds or submits, the same bytes give the same list, so
 * a frontend may declare them while it fetches (CUSE declares them in the
 * same retry as the inputs). The list is complete when prepare returns
 * SUBMIT or DONE; after a failure nout is 0.
 */
#ifndef I2CEMU_I2CDEV_H
#define I2CEMU_I2CDEV_H

#include <i2cemu/board.h>
#include <i2cemu/master.h>
#include <i2cemu/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Per-open-file state (shared by dup()s of one open file description). */
struct i2cemu_i2cdev_file {
    struct i2cemu_board *board;
    unsigned bus;   /* bus index */
    uint16_t addr;  /* I2C_SLAVE; 0 until set */
    uint16_t flags; /* I2C_M_TEN (0x0010) and I2C_CLIENT_PEC (0x0004) */
    bool readable, writable; /* from the open mode: write() on O_RDONLY is EBADF */
    int pid; /* the client process, for traces; 0: unknown. The frontend
                sets it after i2cemu_i2cdev_open() */
};

/* Open /dev/i2c-<number>: 0, or -ENODEV when no such bus. */
int i2cemu_i2cdev_open(struct i2cemu_i2cdev_file *f, struct i2cemu_board *b, int number,
                int open_flags);

struct i2cemu_umem {
    int (*read)(struct i2cemu_umem *m, uint64_t addr, void *dst, size_t len);
};

struct i2cemu_uregion {
    uint64_t addr;
    uint32_t len;
};

enum i2cemu_i2cdev_status {
    I2CEMU_I2CDEV_DONE,
    I2CEMU_I2CDEV_NEED,
    I2CEMU_I2CDEV_SUBMIT,
};

enum i2cemu_i2cdev_op {
    I2CEMU_I2CDEV_OP_IOCTL,
    I2CEMU_I2CDEV_OP_READ,
    I2CEMU_I2CDEV_OP_WRITE,
};

#define I2CEMU_I2CDEV_MAX_OUT 43  /* I2C_RDWR: up to 42 read buffers */
#define I2CEMU_I2CDEV_MAX_NEED 42 /* I2C_RDWR: up to 42 message buffers at once */

struct i2cemu_i2cdev_out {
    uint64_t addr;
    uint32_t len;
    const uint8_t *data; /* valid until i2cemu_i2cdev_req_release */
};

struct i2cemu_i2cdev_req {
    /* Inputs. */
    enum i2cemu_i2cdev_op op;
    unsigned long cmd; /* ioctl request */
    uint64_t arg;      /* ioctl argument: an integer or a client address */
    bool compat;       /* a 32-bit caller: compat struct layouts */
    /* read(): count; arg is the client's buffer (out[0].addr).
     * write(): count, and either the bytes already copied by the frontend
     * in wbuf (at most 8192 are used: the kernel copies the clamped
     * count), or wbuf NULL and arg the client's buffer, copied through the
     * umem reader so that EFAULT comes at the kernel's point. */
    size_t count;
    const uint8_t *wbuf;

    /* Filled by prepare. At NEED (see above): needs[0..nneed), of which
     * `need` is the first. */
    union {
        struct i2cemu_uregion need;
        struct i2cemu_uregion needs[I2CEMU_I2CDEV_MAX_NEED];
    };
    unsigned nneed;
    int result; /* the syscall's return value, or -errno */
    unsigned nout; /* 0 after a failure: nothing to write back */
    struct i2cemu_i2cdev_out out[I2CEMU_I2CDEV_MAX_OUT];

    /* Private to the layer. The request carries its own working storage
     * so that running one allocates nothing (the in-process fast path). */
    struct i2cemu_i2cdev_priv *priv;
    void (*done)(struct i2cemu_i2cdev_req *req);
    void *opaque;
    _Alignas(16) unsigned char priv_storage[1792];
};

void i2cemu_i2cdev_req_init(struct i2cemu_i2cdev_req *req, enum i2cemu_i2cdev_op op);
enum i2cemu_i2cdev_status i2cemu_i2cdev_prepare(struct i2cemu_i2cdev_file *f, struct i2cemu_i2cdev_req *req,
                                  struct i2cemu_umem *umem);
void i2cemu_i2cdev_submit(struct i2cemu_i2cdev_file *f, struct i2cemu_i2cdev_req *req,
                   void (*done)(struct i2cemu_i2cdev_req *req));
/* Cancel a submitted request (the client went away); done still runs. */
void i2cemu_i2cdev_cancel(struct i2cemu_i2cdev_req *req);
void i2cemu_i2cdev_req_release(struct i2cemu_i2cdev_req *req);

/* Convenience for in-process callers: client memory is our own. Runs the
 * loop until the request completes. Returns like the syscall: the result,
 * or -1 with errno set. On a VIRTUAL clock, a request that would have to
 * wait for time to pass (a clock stretch, a held bus) cannot complete, since
 * only the caller moves that clock: it fails with ECANCELED. Use
 * i2cemu_i2cdev_prepare/submit and i2cemu_loop_advance for those. */
long i2cemu_i2cdev_ioctl_sync(struct i2cemu_i2cdev_file *f, unsigned long cmd, void *arg);
long i2cemu_i2cdev_read_sync(struct i2cemu_i2cdev_file *f, void *buf, size_t count);
long i2cemu_i2cdev_write_sync(struct i2cemu_i2cdev_file *f, const void *buf, size_t count);

#ifdef __cplusplus
}
#endif
#endif
