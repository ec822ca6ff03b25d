/* SPDX-License-Identifier: MIT */
/* The vhost-user-i2c frontend driven by a fake front end (vu_fake.h), with
 * no QEMU: the set-up QEMU 7.2 sends, reads and writes through the ring,
 * transfers of several messages, an absent address, malformed rings and
 * requests, and a front end that goes away and comes back. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "vu_fake.h"

#define OK  0
#define ERR 1

struct t {
    struct bench bench;
    struct vu_fake f;
};

static int setup_mode(void **state, enum i2cemu_clock_mode mode)
{
    struct t *t = calloc(1, sizeof(*t));

    bench_init(&t->bench, mode);
    bench_add(&t->bench, "lm75,addr=0x48,bus=1");
    bench_add(&t->bench, "24c02,addr=0x50,bus=1");
    vu_fake_init(&t->f, &t->bench);
    vu_fake_setup(&t->f, VU_F_ALL);
    *state = t;
    return 0;
}

static int setup(void **state)
{
    return setup_mode(state, I2CEMU_CLOCK_FAST);
}

static int setup_virtual(void **state)
{
    return setup_mode(state, I2CEMU_CLOCK_VIRTUAL);
}

static int teardown(void **state)
{
    struct t *t = *state;

    vu_fake_fini(&t->f);
    bench_fini(&t->bench);
    free(t);
    return 0;
}

/* Register reg of the lm75: [W 48: reg] [R 48: 2], one transfer. */
static unsigned read_reg(struct vu_fake *f, uint8_t reg,
                         struct vu_fake_req r[2])
{
    r[0] = (struct vu_fake_req){ .addr = 0x48, .fail_next = true, .len = 1,
                                 .wdata = &reg };
    r[1] = (struct vu_fake_req){ .addr = 0x48, .rd = true, .len = 2 };
    return vu_fake_transfer(f, r, 2);
}

static void test_read(void **state)
{
    struct t *t = *state;
    struct vu_fake_req r[2];

    bench_trace_on(&t->bench);
    assert_int_equal(read_reg(&t->f, 0, r), 2);
    assert_int_equal(t->f.mem[r[0].status], OK);
    assert_int_equal(t->f.mem[r[1].status], OK);
    assert_bytes(t->f.mem + r[1].buf, 0x19, 0x00); /* 25.0 °C */
    /* One transfer: a repeated START, not a STOP between. */
    assert_string_equal(bench_trace(&t->bench),
                        "S 48 W A 00 A Sr 48 R A 19 A 00 N P\n");
    assert_true(vu_fake_called(&t->f));
    /* avail_event: the device wants a kick for the next entry. */
    assert_int_equal(t->f.mem[VU_FAKE_USED + 4 + 8 * VU_FAKE_NUM], 2);
}

/* event-idx: a call only when the guest's used_event asks for one. */
static void test_event_idx_call(void **state)
{
    struct t *t = *state;
    struct vu_fake *f = &t->f;
    struct vu_fake_req r[2];

    assert_int_equal(read_reg(f, 0, r), 2);
    assert_true(vu_fake_called(f));
    /* "Call me after entry 3 more": the 2 entries of this one do not. */
    f->event_skip = 3;
    assert_int_equal(read_reg(f, 0, r), 2);
    assert_false(vu_fake_called(f));
    f->event_skip = 1; /* the second entry crosses it */
    assert_int_equal(read_reg(f, 0, r), 2);
    assert_true(vu_fake_called(f));
}

static void test_write_then_read_back(void **state)
{
    struct t *t = *state;
    const uint8_t w[] = { 0x10, 0xab, 0xcd }, at[] = { 0x10 };
    struct vu_fake_req r[2] = {
        { .addr = 0x50, .len = 3, .wdata = w },
    };

    assert_int_equal(vu_fake_transfer(&t->f, r, 1), 1);
    assert_int_equal(t->f.mem[r[0].status], OK);
    r[0] = (struct vu_fake_req){ .addr = 0x50, .fail_next = true, .len = 1,
                                 .wdata = at };
    r[1] = (struct vu_fake_req){ .addr = 0x50, .rd = true, .len = 2 };
    assert_int_equal(vu_fake_transfer(&t->f, r, 2), 2);
    assert_int_equal(t->f.mem[r[1].status], OK);
    assert_bytes(t->f.mem + r[1].buf, 0xab, 0xcd);
}

