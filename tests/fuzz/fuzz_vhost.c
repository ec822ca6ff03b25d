// SPDX-License-Identifier: MIT
/*
 * The vhost-user-i2c frontend's guest-facing decoding: the split
 * virtqueue (descriptor chains, indirect tables, event-idx) and the
 * virtio-i2c requests grouped into transfers on the fuzz board, with guest
 * memory taken from the input. docs/fuzzing.md.
 *
 * Input: one flags byte, then the guest memory image (GUEST_MEM bytes,
 * zero-padded) in two regions:
 *   flags bits 0-2  ring size 2^(n % 5): 1 to 16 entries
 *         bit 3     event-idx          bit 4  indirect descriptors
 *         bit 5     VIRTUAL clock with the bus held: transfers wait
 *         bit 6     stop the queue while a transfer waits
 * The ring is at fixed places: desc at 0x000, avail at 0x100, used at
 * 0x200. Region 0 is the first half at guest address 0x1000, region 1 the
 * second half at 0x9000 (not adjacent: nothing may straddle them).
 */
#include "fuzz_common.h"

#include "frontends/vhost_user_priv.h"

#define GUEST_MEM 4096
#define HALF (GUEST_MEM / 2)
#define DESC  0x000
#define AVAIL 0x100
#define USED  0x200

static uint16_t rd16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin in = { data, size };
    uint8_t flags = fin_u8(&in);
    bool hold = flags & 0x20;
    uint8_t *guest = aligned_alloc(64, GUEST_MEM);
    struct i2cemu_loop *loop;
    struct i2cemu_board *b;
    struct vu_mem mem = { .n = 2 };
    struct vu_i2c_queue q;
    uint16_t num = (uint16_t)(1u << ((flags & 7) % 5)), used0, avail0;

    FUZZ_CHECK(guest, "malloc");
    memset(guest, 0, GUEST_MEM);
    fin_bytes(&in, guest, GUEST_MEM);
    mem.r[0] = (struct vu_region){ .gpa = 0x1000, .size = HALF,
                                   .qva = 0x1000, .host = guest };
    mem.r[1] = (struct vu_region){ .gpa = 0x9000, .size = HALF,
                                   .qva = 0x9000, .host = guest + HALF };

    loop = i2cemu_loop_new(hold ? I2CEMU_CLOCK_VIRTUAL : I2CEMU_CLOCK_FAST);
    b = fuzz_board_new(loop);
    vu_i2c_queue_init(&q, b, (unsigned)i2cemu_bus_find(b, FUZZ_BUS_I2C),
                      "fuzz");
    q.ring.event_idx = flags & 0x08;
    q.ring.indirect = flags & 0x10;
    FUZZ_CHECK(vu_vring_map(&q.ring, &mem, num, 0x1000 + DESC,
                            0x1000 + AVAIL, 0x1000 + USED), "map");
    q.ring.used_idx = q.ring.signalled = used0 = rd16(guest + USED + 2);
    avail0 = q.ring.last_avail;
    if (hold)
        i2cemu_bus_inject_hold(b, q.bus, 1000000);

    q.ready = true;
    vu_i2c_queue_kick(&q);
    if (hold && (flags & 0x40))
        vu_i2c_queue_stop(&q);
    for (int i = 0; i < 8 && (q.busy || q.later.armed); i++) {
        i2cemu_loop_advance(loop, 1000000);
        i2cemu_loop_run_once(loop, false);
    }
    FUZZ_CHECK(!q.busy, "a transfer that never ends");

    /* Every chain popped was answered, once, on the used ring. */
    uint16_t popped = (uint16_t)(q.ring.last_avail - avail0);
    uint16_t used = (uint16_t)(q.ring.used_idx - used0);
    FUZZ_CHECK(used == popped, "%u used for %u popped", used, popped);
    /* The guest's reads may land anywhere in its memory, the used ring
     * too, but the index is written after them. */
    FUZZ_CHECK(used == 0 || q.ring.used_idx == rd16(guest + USED + 2),
               "used idx");
    vu_i2c_queue_stop(&q);

    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
    free(guest);
    return 0;
}
