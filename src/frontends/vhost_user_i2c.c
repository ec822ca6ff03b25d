// SPDX-License-Identifier: MIT
/*
 * virtio-i2c requests (virtio 1.2, section 5.19) turned into transfers on
 * the bus. A request is one I2C message:
 *
 *   struct virtio_i2c_out_hdr { le16 addr; le16 padding; le32 flags; }
 *                                               device-readable
 *   u8 buf[]                   the data: readable to write, writable to read
 *   struct virtio_i2c_in_hdr { u8 status; }     device-writable, 0 OK 1 ERR
 *
 * addr is the 7-bit address shifted left by one. FAIL_NEXT (flags bit 0)
 * says the next request belongs to the same transfer, so the requests up
 * to one without it are one transfer with repeated STARTs. The group ends
 * also where the ring runs dry: QEMU 7.2's queue has 4 entries, and the
 * guest driver then sends the first 4 messages of a longer transfer, the
 * 4th still with FAIL_NEXT; no terminator will come.
 *
 * The status is OK for each message before the first one that failed and
 * ERR from there on: the guest driver counts the leading OKs. No errno
 * crosses; the guest's i2c-core decides what its callers see.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontends/vhost_user_priv.h"

#define VIRTIO_I2C_FLAGS_FAIL_NEXT 1u
#define VIRTIO_I2C_FLAGS_M_RD      2u
#define VIRTIO_I2C_MSG_OK  0
#define VIRTIO_I2C_MSG_ERR 1

#define OUT_HDR_LEN 8

static void run_groups(struct vu_i2c_queue *q);

static void run_later(struct i2cemu_timer *t)
{
    struct vu_i2c_queue *q = t->opaque;

    q->popped = 0;
    run_groups(q);
}

void vu_i2c_queue_init(struct vu_i2c_queue *q, struct i2cemu_board *b,
                       unsigned bus, const char *who)
{
    *q = (struct vu_i2c_queue){ .board = b, .bus = bus, .who = who,
                                .call_fd = -1 };
    i2cemu_timer_init(&q->later, run_later, q);
}

/* Copy n bytes from offset `off` of the chain's readable buffers. */
static bool gather(const struct vu_chain *c, uint64_t off, uint8_t *dst,
                   uint64_t n)
{
    for (unsigned i = 0; i < c->nseg && n; i++) {
        const struct vu_seg *s = &c->seg[i];
        uint64_t k;

        if (s->wr)
            break;
        if (off >= s->len) {
            off -= s->len;
            continue;
        }
        k = s->len - off < n ? s->len - off : n;
        memcpy(dst, s->p + off, k);
        dst += k;
        n -= k;
        off = 0;
    }
    return n == 0;
}

/*
 * Decode chain c into request r and message m (whose buffer it allocates).
 * r->status is found whenever the chain ends in a writable byte of guest
 * memory, so that even a bad request is answered ERR.
 */
static void decode(struct vu_i2c_queue *q, const struct vu_chain *c,
                   struct vu_i2c_req *r, struct i2c_msg *m)
{
    const struct vu_seg *last = c->nseg ? &c->seg[c->nseg - 1] : NULL;
    uint64_t rlen = 0, wlen = 0, len;
    uint8_t hdr[OUT_HDR_LEN];
    uint16_t addr;
    uint32_t flags;

    *r = (struct vu_i2c_req){ .head = c->head };
    *m = (struct i2c_msg){ 0 };
    if (last && last->wr && last->p && last->len)
        r->status = last->p + last->len - 1;
    if (c->bad || !r->status)
        goto bad;
    for (unsigned i = 0; i < c->nseg; i++)
        *(c->seg[i].wr ? &wlen : &rlen) += c->seg[i].len;
    if (!gather(c, 0, hdr, OUT_HDR_LEN))
        goto bad;
    memcpy(&addr, hdr, 2);
    memcpy(&flags, hdr + 4, 4);
    addr = le16toh(addr);
    flags = le32toh(flags);
    r->fail_next = flags & VIRTIO_I2C_FLAGS_FAIL_NEXT;
    /* No 10-bit addresses and no other flags in this version. */
    if ((addr >> 1) > 0x7f || (flags & ~3u))
        goto bad;
    wlen -= 1; /* the status byte */
    len = (flags & VIRTIO_I2C_FLAGS_M_RD) ? wlen : rlen - OUT_HDR_LEN;
    /* A read has nothing readable after the header; a write nothing
     * writable before the status. */
    if (len > VU_MSG_MAX || rlen - OUT_HDR_LEN + wlen != len)
        goto bad;
    m->addr = addr >> 1;
    m->len = (uint16_t)len;
    m->buf = malloc(len ? len : 1);
    if (!m->buf)
        goto bad;
    if (flags & VIRTIO_I2C_FLAGS_M_RD) {
        m->flags = I2C_M_RD;
        for (unsigned i = 0; i < c->nseg; i++)
            if (c->seg[i].wr)
                r->rd[r->nrd++] = c->seg[i];
    } else {
        gather(c, OUT_HDR_LEN, m->buf, len);
    }
    r->ok = true;
    return;
bad:
    fprintf(stderr, "i2cemu: vhost-user %s: malformed request (descriptor "
            "%u): answered ERR\n", q->who, c->head);
}

