/* SPDX-License-Identifier: MIT */
/*
 * The CUSE frontend: each bus of a board becomes a real character device
 * /dev/i2c-N that any program opens, with no preload and no privileges on
 * the client side. The daemon needs /dev/cuse (root, `modprobe cuse`).
 * Requests are served on the board's event loop; see docs/cuse.md.
 */
#ifndef I2CEMU_CUSE_H
#define I2CEMU_CUSE_H

#include <stdio.h>
#include <sys/types.h>

#include <i2cemu/board.h>

struct cuse_options {
    const char *prefix; /* node name before the number; NULL: "i2c-" */
    mode_t mode;        /* 0: 0600, as the kernel's i2c-dev nodes */
    uid_t uid;          /* owner and group of the nodes (0: root) */
    gid_t gid;
    bool debug;         /* libfuse's request log on stderr */
};

struct cuse_frontend;

#ifdef I2CEMU_HAVE_CUSE
/*
 * Create one node per bus: prefix + the bus number, or the next free number
 * when /dev already has that name (the kernel's own i2c-0, say). Returns
 * once every node exists, or NULL with err set and nothing left behind.
 */
struct cuse_frontend *cuse_frontend_start(struct i2cemu_board *b,
                                          const struct cuse_options *opts,
                                          struct i2cemu_error *err);
/* The node serving bus index `bus`, e.g. "/dev/i2c-1". */
const char *cuse_frontend_node(const struct cuse_frontend *cf, unsigned bus);
/* Remove the nodes. Requests still on the bus fail with ECANCELED. */
void cuse_frontend_stop(struct cuse_frontend *cf);
#else
/* Built without libfuse3: starting fails, and nothing else can be called. */
static inline struct cuse_frontend *
cuse_frontend_start(struct i2cemu_board *b, const struct cuse_options *opts,
                    struct i2cemu_error *err)
{
    (void)b;
    (void)opts;
    snprintf(err->msg, sizeof(err->msg),
             "--cuse: i2cemu was built without CUSE (libfuse3)");
    return NULL;
}
static inline const char *cuse_frontend_node(const struct cuse_frontend *cf,
                                             unsigned bus)
{
    (void)cf;
    (void)bus;
    return NULL;
}
static inline void cuse_frontend_stop(struct cuse_frontend *cf)
{
    (void)cf;
}
#endif

#endif
