// SPDX-License-Identifier: MIT
/*
 * A device callback that resets the bus or aborts the transfer it is in
 * (device.h allows both), at every place the generic master machine
 * (src/core/master.c, fault_master.c) calls a device: the transfer ends
 * there, `done` runs once and nothing touches the transfer after it (it is
 * on the heap and `done` frees it: ASan sees any later use), the device
 * sees no callback of it after the ending but FINISH, and the bus serves
 * the next transfer.
 */
#include <errno.h>
#include <string.h>

#include "core/board_internal.h"
#include "ender.h"
#include "rig.h"
#include "testdevs.h"

/* test-ender-mux: a one-channel mux whose control write (mux_select.c,
 * before the transfer's first START) may end the transfer. */
struct ender_mux_state {
    struct ender_state e; /* first: ender_at() reads it */
    uint16_t child;
    uint8_t ctrl;
};

static int ender_mux_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct i2cemu_bus_config cfg = I2CEMU_BUS_CONFIG_DEFAULT;
    int bus = i2cemu_dev_add_child_bus(d, &cfg, err);
    ((struct ender_mux_state *)d->state)->child = (uint16_t)bus;
    return bus < 0 ? -1 : 0;
}

static bool ender_mux_select(struct i2cemu_dev *d, unsigned child,
                             uint8_t *ctrl)
{
    (void)child;
    *ctrl = 1;
    return !((struct ender_mux_state *)d->state)->ctrl;
}

static enum i2cemu_result ender_mux_send(struct i2cemu_dev *d, uint8_t byte)
{
    ender_at(d, AT_SEND);
    ((struct ender_mux_state *)d->state)->ctrl = byte;
    return I2CEMU_ACK;
}

static bool ender_mux_match(struct i2cemu_dev *d, uint16_t addr, bool tenbit,
                            bool broadcast, struct i2cemu_matches *m)
{
    const struct ender_mux_state *s = d->state;
    unsigned before = m->n;
    if (!broadcast && !tenbit && addr == i2cemu_dev_addr(d))
        i2cemu_matches_add(m, d->index);
    if (s->ctrl)
        i2cemu_bus_match(d->board, s->child, addr, tenbit, broadcast, m);
    return m->n > before;
}

static const struct i2cemu_device_type test_ender_mux = {
    .name = "test-ender-mux",
    .help = "a one-channel mux; may end the transfer in its control write",
    .state_size = sizeof(struct ender_mux_state),
    .realize = ender_mux_realize,
    .event = ender_event,
    .send = ender_mux_send,
    .match = ender_mux_match,
    .select_channel = ender_mux_select,
};

/* ---- the transfers ------------------------------------------------- */

#define ENDER 0x30       /* test-ender */
#define OTHER 0x31       /* test-reg: a repeated START to it DESELECTs */
#define ENDER_ASYNC 0x32 /* test-ender-async */

enum shape {
    WRITE_READ,   /* [W 30: 10 11] [R 30: 2] */
    TO_OTHER,     /* [W 30: 10] [R 31: 1] */
    BLOCK_READ,   /* [W 30: 10] [R 30: count, RECV_LEN] */
    SMBUS,        /* native byte data read from 30 */
    WRITE_ASYNC,  /* [W 32: 10] */
};

struct job {
    int dones, result;
    uint64_t took_ns; /* t_end_ns - t_start_ns */
    uint8_t wbuf[2], rbuf[40];
    struct i2c_msg m[2];
    union i2c_smbus_data data;
    struct i2cemu_smbus_op op;
};

static void job_done(struct i2cemu_transfer *t)
{
    struct job *j = t->opaque;
    j->dones++;
    j->result = t->result;
    j->took_ns = t->t_end_ns - t->t_start_ns;
    free(t);
}