/* A zero-length write (i2cdetect's quick write): present and absent. */
static void test_quick_and_absent(void **state)
{
    struct t *t = *state;
    struct vu_fake_req r[1] = { { .addr = 0x48 } };

    assert_int_equal(vu_fake_transfer(&t->f, r, 1), 1);
    assert_int_equal(t->f.mem[r[0].status], OK);
    r[0] = (struct vu_fake_req){ .addr = 0x33 };
    assert_int_equal(vu_fake_transfer(&t->f, r, 1), 1);
    assert_int_equal(t->f.mem[r[0].status], ERR);
}

/* OK for the messages before the failure, ERR from there on; a read that
 * failed leaves its buffer alone. */
static void test_leading_ok_count(void **state)
{
    struct t *t = *state;
    const uint8_t reg[] = { 0 };
    struct vu_fake_req r[3] = {
        { .addr = 0x48, .fail_next = true, .len = 1, .wdata = reg },
        { .addr = 0x33, .rd = true, .fail_next = true, .len = 2 },
        { .addr = 0x48, .rd = true, .len = 2 },
    };

    assert_int_equal(vu_fake_transfer(&t->f, r, 3), 3);
    assert_int_equal(t->f.mem[r[0].status], OK);
    assert_int_equal(t->f.mem[r[1].status], ERR);
    assert_int_equal(t->f.mem[r[2].status], ERR);
    assert_bytes(t->f.mem + r[1].buf, 0xee, 0xee);
}

/* QEMU 7.2's 4-entry queue: the guest sends the first 4 messages of a
 * longer transfer, the 4th still with FAIL_NEXT. They run at once, as one
 * transfer. */
static void test_group_without_terminator(void **state)
{
    struct t *t = *state;
    const uint8_t reg[] = { 0 };
    struct vu_fake_req r[4];

    for (unsigned i = 0; i < 4; i++)
        r[i] = (struct vu_fake_req){ .addr = 0x48, .fail_next = true,
                                     .rd = i % 2, .len = i % 2 ? 2 : 1,
                                     .wdata = reg };
    bench_trace_on(&t->bench);
    assert_int_equal(vu_fake_transfer(&t->f, r, 4), 4);
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(t->f.mem[r[i].status], OK);
    assert_string_equal(bench_trace(&t->bench),
                        "S 48 W A 00 A Sr 48 R A 19 A 00 N "
                        "Sr 48 W A 00 A Sr 48 R A 19 A 00 N P\n");
}

/* Two transfers queued at one kick stay two transfers. */
static void test_two_groups_one_kick(void **state)
{
    struct t *t = *state;
    const uint8_t reg[] = { 0 };
    struct vu_fake_req r[3] = {
        { .addr = 0x48, .len = 1, .wdata = reg },
        { .addr = 0x48, .fail_next = true, .len = 1, .wdata = reg },
        { .addr = 0x48, .rd = true, .len = 2 },
    };

    bench_trace_on(&t->bench);
    assert_int_equal(vu_fake_transfer(&t->f, r, 3), 3);
    assert_string_equal(bench_trace(&t->bench),
                        "S 48 W A 00 A P\n"
                        "S 48 W A 00 A Sr 48 R A 19 A 00 N P\n");
}

/* A request the way Linux does it, but with descriptor `bad` (0: the
 * header, 1: the buffer) pointing at gpa/len. Returns the status byte. */
static uint8_t request_with(struct vu_fake *f, unsigned bad, uint64_t gpa,
                            uint32_t len)
{
    uint32_t table = vu_fake_alloc(f, 48), hdr = vu_fake_alloc(f, 8);
    uint32_t buf = vu_fake_alloc(f, 2), st = vu_fake_alloc(f, 1);
    uint16_t flags = VRING_DESC_F_NEXT | VRING_DESC_F_WRITE;

    memset(f->mem + hdr, 0, 8);
    f->mem[hdr] = 0x48 << 1;
    f->mem[hdr + 4] = 2; /* M_RD */
    f->mem[st] = 0xee;
    vu_fake_desc(f, table, 0, bad == 0 ? gpa : VU_FAKE_GPA + hdr,
                 bad == 0 ? len : 8, VRING_DESC_F_NEXT, 1);
    vu_fake_desc(f, table, 1, bad == 1 ? gpa : VU_FAKE_GPA + buf,
                 bad == 1 ? len : 2, flags, 2);
    vu_fake_desc(f, table, 2, VU_FAKE_GPA + st, 1, VRING_DESC_F_WRITE, 0);
    vu_fake_desc(f, VU_FAKE_DESC, 0, VU_FAKE_GPA + table, 48,
                 VRING_DESC_F_INDIRECT, 0);
    vu_fake_avail(f, 0);
    vu_fake_kick(f);
    assert_int_equal(vu_fake_used(f), 1);
    return f->mem[st];
}

