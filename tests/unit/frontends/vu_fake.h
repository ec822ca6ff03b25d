/* SPDX-License-Identifier: MIT */
/*
 * A fake vhost-user front end for the unit tests: what QEMU and the guest's
 * i2c-virtio driver do, in one process. Guest memory is a memfd shared with
 * the daemon over a real unix socket; the ring (4 entries, as QEMU 7.2's)
 * is filled the way Linux does, one indirect table per request; kicks and
 * calls are eventfds. The daemon runs on the bench's loop, pumped by hand.
 */
#ifndef I2CEMU_TESTS_VU_FAKE_H
#define I2CEMU_TESTS_VU_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "rig.h"

#define VU_FAKE_MEM   0x20000u     /* bytes of guest memory */
#define VU_FAKE_GPA   0x40000000u  /* its guest physical address */
#define VU_FAKE_QVA   0x7f0000000000ull /* and its address in "QEMU" */
#define VU_FAKE_NUM   4            /* ring entries */
/* Where things are, as offsets into guest memory. */
#define VU_FAKE_DESC  0x0000u
#define VU_FAKE_AVAIL 0x0100u
#define VU_FAKE_USED  0x0200u
#define VU_FAKE_HEAP  0x1000u      /* tables, headers, buffers */

/* vhost-user message numbers the tests send. */
enum {
    VU_GET_FEATURES = 1, VU_SET_FEATURES = 2, VU_SET_OWNER = 3,
    VU_RESET_OWNER = 4,
    VU_SET_MEM_TABLE = 5, VU_SET_LOG_BASE = 6, VU_SET_VRING_NUM = 8,
    VU_SET_VRING_ADDR = 9, VU_SET_VRING_BASE = 10, VU_GET_VRING_BASE = 11,
    VU_SET_VRING_KICK = 12, VU_SET_VRING_CALL = 13, VU_SET_VRING_ERR = 14,
    VU_GET_PROTOCOL_FEATURES = 15, VU_SET_PROTOCOL_FEATURES = 16,
    VU_GET_QUEUE_NUM = 17, VU_SET_VRING_ENABLE = 18,
    VU_GET_MAX_MEM_SLOTS = 36,
};
#define VU_NEED_REPLY (1u << 3)

struct vu_fake {
    struct bench *bench;
    char dir[64], path[96];
    int sock;            /* our end of the connection; -1: none */
    int memfd, kick, call;
    uint8_t *mem;
    uint32_t heap;       /* next free byte */
    uint16_t avail_idx, used_seen;
    /* used_event = entries seen + event_skip: 0 asks for a call at the
     * next used entry (as Linux does), more for a later one. */
    uint16_t event_skip;
};

/* One I2C message as the guest driver queues it. */
struct vu_fake_req {
    uint16_t addr;       /* 7-bit */
    bool rd, fail_next;
    uint16_t len;
    const uint8_t *wdata; /* for a write */
    /* Filled in by vu_fake_queue: where the read data and status are. */
    uint32_t buf, status;
};

/* Board on `bench` (its bus 1 is served); listen, connect. */
void vu_fake_init(struct vu_fake *f, struct bench *bench);
void vu_fake_fini(struct vu_fake *f);
/* Run the daemon's loop until nothing is ready. */
void vu_fake_pump(struct vu_fake *f);
/* Connect (again) to the daemon's socket. */
void vu_fake_connect(struct vu_fake *f);
void vu_fake_disconnect(struct vu_fake *f);

/* Send a message with `nfds` fds; returns the reply's u64 when `reply`
 * (the test fails if none comes), else 0. */
uint64_t vu_fake_msg(struct vu_fake *f, uint32_t req, uint32_t flags,
                     const void *payload, uint32_t size, const int *fds,
                     unsigned nfds, bool reply);
/* The whole set-up, as QEMU 7.2 does it; negotiates `features`. */
void vu_fake_setup(struct vu_fake *f, uint64_t features);

/* Room in guest memory; returns its offset. */
uint32_t vu_fake_alloc(struct vu_fake *f, uint32_t len);
/* Write descriptor i of the table at offset `table`. */
void vu_fake_desc(struct vu_fake *f, uint32_t table, unsigned i, uint64_t gpa,
                  uint32_t len, uint16_t flags, uint16_t next);
/* Make descriptor `head` of the ring available (without kicking). */
void vu_fake_avail(struct vu_fake *f, uint16_t head);
/* Queue n requests the way Linux does (one indirect table each) and
 * kick; then pump. Returns the number of requests the device returned. */
unsigned vu_fake_transfer(struct vu_fake *f, struct vu_fake_req *r,
                          unsigned n);
void vu_fake_kick(struct vu_fake *f);
/* Entries returned on the used ring since the last call. */
unsigned vu_fake_used(struct vu_fake *f);
/* Whether the device signalled the call eventfd (and clear it). */
bool vu_fake_called(struct vu_fake *f);

#define VU_F_ALL ((1ull << 0) | (1ull << 28) | (1ull << 29) | (1ull << 30) | \
                  (1ull << 32))
#define VRING_DESC_F_NEXT     1
#define VRING_DESC_F_WRITE    2
#define VRING_DESC_F_INDIRECT 4

#endif
