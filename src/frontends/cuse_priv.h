/* SPDX-License-Identifier: MIT */
/* Private to the CUSE frontend: its records, shared by the request side
 * (cuse.c) and the nodes' set-up and removal (cuse_node.c). */
#ifndef I2CEMU_CUSE_PRIV_H
#define I2CEMU_CUSE_PRIV_H

#define FUSE_USE_VERSION 35
#include <cuse_lowlevel.h>
#include <fuse_lowlevel.h>

#include <i2cemu/i2cdev.h>

#include "frontends/cuse.h"
#include "frontends/cuse_asked.h"
#include "frontends/cuse_reader.h"

struct cuse_node {
    struct cuse_frontend *cf;
    int number; /* the board's bus number */
    char path[64];
    struct fuse_session *se;
    int fd; /* the session's: the reader's replies go straight to it */
    struct cuse_reader reader;
    struct cuse_asked asked; /* what each thread's last retry asked for */
};

/* An open file of a node, listed so that stopping frees the ones still
 * open: their clients' release never comes once the nodes are gone. */
struct cuse_file {
    struct i2cemu_i2cdev_file f; /* first: fi->fh points at both */
    struct cuse_file **pprev, *next;
};

/* A FUSE message's sender and the file it is for (cuse_wire.c). */
struct cuse_in {
    uint64_t unique; /* its reply's */
    pid_t tid;
    uint64_t fh;
};

/* A request on the bus, answered when its transfer completes. */
struct cuse_call {
    struct cuse_node *node; /* node->cf: its frontend */
    struct cuse_in in; /* of the round it runs in */
    struct i2cemu_i2cdev_req r;
    bool submitting, replied;
    /* Kept across an ioctl's rounds: decoded (prepare returned `st`, not
     * NEED) and waiting for its output regions. */
    bool decoded;
    enum i2cemu_i2cdev_status st;
    /* cf->calls, once submitted; cf->spare (next only), once done */
    struct cuse_call **pprev, *next;
};

struct cuse_frontend {
    struct i2cemu_board *board;
    size_t ioctl_max; /* bytes each way in one ioctl round */
    unsigned nnodes;
    struct cuse_node *nodes;
    struct cuse_file *files;
    struct cuse_call *calls;
    /* Calls done with, kept for the next ones: a request round allocates
     * nothing (there are as many as calls were ever on the bus at once). */
    struct cuse_call *spare;
    struct cuse_readers readers;
};

/* The node's handlers: libfuse's, for opening and closing (cuse.c). */
extern const struct cuse_lowlevel_ops cuse_node_ops;
/* The messages its reader answers itself: true if `buf` was one of them
 * and has been answered, false for libfuse's (cuse_wire.c). */
bool cuse_wire_serve(struct cuse_node *n, const struct fuse_buf *buf);
/* Replies to message `unique`. */
void cuse_wire_err(struct cuse_node *n, uint64_t unique, int err);
void cuse_wire_data(struct cuse_node *n, uint64_t unique, const void *data,
                    size_t len);
void cuse_wire_written(struct cuse_node *n, uint64_t unique, size_t count);
void cuse_wire_ioctl(struct cuse_node *n, uint64_t unique, int result,
                     const struct i2cemu_i2cdev_out *out, unsigned nout);
void cuse_wire_retry(struct cuse_node *n, uint64_t unique,
                     const struct iovec *in, unsigned nin,
                     const struct i2cemu_i2cdev_out *out, unsigned nout);
/* Their handlers (cuse.c). */
void cuse_ioctl(struct cuse_node *node, const struct cuse_in *in,
                unsigned cmd, uint64_t arg, unsigned flags,
                const void *in_buf, size_t in_size, size_t out_size);
void cuse_rw(struct cuse_node *node, const struct cuse_in *in,
             enum i2cemu_i2cdev_op op, size_t size, const uint8_t *buf);
/* The caller of message `unique` got a signal. */
void cuse_interrupt(struct cuse_node *node, uint64_t unique);
/* Back to cf->spare, off cf->calls if it is on it. */
void cuse_call_free(struct cuse_call *c);
/* Off cf->files, freed. */
void cuse_file_free(struct cuse_file *f);

#endif