/* Copy a read message's bytes to its writable buffers (the status byte
 * is the last byte of the last one). */
static void scatter(const struct vu_i2c_req *r, const struct i2c_msg *m)
{
    uint32_t done = 0;

    for (unsigned i = 0; i < r->nrd && done < m->len; i++) {
        uint32_t k = r->rd[i].len < m->len - done ? r->rd[i].len
                                                  : m->len - done;
        memcpy(r->rd[i].p, m->buf + done, k);
        done += k;
    }
}

static void notify(struct vu_i2c_queue *q)
{
    uint64_t one = 1;

    if (vu_vring_need_notify(&q->ring) && q->call_fd >= 0 &&
        write(q->call_fd, &one, sizeof one) < 0)
        fprintf(stderr, "i2cemu: vhost-user %s: cannot notify the guest\n",
                q->who);
}

/* Answer the group: `nok` leading messages succeeded. */
static void answer(struct vu_i2c_queue *q, unsigned nok)
{
    for (unsigned i = 0; i < q->n; i++) {
        struct vu_i2c_req *r = &q->req[i];
        struct i2c_msg *m = &q->msgs[i];
        uint32_t len = 0;

        if (r->status) {
            bool ok = i < nok;
            if (ok && (m->flags & I2C_M_RD)) {
                scatter(r, m);
                len = m->len;
            }
            *r->status = ok ? VIRTIO_I2C_MSG_OK : VIRTIO_I2C_MSG_ERR;
            len++;
        }
        vu_vring_push(&q->ring, r->head, len);
        free(m->buf);
    }
    q->n = 0;
}

static void transfer_done(struct i2cemu_transfer *t)
{
    struct vu_i2c_queue *q = t->opaque;

    /* On failure the master stopped in message t->msg: those before it
     * went through. */
    answer(q, t->result >= 0 ? q->n : t->msg < q->n ? t->msg : 0);
    q->busy = false;
    if (q->submitting) {
        q->completed = true;
        return;
    }
    notify(q);
    run_groups(q);
}

/* Pop the next group: requests up to one without FAIL_NEXT, or as many as
 * are available. Returns false when the ring has none. */
static bool pop_group(struct vu_i2c_queue *q, bool *valid)
{
    struct vu_chain c;

    q->n = 0;
    *valid = true;
    while (q->n < VU_GROUP_MAX && vu_vring_pop(&q->ring, &c, q->who) == 1) {
        struct vu_i2c_req *r = &q->req[q->n];

        q->popped++;
        decode(q, &c, r, &q->msgs[q->n]);
        q->n++;
        /* One bad request fails its whole transfer, as a kernel adapter
         * refuses a bad message list before it starts. */
        if (!r->ok)
            *valid = false;
        if (!r->ok || !r->fail_next)
            break;
    }
    return q->n > 0;
}

static void run_groups(struct vu_i2c_queue *q)
{
    bool valid;

    while (q->ready && !q->busy) {
        if (q->popped >= q->ring.num) {
            i2cemu_loop_defer(i2cemu_board_loop(q->board), &q->later);
            return;
        }
        if (!pop_group(q, &valid)) {
            /* Nothing left: ask for a kick, and look once more. */
            if (q->ring.broken || !vu_vring_arm_kick(&q->ring))
                break;
            continue;
        }
        if (!valid) {
            answer(q, 0);
            notify(q);
            continue;
        }
        q->busy = true;
        q->submitting = true;
        q->completed = false;
        q->t = (struct i2cemu_transfer){ .msgs = q->msgs, .nmsgs = q->n,
                                         .done = transfer_done, .opaque = q };
        i2cemu_transfer_submit(q->board, q->bus, &q->t);
        q->submitting = false;
        if (q->completed)
            notify(q);
    }
}

void vu_i2c_queue_kick(struct vu_i2c_queue *q)
{
    if (q->later.armed)
        return; /* a turn is coming */
    q->popped = 0;
    run_groups(q);
}

void vu_i2c_queue_stop(struct vu_i2c_queue *q)
{
    q->ready = false;
    i2cemu_timer_stop(i2cemu_board_loop(q->board), &q->later);
    if (q->busy) {
        i2cemu_transfer_abort(&q->t); /* done runs: ERR for the rest */
        notify(q);
    }
}