/* The ring still works: a read of the lm75 succeeds. */
static void assert_serving(struct vu_fake *f)
{
    struct vu_fake_req r[2];

    assert_int_equal(read_reg(f, 0, r), 2);
    assert_int_equal(f->mem[r[1].status], OK);
    assert_bytes(f->mem + r[1].buf, 0x19, 0x00);
}

static void test_bad_buffers_get_err(void **state)
{
    struct t *t = *state;
    struct vu_fake *f = &t->f;

    /* Outside guest memory; straddling its end; a length that wraps. */
    assert_int_equal(request_with(f, 1, 0x1000, 2), ERR);
    assert_int_equal(request_with(f, 1, VU_FAKE_GPA + VU_FAKE_MEM - 1, 2),
                     ERR);
    assert_int_equal(request_with(f, 1, VU_FAKE_GPA + 16, 0xffffffffu), ERR);
    assert_int_equal(request_with(f, 0, UINT64_MAX - 3, 8), ERR);
    /* A header too short; a readable buffer for a read. */
    assert_int_equal(request_with(f, 0, VU_FAKE_GPA + VU_FAKE_HEAP, 4), ERR);
    f->heap = VU_FAKE_HEAP;
    assert_serving(f);
}

static void test_too_many_buffers_get_err(void **state)
{
    struct t *t = *state;
    struct vu_fake *f = &t->f;
    uint32_t table = vu_fake_alloc(f, 16 * 40), hdr = vu_fake_alloc(f, 8);
    uint32_t st = vu_fake_alloc(f, 1);
    unsigned i;

    memset(f->mem + hdr, 0, 8);
    f->mem[hdr] = 0x48 << 1;
    vu_fake_desc(f, table, 0, VU_FAKE_GPA + hdr, 8, VRING_DESC_F_NEXT, 1);
    for (i = 1; i < 39; i++) /* 1-byte pieces of a 38-byte write */
        vu_fake_desc(f, table, i, VU_FAKE_GPA + hdr, 1, VRING_DESC_F_NEXT,
                     (uint16_t)(i + 1));
    vu_fake_desc(f, table, i, VU_FAKE_GPA + st, 1, VRING_DESC_F_WRITE, 0);
    vu_fake_desc(f, VU_FAKE_DESC, 0, VU_FAKE_GPA + table, 16 * 40,
                 VRING_DESC_F_INDIRECT, 0);
    f->mem[st] = 0xee;
    vu_fake_avail(f, 0);
    vu_fake_kick(f);
    assert_int_equal(vu_fake_used(f), 1);
    assert_int_equal(f->mem[st], ERR);
    assert_serving(f);
}

/* A ring that cannot be walked is left alone (nothing returned, nothing
 * crashes) until the front end sets it up again. */
static void assert_broken_then_reset(struct vu_fake *f)
{
    assert_int_equal(vu_fake_used(f), 0);
    vu_fake_kick(f); /* still ignored */
    assert_int_equal(vu_fake_used(f), 0);
    vu_fake_disconnect(f);
    vu_fake_connect(f);
    vu_fake_setup(f, VU_F_ALL);
    assert_serving(f);
}

static void test_descriptor_loop(void **state)
{
    struct t *t = *state;
    struct vu_fake *f = &t->f;

    vu_fake_desc(f, VU_FAKE_DESC, 0, VU_FAKE_GPA, 8, VRING_DESC_F_NEXT, 1);
    vu_fake_desc(f, VU_FAKE_DESC, 1, VU_FAKE_GPA, 1, VRING_DESC_F_NEXT, 0);
    vu_fake_avail(f, 0);
    vu_fake_kick(f);
    assert_broken_then_reset(f);
}

static void test_next_out_of_range(void **state)
{
    struct t *t = *state;
    struct vu_fake *f = &t->f;

    vu_fake_desc(f, VU_FAKE_DESC, 0, VU_FAKE_GPA, 8, VRING_DESC_F_NEXT, 7);
    vu_fake_avail(f, 0);
    vu_fake_kick(f);
    assert_broken_then_reset(f);
}

static void test_head_out_of_range(void **state)
{
    struct t *t = *state;

    vu_fake_avail(&t->f, 9);
    vu_fake_kick(&t->f);
    assert_broken_then_reset(&t->f);
}

