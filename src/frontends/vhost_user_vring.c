// SPDX-License-Identifier: MIT
/*
 * One split virtqueue in guest memory (virtio 1.2, section 2.7), as the
 * device side sees it: descriptor chains popped from the available ring,
 * direct or through an indirect table, returned on the used ring, with
 * VIRTIO_RING_F_EVENT_IDX deciding when either side signals the other.
 *
 * Layout, little-endian:
 *   desc[num]  { le64 addr; le32 len; le16 flags; le16 next; }
 *   avail      { le16 flags; le16 idx; le16 ring[num]; le16 used_event; }
 *   used       { le16 flags; le16 idx; { le32 id; le32 len; } ring[num];
 *                le16 avail_event; }
 *
 * The guest may rewrite any of it at any time: each descriptor is copied
 * before it is looked at, indices are range-checked, a chain may not be
 * longer than its table (that bounds a loop), and an indirect table may not
 * point to another.
 */
#include <endian.h>
#include <stdio.h>
#include <string.h>

#include "frontends/vhost_user_priv.h"

#define VRING_DESC_F_NEXT     1
#define VRING_DESC_F_WRITE    2
#define VRING_DESC_F_INDIRECT 4
#define VRING_AVAIL_F_NO_INTERRUPT 1

struct desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};

/* Ring indices are read and written whole: the other side runs at the
 * same time. The areas are aligned (vu_vring_map), so these are too. */
static uint16_t load16(const uint8_t *p)
{
    return le16toh(__atomic_load_n((const uint16_t *)(const void *)p,
                                   __ATOMIC_ACQUIRE));
}

static void store16(uint8_t *p, uint16_t v)
{
    __atomic_store_n((uint16_t *)(void *)p, htole16(v), __ATOMIC_RELEASE);
}

bool vu_vring_map(struct vu_vring *q, const struct vu_mem *mem, uint16_t num,
                  uint64_t desc, uint64_t avail, uint64_t used)
{
    uint8_t *d = vu_mem_qva(mem, desc, 16ull * num);
    uint8_t *a = vu_mem_qva(mem, avail, 6 + 2ull * num);
    uint8_t *u = vu_mem_qva(mem, used, 6 + 8ull * num);

    if (!num || (num & (num - 1)) || !d || !a || !u ||
        ((uintptr_t)d & 15) || ((uintptr_t)a & 1) || ((uintptr_t)u & 3))
        return false;
    q->mem = mem;
    q->num = num;
    q->desc = d;
    q->avail = a;
    q->used = u;
    q->broken = false;
    return true;
}

static int broken(struct vu_vring *q, const char *who, const char *why)
{
    fprintf(stderr, "i2cemu: vhost-user %s: malformed virtqueue (%s): "
            "ignored until it is set up again\n", who, why);
    q->broken = true;
    return -1;
}

static void read_desc(const uint8_t *table, unsigned i, struct desc *d)
{
    struct desc raw;

    memcpy(&raw, table + 16u * i, sizeof raw);
    d->addr = le64toh(raw.addr);
    d->len = le32toh(raw.len);
    d->flags = le16toh(raw.flags);
    d->next = le16toh(raw.next);
}

static void add_seg(struct vu_vring *q, struct vu_chain *c,
                    const struct desc *d)
{
    bool wr = d->flags & VRING_DESC_F_WRITE;

    /* Readable buffers first, then writable ones (2.7.4.2). */
    if (c->nseg && c->seg[c->nseg - 1].wr && !wr)
        c->bad = true;
    /* Too many: the request fails, but its last buffer (where the
     * status goes) is kept. */
    if (c->nseg == VU_MAX_SEGS) {
        c->bad = true;
        c->nseg--;
    }
    c->seg[c->nseg] = (struct vu_seg){
        .p = vu_mem_gpa(q->mem, d->addr, d->len), .len = d->len, .wr = wr };
    if (!c->seg[c->nseg].p)
        c->bad = true;
    c->nseg++;
}

int vu_vring_pop(struct vu_vring *q, struct vu_chain *c, const char *who)
{
    const uint8_t *table = q->desc;
    unsigned size = q->num, count = 0, i;
    uint16_t avail_idx;
    bool indirect = false;
    struct desc d;

    if (q->broken)
        return -1;
    avail_idx = load16(q->avail + 2);
    if (avail_idx == q->last_avail)
        return 0;
    if ((uint16_t)(avail_idx - q->last_avail) > q->num)
        return broken(q, who, "more entries available than the ring holds");
    /* The entry is read after the index that published it (acquire). */
    i = load16(q->avail + 4 + 2u * (q->last_avail % q->num));
    if (i >= q->num)
        return broken(q, who, "head index out of range");
    *c = (struct vu_chain){ .head = (uint16_t)i };
    for (;;) {
        if (++count > size)
            return broken(q, who, "chain longer than its table: a loop");
        read_desc(table, i, &d);
        if (d.flags & VRING_DESC_F_INDIRECT) {
            if (!q->indirect || indirect || (d.flags & VRING_DESC_F_NEXT))
                return broken(q, who, "misplaced indirect descriptor");
            if (d.len == 0 || d.len % 16 || d.len / 16 > 65536)
                return broken(q, who, "bad indirect table size");
            if (!(table = vu_mem_gpa(q->mem, d.addr, d.len)))
                return broken(q, who, "indirect table outside guest memory");
            indirect = true;
            size = d.len / 16;
            count = 0;
            i = 0;
            continue;
        }
        add_seg(q, c, &d);
        if (!(d.flags & VRING_DESC_F_NEXT))
            break;
        i = d.next;
        if (i >= size)
            return broken(q, who, "next index out of range");
    }
    q->last_avail++;
    return 1;
}

void vu_vring_push(struct vu_vring *q, uint16_t head, uint32_t len)
{
    uint8_t *e = q->used + 4 + 8u * (q->used_idx % q->num);
    uint32_t id = htole32(head), l = htole32(len);

    memcpy(e, &id, 4);
    memcpy(e + 4, &l, 4);
    /* The entry is visible before the index that publishes it. */
    store16(q->used + 2, ++q->used_idx);
}

bool vu_vring_need_notify(struct vu_vring *q)
{
    uint16_t old = q->signalled, event;

    /* Our used->idx store must be seen before we read what the guest
     * wants (and the guest does the mirror image). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (old == q->used_idx)
        return false;
    q->signalled = q->used_idx;
    if (!q->event_idx)
        return !(load16(q->avail) & VRING_AVAIL_F_NO_INTERRUPT);
    /* vring_need_event(): used_event in [old, new). */
    event = load16(q->avail + 4 + 2u * q->num);
    return (uint16_t)(q->used_idx - event - 1) < (uint16_t)(q->used_idx - old);
}

bool vu_vring_arm_kick(struct vu_vring *q)
{
    if (q->event_idx)
        store16(q->used + 4 + 8u * q->num, q->last_avail);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return load16(q->avail + 2) != q->last_avail;
}
