// SPDX-License-Identifier: MIT
/*
 * The CUSE frontend (docs/cuse.md): one character device per bus, each
 * read by a thread of its own (cuse_reader.c) that runs each request with
 * the board's engine entered; a transfer that completes later is answered
 * from the loop's thread. The reader parses and answers read, write and
 * ioctl messages itself (cuse_wire.c), libfuse the rest: opening and
 * closing, here too. Like every frontend it only moves bytes; the i2c-dev
 * layer decides every result.
 *
 * The i2c-dev ioctl numbers carry no size or direction, so CUSE runs in
 * unrestricted-ioctl mode: the daemon names the client memory it needs and
 * the kernel retries the ioctl with those bytes, copying them in (EFAULT,
 * if it cannot, is the kernel's) and copying the reply out. The kernel
 * resends every region asked for so far, in order; the call that asked is
 * kept with the list (cuse_asked.h), so the next round continues its
 * decoding, or runs a request decoded already that only waited for its
 * output regions. Without it (a round of a thread forgotten), replaying
 * the layer's NEED sequence over those bytes tells which is which. Each
 * retry asks for every region of the layer's NEED at once and declares
 * the output regions known so far, so the round after the last fetch can
 * run the transfer; the transfer runs in the last round only, so its side
 * effects happen once and an unwritable output fails with EFAULT
 * afterwards, as in the kernel.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/i2c-dev.h>

#include <i2cemu/i2cdev.h>
#include <i2cemu/loop.h>

#include "frontends/cuse_priv.h"
#include "core/hot.h"

/* The client memory the kernel copied into this round, region by region,
 * as asked for in the previous rounds: iov[i]'s bytes follow iov[i - 1]'s
 * in `in`. */
struct fetched {
    struct i2cemu_umem umem;
    unsigned n;
    size_t size;
    const uint8_t *in;
    struct iovec iov[CUSE_MAX_REGIONS];
};

I2CEMU_HOT
static int fetched_read(struct i2cemu_umem *um, uint64_t addr, void *dst,
                        size_t len)
{
    struct fetched *m = (struct fetched *)um;
    const uint8_t *data = m->in;

    for (unsigned i = 0; i < m->n; i++) {
        uint64_t base = (uintptr_t)m->iov[i].iov_base;
        size_t size = m->iov[i].iov_len;

        if (addr >= base && addr - base <= size &&
            len <= size - (addr - base)) {
            memcpy(dst, data + (addr - base), len);
            return 0;
        }
        data += size;
    }
    return -EAGAIN;
}

/* The file a message is for: node_open() made fh its cuse_file. */
static struct i2cemu_i2cdev_file *file_of(const struct cuse_in *in)
{
    return (struct i2cemu_i2cdev_file *)(uintptr_t)in->fh;
}

I2CEMU_HOT
static struct cuse_call *call_new(struct cuse_node *node,
                                  const struct cuse_in *in,
                                  enum i2cemu_i2cdev_op op)
{
    struct cuse_frontend *cf = node->cf;
    /* Not calloc: the request's own storage is a few KiB that need no
     * clearing, and this runs for every ioctl round. */
    struct cuse_call *c = cf->spare;

    if (c)
        cf->spare = c->next;
    else if (!(c = malloc(sizeof(*c)))) {
        cuse_wire_err(node, in->unique, ENOMEM);
        return NULL;
    }
    c->node = node;
    c->in = *in;
    c->submitting = c->replied = c->decoded = false;
    c->pprev = NULL;
    c->next = NULL;
    i2cemu_i2cdev_req_init(&c->r, op);
    return c;
}

I2CEMU_HOT
void cuse_call_free(struct cuse_call *c)
{
    if (c->pprev) {
        *c->pprev = c->next;
        if (c->next)
            c->next->pprev = c->pprev;
    }
    i2cemu_i2cdev_req_release(&c->r);
    c->next = c->node->cf->spare;
    c->node->cf->spare = c;
}

I2CEMU_HOT
static void reply(struct cuse_call *c)
{
    const struct i2cemu_i2cdev_req *r = &c->r;

    if (r->result < 0) {
        cuse_wire_err(c->node, c->in.unique, -r->result);
        return;
    }
    switch (r->op) {
    case I2CEMU_I2CDEV_OP_READ:
        cuse_wire_data(c->node, c->in.unique,
                       r->nout ? r->out[0].data : NULL, (size_t)r->result);
        break;
    case I2CEMU_I2CDEV_OP_WRITE:
        cuse_wire_written(c->node, c->in.unique, (size_t)r->result);
        break;
    case I2CEMU_I2CDEV_OP_IOCTL:
        cuse_wire_ioctl(c->node, c->in.unique, r->result, r->out, r->nout);
        break;
    }
}