/* Run a transfer of this shape on bus 0 until the loop is idle. */
static void run_shape(struct bench *r, enum shape sh, struct job *j)
{
    memset(j, 0, sizeof *j);
    j->wbuf[0] = 0x10;
    j->wbuf[1] = 0x11;
    uint16_t to = sh == WRITE_ASYNC ? ENDER_ASYNC : ENDER;
    j->m[0] = (struct i2c_msg){.addr = to, .len = sh == WRITE_READ ? 2 : 1,
                               .buf = j->wbuf};
    j->m[1] = (struct i2c_msg){.addr = sh == TO_OTHER ? OTHER : ENDER,
                               .flags = I2C_M_RD, .len = 2, .buf = j->rbuf};
    if (sh == TO_OTHER)
        j->m[1].len = 1;
    if (sh == BLOCK_READ) {
        j->m[1].flags |= I2C_M_RECV_LEN;
        j->m[1].len = 1;
    }
    j->op = (struct i2cemu_smbus_op){.addr = ENDER, .read_write = I2C_SMBUS_READ,
                                     .command = 0x10,
                                     .size = I2C_SMBUS_BYTE_DATA,
                                     .data = &j->data};
    struct i2cemu_transfer *t = calloc(1, sizeof *t);
    assert_non_null(t);
    if (sh == SMBUS) {
        t->smbus = &j->op;
    } else {
        t->msgs = j->m;
        t->nmsgs = sh == WRITE_ASYNC ? 1 : 2;
    }
    t->done = job_done;
    t->opaque = j;
    i2cemu_transfer_submit(r->b, 0, t);
    while (i2cemu_loop_run_once(r->loop, false))
        ;
}

struct site_case {
    const char *what;
    uint8_t at;          /* enum site */
    uint8_t shape;       /* enum shape */
    uint8_t count;       /* the ender's read bytes */
    bool traced;         /* recv() byte by byte, as a trace sink makes it */
    const char *fault;   /* a fault rule: the transfer runs in FAULTY */
};

/* Every place the generic machine calls a device. */
static const struct site_case cases[] = {
    {"address: START_SEND", AT_START_SEND, WRITE_READ, 1, false, NULL},
    {"address: START_RECV", AT_START_RECV, WRITE_READ, 1, false, NULL},
    {"address: DESELECT", AT_DESELECT, TO_OTHER, 1, false, NULL},
    {"send", AT_SEND, WRITE_READ, 1, false, NULL},
    {"send: send_async", AT_SEND_ASYNC, WRITE_ASYNC, 1, false, NULL},
    {"recv: one device", AT_RECV, WRITE_READ, 1, false, NULL},
    {"recv: byte by byte", AT_RECV, WRITE_READ, 1, true, NULL},
    {"recv: the last byte's NACK", AT_NACK, WRITE_READ, 1, false, NULL},
    {"recv: a block count's NACK", AT_NACK, BLOCK_READ, 0, false, NULL},
    {"smbus", AT_SMBUS, SMBUS, 1, false, NULL},
    {"stop: FINISH", AT_FINISH, WRITE_READ, 1, false, NULL},
    {"faulty step: address", AT_START_SEND, WRITE_READ, 1, false,
     "stretch,addr=0x30,time=2s,once"},
    {"fault: arbitration lost, FINISH", AT_FINISH, WRITE_READ, 1, false,
     "arb-loss,addr=0x30,byte=1,once"},
    {"fault: block count, recv", AT_RECV, BLOCK_READ, 1, false,
     "block-count,addr=0x30,count=40,once"},
};

static void setup_bench(struct bench *r, bool fastpath)
{
    bench_init(r, I2CEMU_CLOCK_FAST);
    r->b->fastpath = fastpath;
    bench_add_type(r, &test_ender, "addr=0x30");
    bench_add_type(r, &test_reg, "addr=0x31");
    bench_add_type(r, &test_ender_async, "addr=0x32");
}