static void test_bad_indirect_tables(void **state)
{
    struct t *t = *state;
    struct vu_fake *f = &t->f;
    struct { uint64_t gpa; uint32_t len; uint16_t flags; } cases[] = {
        { 0x1000, 48, VRING_DESC_F_INDIRECT },              /* outside */
        { VU_FAKE_GPA + VU_FAKE_HEAP, 40, VRING_DESC_F_INDIRECT }, /* size */
        { VU_FAKE_GPA + VU_FAKE_HEAP, 0, VRING_DESC_F_INDIRECT },
        { VU_FAKE_GPA + VU_FAKE_HEAP, 48,
          VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT },
    };

    for (unsigned i = 0; i < 4; i++) {
        vu_fake_desc(f, VU_FAKE_DESC, 0, cases[i].gpa, cases[i].len,
                     cases[i].flags, 1);
        vu_fake_avail(f, 0);
        vu_fake_kick(f);
        assert_broken_then_reset(f);
    }
    /* An indirect table that points to another. */
    vu_fake_desc(f, VU_FAKE_HEAP, 0, VU_FAKE_GPA + VU_FAKE_HEAP, 16,
                 VRING_DESC_F_INDIRECT, 0);
    vu_fake_desc(f, VU_FAKE_DESC, 0, VU_FAKE_GPA + VU_FAKE_HEAP, 16,
                 VRING_DESC_F_INDIRECT, 0);
    vu_fake_avail(f, 0);
    vu_fake_kick(f);
    assert_broken_then_reset(f);
}

/* A front end that goes away mid-transfer: the transfer is cancelled and
 * answered ERR, and the next front end is served. */
static void test_disconnect_mid_transfer(void **state)
{
    struct t *t = *state;
    struct vu_fake *f = &t->f;
    struct vu_fake_req r[1] = { { .addr = 0x48, .rd = true, .len = 2 } };
    unsigned bus = bench_bus(&t->bench, 1);

    i2cemu_bus_inject_hold(t->bench.b, bus, 5 * MS);
    assert_int_equal(vu_fake_transfer(f, r, 1), 0); /* waiting */
    assert_int_equal(f->mem[r[0].status], 0xee);
    vu_fake_disconnect(f);
    assert_int_equal(f->mem[r[0].status], ERR);
    i2cemu_loop_advance(t->bench.loop, 10 * MS);
    vu_fake_connect(f);
    vu_fake_setup(f, VU_F_ALL);
    assert_serving(f);
}

/* Only one front end at a time; GET_VRING_BASE stops the ring. */
static void test_second_front_end_and_stop(void **state)
{
    struct t *t = *state;
    struct vu_fake *f = &t->f;
    int first = f->sock;
    uint32_t s[2] = { 0, 0 };
    struct vu_fake_req r[1] = { { .addr = 0x48 } };
    uint8_t b;

    vu_fake_connect(f);
    assert_int_equal(recv(f->sock, &b, 1, MSG_DONTWAIT), 0); /* closed */
    close(f->sock);
    f->sock = first;
    assert_serving(f);
    /* { index 0, num 2 }: two requests consumed. */
    assert_int_equal(vu_fake_msg(f, VU_GET_VRING_BASE, 0, s, 8, NULL, 0,
                                 true), 2ull << 32);
    assert_int_equal(vu_fake_transfer(f, r, 1), 0); /* stopped */
}

/* QEMU sends a new memory table while the ring runs (memory hotplug): the
ring goes on in the new mapping. */
static void test_new_memory_table_while_running(void **state)
{
    struct t *t = *state;
    struct vu_fake *f = &t->f;
    struct {
        uint32_t n, pad;
        uint64_t gpa, size, qva, off;
    } mt = { 1, 0, VU_FAKE_GPA, VU_FAKE_MEM, VU_FAKE_QVA, 0 };

    assert_serving(f);
    assert_int_equal(vu_fake_msg(f, VU_SET_MEM_TABLE, VU_NEED_REPLY, &mt,
                                 sizeof mt, &f->memfd, 1, true), 0);
    assert_serving(f);
    /* A table that no longer holds the ring is taken; the ring waits for
     * addresses inside it. */
    mt.qva += VU_FAKE_MEM;
    assert_int_equal(vu_fake_msg(f, VU_SET_MEM_TABLE, VU_NEED_REPLY, &mt,
                                 sizeof mt, &f->memfd, 1, true), 0);
    f->heap = VU_FAKE_HEAP;
    struct vu_fake_req r[1] = { { .addr = 0x48 } };
    assert_int_equal(vu_fake_transfer(f, r, 1), 0);
}