I2CEMU_HOT
static void call_done(struct i2cemu_i2cdev_req *r)
{
    struct cuse_call *c = r->opaque;

    reply(c);
    c->replied = true;
    if (!c->submitting)
        cuse_call_free(c);
}

/* True when thread `tid` has SIGKILL pending: it is exiting. */
static bool caller_dying(pid_t tid)
{
    char path[64], line[128];
    unsigned long long pending = 0, mask;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
    if (!(f = fopen(path, "r")))
        return true; /* already gone */
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "SigPnd: %llx", &mask) == 1 ||
            sscanf(line, "ShdPnd: %llx", &mask) == 1)
            pending |= mask;
    fclose(f);
    return pending & (1ULL << (SIGKILL - 1));
}

/* FUSE interrupts a request when its caller gets a signal. The kernel's
 * i2c transfers run to the end whatever the signal, and so do ours, unless
 * the caller is exiting: then there is nobody to wait for, so free the bus
 * now. */
void cuse_interrupt(struct cuse_node *node, uint64_t unique)
{
    for (struct cuse_call *c = node->cf->calls; c; c = c->next)
        if (c->node == node && c->in.unique == unique) {
            if (caller_dying(c->in.tid))
                i2cemu_i2cdev_cancel(&c->r);
            return;
        }
}

I2CEMU_HOT
static void call_submit(struct cuse_call *c, struct i2cemu_i2cdev_file *f)
{
    struct cuse_frontend *cf = c->node->cf;

    c->r.opaque = c;
    c->next = cf->calls;
    if (c->next)
        c->next->pprev = &c->next;
    c->pprev = &cf->calls;
    cf->calls = c;

    /* The transfer may complete before submit returns. */
    c->submitting = true;
    i2cemu_i2cdev_submit(f, &c->r, call_done);
    c->submitting = false;
    if (c->replied)
        cuse_call_free(c);
}

static void node_open(fuse_req_t req, struct fuse_file_info *fi)
{
    struct cuse_node *node = fuse_req_userdata(req);
    struct cuse_frontend *cf = node->cf;
    struct cuse_file *f = malloc(sizeof(*f));
    int r = f ? i2cemu_i2cdev_open(&f->f, cf->board, node->number, fi->flags)
              : -ENOMEM;

    if (r < 0) {
        free(f);
        fuse_reply_err(req, -r);
        return;
    }
    f->f.pid = fuse_req_ctx(req)->pid; /* for traces */
    f->next = cf->files;
    if (f->next)
        f->next->pprev = &f->next;
    f->pprev = &cf->files;
    cf->files = f;
    fi->fh = (uintptr_t)f;
    fuse_reply_open(req, fi);
}

void cuse_file_free(struct cuse_file *f)
{
    *f->pprev = f->next;
    if (f->next)
        f->next->pprev = f->pprev;
    free(f);
}

static void node_release(fuse_req_t req, struct fuse_file_info *fi)
{
    /* No request of this file is in flight: each holds the file open. */
    cuse_file_free((struct cuse_file *)(uintptr_t)fi->fh);
    fuse_reply_err(req, 0);
}

/* read() and write() on the node; i2c-dev ignores the file position. */
void cuse_rw(struct cuse_node *node, const struct cuse_in *in,
             enum i2cemu_i2cdev_op op, size_t size, const uint8_t *buf)
{
    struct cuse_call *c = call_new(node, in, op);
    struct fetched none;

    if (!c)
        return;
    none.umem.read = fetched_read;
    none.n = 0;
    none.in = NULL;
    /* FUSE has copied the whole write buffer; the layer takes what the
     * kernel would (at most 8192 bytes) before prepare returns. */
    c->r.count = size;
    c->r.wbuf = buf;
    if (i2cemu_i2cdev_prepare(file_of(in), &c->r, &none.umem) == I2CEMU_I2CDEV_SUBMIT) {
        c->r.wbuf = NULL;
        call_submit(c, file_of(in));
        return;
    }
    reply(c);
    cuse_call_free(c);
}

/* The output regions' total size. */
static size_t out_total(const struct i2cemu_i2cdev_req *r)
{
    size_t total = 0;

    for (unsigned i = 0; i < r->nout; i++)
        total += r->out[i].len;
    return total;
}

/* Retry `c`'s ioctl, asking for in[0..nin) and declaring its outputs
 * known so far (or none, when they do not fit), and keep it for the next
 * round. */
I2CEMU_HOT
static void retry(struct cuse_node *node, const struct cuse_asked_key *key,
                  struct cuse_call *c, const struct iovec *in, unsigned nin)
{
    struct cuse_call *old;