static void test_every_site_ends_once(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const struct site_case *k = &cases[c];
        for (int abort = 0; abort < 2; abort++) {
            print_message("# %s, %s\n", k->what, abort ? "abort" : "reset");
            struct bench r;
            setup_bench(&r, false);
            if (k->traced)
                bench_trace_on(&r);
            if (k->fault && i2cemu_fault_add(r.b, k->fault, &r.err) < 0)
                fail_msg("%s: %s", k->fault, r.err.msg);
            unsigned dev = k->shape == WRITE_ASYNC ? 2 : 0;
            struct ender_state *s = i2cemu_device_state(r.b, dev);
            s->at = k->at;
            s->abort = abort;
            s->count = k->count;
            struct job j;
            run_shape(&r, k->shape, &j);
            assert_true(s->fired);
            assert_int_equal(j.dones, 1);
            assert_int_equal(j.result, abort ? -ECANCELED : -EIO);
            assert_int_equal(s->after, 0);
            /* The bus serves the next transfer, to its end. */
            s = i2cemu_device_state(r.b, 0);
            s->at = AT_NEVER;
            s->count = 1;
            run_shape(&r, WRITE_READ, &j);
            assert_int_equal(j.dones, 1);
            assert_int_equal(j.result, 2);
            assert_int_equal(r.b->fastpath_runs, 0);
            bench_fini(&r);
        }
    }
}

/* In the mux's control write the transfer has not started: an abort
 * ends it, once; a reset ends nothing and the transfer runs. */
static void test_mux_select(void **state)
{
    (void)state;
    for (int abort = 0; abort < 2; abort++) {
        struct bench r;
        bench_init(&r, I2CEMU_CLOCK_FAST);
        unsigned mux = bench_add_type(&r, &test_ender_mux, "addr=0x70");
        struct ender_mux_state *s = i2cemu_device_state(r.b, mux);
        char spec[64];
        snprintf(spec, sizeof spec, "addr=0x50,bus=%d",
                 i2cemu_bus_number(r.b, s->child));
        unsigned dev = bench_add_type(&r, &test_reg, spec);
        s->e.at = AT_SEND;
        s->e.abort = abort;
        struct job j = {.wbuf = {0x05, 0x42}};
        struct i2cemu_transfer *t = calloc(1, sizeof *t);
        assert_non_null(t);
        j.m[0] = (struct i2c_msg){.addr = 0x50, .len = 2, .buf = j.wbuf};
        *t = (struct i2cemu_transfer){.msgs = j.m, .nmsgs = 1,
                                      .done = job_done, .opaque = &j};
        i2cemu_transfer_submit(r.b, s->child, t);
        while (i2cemu_loop_run_once(r.loop, false))
            ;
        assert_true(s->e.fired);
        assert_int_equal(j.dones, 1);
        assert_int_equal(j.result, abort ? -ECANCELED : 1);
        assert_int_equal(s->e.after, 0);
        /* The device behind the mux got the write, or not even START. */
        struct reg_state *rs = i2cemu_device_state(r.b, dev);
        assert_int_equal(rs->starts, abort ? 0 : 1);
        assert_int_equal(rs->reg[5], abort ? 0 : 0x42);
        bench_fini(&r);
    }
}

/* Where the straight-line path makes the same call, the transfer ends
 * the same way on both paths: the same result, at the same bus time. */
static void test_both_paths_end_alike(void **state)
{
    (void)state;
    static const uint8_t sites[] = {AT_START_SEND, AT_START_RECV, AT_SEND,
                                    AT_RECV, AT_NACK, AT_FINISH};
    for (size_t c = 0; c < sizeof sites; c++) {
        for (int abort = 0; abort < 2; abort++) {
            struct job j[2];
            for (int fast = 0; fast < 2; fast++) {
                struct bench r;
                setup_bench(&r, fast);
                struct ender_state *s = i2cemu_device_state(r.b, 0);
                s->at = sites[c];
                s->abort = abort;
                run_shape(&r, WRITE_READ, &j[fast]);
                assert_int_equal(r.b->fastpath_runs, fast);
                assert_int_equal(j[fast].dones, 1);
                bench_fini(&r);
            }
            assert_int_equal(j[0].result, abort ? -ECANCELED : -EIO);
            assert_int_equal(j[1].result, j[0].result);
            /* Only a reset at the first START ends before any bit. */
            assert_true(j[0].took_ns > 0 ||
                        (sites[c] == AT_START_SEND && !abort));
            assert_int_equal(j[1].took_ns, j[0].took_ns);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_site_ends_once),
        cmocka_unit_test(test_mux_select),
        cmocka_unit_test(test_both_paths_end_alike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
