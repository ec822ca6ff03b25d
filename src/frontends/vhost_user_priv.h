/* SPDX-License-Identifier: MIT */
/*
 * Inside the vhost-user-i2c frontend (docs/vhost-user.md), in three layers
 * that know nothing of each other's files:
 *
 *   vhost_user.c       the socket and the protocol messages
 *   vhost_user_mem.c   the memory table: guest memory mapped here
 *   vhost_user_vring.c one split virtqueue in guest memory: descriptor
 *                      chains (direct and indirect), used ring, event-idx
 *   vhost_user_i2c.c   virtio-i2c requests: decoded, grouped into one
 *                      transfer on the bus, answered OK or ERR
 *
 * Everything the guest wrote is untrusted: every address and length is
 * checked against the memory table before use, and a descriptor is copied
 * once, so that the guest changing it meanwhile changes nothing.
 */
#ifndef I2CEMU_VHOST_USER_PRIV_H
#define I2CEMU_VHOST_USER_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <i2cemu/master.h>

/* ---- guest memory (vhost_user_mem.c) -------------------------------- */

#define VU_MAX_REGIONS 8

struct vu_region {
    uint64_t gpa;  /* guest physical address of the first byte */
    uint64_t size;
    uint64_t qva;  /* the same byte in the front end's address space */
    uint8_t *host; /* and in ours */
    void *map;     /* what to munmap (NULL: not ours, as in tests) */
    size_t map_len;
};

struct vu_mem {
    unsigned n;
    struct vu_region r[VU_MAX_REGIONS];
};

/* Our pointer to [addr, addr + len) when one region holds all of it, by
 * guest physical address (descriptors) or front-end address (rings);
 * else NULL. len may be 0 (an address inside a region). */
uint8_t *vu_mem_gpa(const struct vu_mem *m, uint64_t gpa, uint64_t len);
uint8_t *vu_mem_qva(const struct vu_mem *m, uint64_t qva, uint64_t len);
/* Map `size` bytes at `offset` of fd as a region; false if the numbers
 * overflow, the file is shorter, or mmap fails. */
bool vu_mem_map(struct vu_region *r, uint64_t gpa, uint64_t size,
                uint64_t qva, uint64_t offset, int fd);
void vu_mem_unmap(struct vu_mem *m);

/* ---- the split virtqueue (vhost_user_vring.c) ----------------------- */

/* Buffers of one request: the guest driver uses 2 or 3. */
#define VU_MAX_SEGS 16

struct vu_seg {
    uint8_t *p; /* NULL: outside guest memory */
    uint32_t len;
    bool wr;    /* device-writable */
};

/* One descriptor chain, as popped. */
struct vu_chain {
    uint16_t head;
    unsigned nseg;
    struct vu_seg seg[VU_MAX_SEGS];
    /* The chain is well formed but unusable as it stands: a buffer outside
     * guest memory, more than VU_MAX_SEGS buffers, or a readable buffer
     * after a writable one. The request fails. */
    bool bad;
};

struct vu_vring {
    const struct vu_mem *mem;
    uint16_t num;      /* entries, a power of 2 */
    bool event_idx;    /* VIRTIO_RING_F_EVENT_IDX negotiated */
    bool indirect;     /* VIRTIO_RING_F_INDIRECT_DESC negotiated */
    uint8_t *desc, *avail, *used; /* the three areas, checked, aligned */
    uint16_t last_avail; /* next avail entry to pop */
    uint16_t used_idx;   /* our copy of used->idx */
    uint16_t signalled;  /* used_idx when the guest was last notified */
    bool broken;         /* malformed: ignored until set up again */
};

/* Point the ring at its areas (front-end addresses, as in
 * SET_VRING_ADDR); false, and nothing set, if one is outside guest memory
 * or misaligned. */
bool vu_vring_map(struct vu_vring *q, const struct vu_mem *mem, uint16_t num,
                  uint64_t desc, uint64_t avail, uint64_t used);
/* Pop the next available chain: 1, 0 when there is none, or -1 when the
 * ring is malformed (q->broken is then set and a reason logged). */
int vu_vring_pop(struct vu_vring *q, struct vu_chain *c, const char *who);
/* Return chain `head` with `len` bytes written into its buffers. */
void vu_vring_push(struct vu_vring *q, uint16_t head, uint32_t len);
/* After pushing: whether the guest wants to hear about it now (and, if
 * so, it is taken as told). */
bool vu_vring_need_notify(struct vu_vring *q);
/* Ask for a kick at the next available entry; true if one is there
 * already (check again: it may have come before the request). */
bool vu_vring_arm_kick(struct vu_vring *q);

/* ---- virtio-i2c requests (vhost_user_i2c.c) ------------------------- */

/* At most this many requests make one transfer: I2C_RDWR's own limit. */
#define VU_GROUP_MAX 42
/* Bytes of one message, as i2c-dev allows. */
#define VU_MSG_MAX 8192

struct vu_i2c_req {
    uint16_t head;
    uint8_t *status;   /* the in_hdr's status byte; NULL: nowhere to say */
    bool fail_next;
    bool ok;           /* decoded well */
    unsigned nrd;      /* device-writable data buffers, for a read */
    struct vu_seg rd[VU_MAX_SEGS];
};

struct vu_i2c_queue {
    struct i2cemu_board *board;
    unsigned bus;
    const char *who; /* for log lines: the socket path */
    struct vu_vring ring;
    bool ready;      /* mapped, enabled and kicked: requests may be served */
    int call_fd;     /* eventfd to notify the guest; -1: none */
    /* The group on the bus (one at a time, in ring order). */
    bool busy, submitting, completed;
    /* Work is bounded per loop iteration: a guest that keeps the ring
     * full (or whose reads land on its own avail ring) gets a turn, not
     * the daemon. */
    unsigned popped;
    struct i2cemu_timer later;
    unsigned n;
    struct vu_i2c_req req[VU_GROUP_MAX];
    struct i2c_msg msgs[VU_GROUP_MAX];
    struct i2cemu_transfer t;
};

void vu_i2c_queue_init(struct vu_i2c_queue *q, struct i2cemu_board *b,
                       unsigned bus, const char *who);
/* Serve what the ring holds (after a kick); groups run one after another,
 * and this returns once the rest must wait for the bus. */
void vu_i2c_queue_kick(struct vu_i2c_queue *q);
/* Stop: a group on the bus is cancelled and answered ERR while guest
 * memory is still mapped. No request is served until ready again. */
void vu_i2c_queue_stop(struct vu_i2c_queue *q);

#endif