    cuse_wire_retry(node, c->in.unique, in, nin, c->r.out,
                    out_total(&c->r) <= node->cf->ioctl_max ? c->r.nout : 0);
    /* A round with nothing in cannot be told from a new ioctl. */
    old = nin ? cuse_asked_set(&node->asked, key, in, nin, c) : c;
    if (old)
        cuse_call_free(old);
}

I2CEMU_HOT
void cuse_ioctl(struct cuse_node *node, const struct cuse_in *in,
                unsigned cmd, uint64_t arg, unsigned flags,
                const void *in_buf, size_t in_size, size_t out_size)
{
    const struct cuse_asked_key key = { in->tid, in->fh, arg, (int)cmd };
    struct cuse_call *c = NULL;
    /* Not cleared: only m.iov[0..n) is ever read. */
    struct fetched m;
    size_t total;
    enum i2cemu_i2cdev_status st;

    m.umem.read = fetched_read;
    m.n = 0;
    m.size = 0;
    m.in = in_buf;
    /* A retry brings back what the last one asked for, and its call. */
    if (in_size) {
        void *kept = NULL;

        m.n = cuse_asked_map(&node->asked, &key, in_size, m.iov, &m.size,
                             &kept);
        if ((c = kept))
            c->in = *in;
    }
    if (!c) {
        if (!(c = call_new(node, in, I2CEMU_I2CDEV_OP_IOCTL)))
            return;
        c->r.cmd = cmd;
        c->r.arg = arg;
        c->r.compat = flags & FUSE_IOCTL_COMPAT;
    }

    /* Decoded in an earlier round, which asked for the outputs only. */
    if (c->decoded)
        st = c->st;
    else
        while ((st = i2cemu_i2cdev_prepare(file_of(in), &c->r, &m.umem)) ==
               I2CEMU_I2CDEV_NEED) {
            const struct i2cemu_uregion *needs = c->r.needs;
            unsigned k, nin;
            size_t size;

            /* Without the list of the last retry: the regions fetched in
             * the previous rounds come next in in_buf, as many of needs[]
             * as were asked for. */
            for (k = 0; k < c->r.nneed && needs[k].len <= in_size - m.size;
                 k++) {
                if (m.n == CUSE_MAX_REGIONS) { /* more than any request needs */
                    cuse_wire_err(node, in->unique, EIO);
                    goto out;
                }
                m.iov[m.n++] = (struct iovec){
                    (void *)(uintptr_t)needs[k].addr, needs[k].len };
                m.size += needs[k].len;
            }
            if (k == c->r.nneed)
                continue; /* decode again with them */

            /* Not fetched yet: ask for needs[k..] in one round, as many as
             * the round carries. A valid request fits in one round; the
             * kernel would refuse a bigger retry with ENOMEM anyway. */
            for (nin = m.n, size = m.size;
                 k < c->r.nneed && nin < CUSE_MAX_REGIONS &&
                 needs[k].len <= node->cf->ioctl_max - size;
                 k++, nin++) {
                m.iov[nin] = (struct iovec){
                    (void *)(uintptr_t)needs[k].addr, needs[k].len };
                size += needs[k].len;
            }
            if (nin == m.n) {
                cuse_wire_err(node, in->unique,
                              nin == CUSE_MAX_REGIONS ? EIO : ENOMEM);
                goto out;
            }
            /* With the outputs known so far, so that the round after the
             * last fetch can submit; if they do not fit, the last round
             * declares them (and fails with ENOMEM) once decoding is
             * complete. */
            retry(node, &key, c, m.iov, nin);
            return;
        }

    total = out_total(&c->r);
    if (total != out_size && (st == I2CEMU_I2CDEV_SUBMIT || c->r.result >= 0)) {
        /* Let the kernel prepare the output regions; the next round runs
         * the request as decoded. A failure writes nothing: it needs no
         * output regions. */
        if (total > node->cf->ioctl_max) {
            cuse_wire_err(node, in->unique, ENOMEM);
            goto out;
        }
        c->decoded = true;
        c->st = st;
        retry(node, &key, c, m.iov, m.n);
        return;
    }
    if (st == I2CEMU_I2CDEV_SUBMIT) {
        call_submit(c, file_of(in));
        return;
    }
    reply(c);
out:
    cuse_call_free(c);
}

/* READ, WRITE and IOCTL never reach libfuse (cuse_wire.c). No poll:
 * FUSE then reports always ready, as i2c-dev does. */
const struct cuse_lowlevel_ops cuse_node_ops = {
    .open = node_open,
    .release = node_release,
};
