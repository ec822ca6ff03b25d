/* SPDX-License-Identifier: MIT */
/*
 * What the last ioctl retry of each thread asked the kernel to copy in
 * (cuse.c). The kernel's next round of that ioctl brings exactly those
 * regions back, in that order, so the round maps its input at once, and
 * the call that asked (its decoding so far) is kept with them for that
 * round to continue.
 */
#ifndef I2CEMU_CUSE_ASKED_H
#define I2CEMU_CUSE_ASKED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <linux/i2c-dev.h>

/* The regions a request can need: I2C_RDWR's argument, message array and
 * one buffer per message, each asked for once. */
#define CUSE_MAX_REGIONS (2 + I2C_RDWR_IOCTL_MAX_MSGS)
/* Threads remembered per node: a new one replaces the oldest, whose next
 * round is then decoded region by region, as without this. */
#define CUSE_ASKED_THREADS 4

/* One ioctl of one thread: its rounds share all of these. */
struct cuse_asked_key {
    pid_t tid;
    uint64_t fh, arg;
    int cmd;
};

struct cuse_asked {
    struct {
        struct cuse_asked_key key; /* tid 0: free */
        unsigned n;
        size_t size;
        struct iovec iov[CUSE_MAX_REGIONS];
        void *kept; /* the retried call, owned by cuse.c; or NULL */
    } t[CUSE_ASKED_THREADS];
    unsigned next; /* the entry a new thread takes */
};

/* Remember that k's ioctl, `kept`, was retried asking for iov[0..n).
 * Returns the call the entry held before (a thread's earlier ioctl that
 * the kernel gave up, or another thread's), for the caller to free; or
 * NULL. */
void *cuse_asked_set(struct cuse_asked *a, const struct cuse_asked_key *k,
                     const struct iovec *iov, unsigned n, void *kept);
/* A round of k's ioctl with in_size bytes in: when they are what its last
 * retry asked for, the regions (iov, in the order their bytes come in the
 * round's input; their total size) and their number, and the call kept
 * with them is handed over in *kept (NULL if none); else 0. */
unsigned cuse_asked_map(struct cuse_asked *a, const struct cuse_asked_key *k,
                        size_t in_size, struct iovec *iov, size_t *size,
                        void **kept);

#endif