/* A disabled ring is not served; enabling it serves what waits. RESET_OWNER
forgets the session. */
static void test_enable_and_reset_owner(void **state)
{
    struct t *t = *state;
    struct vu_fake *f = &t->f;
    struct vu_fake_req r[1] = { { .addr = 0x48, .rd = true, .len = 2 } };
    uint32_t s[2] = { 0, 0 };

    vu_fake_msg(f, VU_SET_VRING_ENABLE, 0, s, 8, NULL, 0, false);
    assert_int_equal(vu_fake_transfer(f, r, 1), 0);
    s[1] = 1;
    vu_fake_msg(f, VU_SET_VRING_ENABLE, 0, s, 8, NULL, 0, false);
    assert_int_equal(vu_fake_used(f), 1);
    assert_int_equal(f->mem[r[0].status], OK);
    assert_bytes(f->mem + r[0].buf, 0x19, 0x00);

    vu_fake_msg(f, VU_RESET_OWNER, 0, NULL, 0, NULL, 0, false);
    f->heap = VU_FAKE_HEAP;
    assert_int_equal(vu_fake_transfer(f, r, 1), 0);
    vu_fake_setup(f, VU_F_ALL);
    assert_serving(f);
}

static void test_bad_messages(void **state)
{
    struct t *t = *state;
    struct vu_fake *f = &t->f;
    uint64_t v = 0;
    uint32_t s[2] = { 0, 3 };

    /* Unknown, or malformed: a failure reply when one is asked for. */
    assert_int_equal(vu_fake_msg(f, VU_SET_LOG_BASE, VU_NEED_REPLY, &v, 8,
                                 NULL, 0, true), 1);
    assert_int_equal(vu_fake_msg(f, VU_SET_VRING_NUM, VU_NEED_REPLY, s, 8,
                                 NULL, 0, true), 1); /* not a power of 2 */
    v = 1ull << 40;
    assert_int_equal(vu_fake_msg(f, VU_SET_FEATURES, VU_NEED_REPLY, &v, 8,
                                 NULL, 0, true), 1); /* never offered */
    assert_int_equal(vu_fake_msg(f, VU_SET_MEM_TABLE, VU_NEED_REPLY, &v, 8,
                                 NULL, 0, true), 1);
    assert_int_equal(vu_fake_msg(f, VU_GET_MAX_MEM_SLOTS, 0, NULL, 0,
                                 NULL, 0, true), 8);
    assert_serving(f);
}

/* Without event-idx and indirect descriptors: a direct chain. */
static void test_direct_chain(void **state)
{
    struct t *t = *state;
    struct vu_fake *f = &t->f;
    uint32_t hdr = vu_fake_alloc(f, 8), buf = vu_fake_alloc(f, 2);
    uint32_t st = vu_fake_alloc(f, 1);

    vu_fake_disconnect(f);
    vu_fake_connect(f);
    vu_fake_setup(f, VU_F_ALL & ~((1ull << 28) | (1ull << 29)));
    memset(f->mem + hdr, 0, 8);
    f->mem[hdr] = 0x48 << 1;
    f->mem[hdr + 4] = 2;
    vu_fake_desc(f, VU_FAKE_DESC, 0, VU_FAKE_GPA + hdr, 8, VRING_DESC_F_NEXT,
                 1);
    vu_fake_desc(f, VU_FAKE_DESC, 1, VU_FAKE_GPA + buf, 2,
                 VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
    vu_fake_desc(f, VU_FAKE_DESC, 2, VU_FAKE_GPA + st, 1, VRING_DESC_F_WRITE,
                 0);
    vu_fake_avail(f, 0);
    vu_fake_kick(f);
    assert_int_equal(vu_fake_used(f), 1);
    assert_int_equal(f->mem[st], OK);
    assert_bytes(f->mem + buf, 0x19, 0x00);
    assert_true(vu_fake_called(f));
    /* Indirect descriptors were not negotiated: the ring breaks. */
    vu_fake_desc(f, VU_FAKE_DESC, 1, VU_FAKE_GPA + hdr, 48,
                 VRING_DESC_F_INDIRECT, 0);
    vu_fake_avail(f, 1);
    vu_fake_kick(f);
    assert_int_equal(vu_fake_used(f), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_read),
        T(test_event_idx_call),
        T(test_write_then_read_back),
        T(test_quick_and_absent),
        T(test_leading_ok_count),
        T(test_group_without_terminator),
        T(test_two_groups_one_kick),
        T(test_bad_buffers_get_err),
        T(test_too_many_buffers_get_err),
        T(test_descriptor_loop),
        T(test_next_out_of_range),
        T(test_head_out_of_range),
        T(test_bad_indirect_tables),
        T(test_second_front_end_and_stop),
        T(test_bad_messages),
        T(test_enable_and_reset_owner),
        T(test_new_memory_table_while_running),
        T(test_direct_chain),
        cmocka_unit_test_setup_teardown(test_disconnect_mid_transfer,
                                        setup_virtual, teardown),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
