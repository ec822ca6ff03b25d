// SPDX-License-Identifier: MIT
/*
 * The master's straight-line path (src/core/fastpath.c) against the
 * generic machine: the same requests on two identical boards, one with
 * the path allowed and one without, give byte for byte the same results,
 * errno, data, device states (a probe device logs every callback with
 * the bus time and start address it sees) and clock. Each test also
 * checks which path ran, so that neither side is the other by accident.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <linux/i2c-dev.h>

#include "core/board_internal.h"
#include "rig.h"
#include "testdevs.h"

/* ---- test-probe: logs each callback ---------------------------------- */

struct probe_entry {
    uint8_t what; /* enum i2cemu_event, or 'S' send, 'R' recv */
    uint8_t byte;
    uint16_t start_addr;
    uint32_t pad;
    uint64_t bus_ns;
};

struct probe_state {
    uint32_t n;
    uint8_t ptr;
    bool have_ptr;
    uint8_t reg[256];
    struct probe_entry log[64]; /* the last 64 callbacks */
};

static void probe_log(struct i2cemu_dev *d, uint8_t what, uint8_t byte)
{
    struct probe_state *s = d->state;
    s->log[s->n++ % 64] = (struct probe_entry){
        .what = what, .byte = byte,
        .start_addr = i2cemu_dev_start_addr(d),
        .bus_ns = i2cemu_dev_bus_time(d),
    };
}

static enum i2cemu_result probe_event(struct i2cemu_dev *d,
                                      enum i2cemu_event ev)
{
    struct probe_state *s = d->state;
    probe_log(d, (uint8_t)ev, 0);
    if (ev == I2CEMU_EV_START_SEND)
        s->have_ptr = false;
    /* Register 0xEE set to 1: refuse the address (a busy part). */
    return s->reg[0xEE] == 1 && ev == I2CEMU_EV_START_RECV ? I2CEMU_NACK
                                                          : I2CEMU_ACK;
}

static enum i2cemu_result probe_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct probe_state *s = d->state;
    probe_log(d, 'S', byte);
    if (!s->have_ptr) {
        s->ptr = byte;
        s->have_ptr = true;
        return I2CEMU_ACK;
    }
    if (s->ptr == 0xEF)
        return I2CEMU_NACK; /* a register that takes no writes */
    s->reg[s->ptr++] = byte;
    return I2CEMU_ACK;
}

static uint8_t probe_recv(struct i2cemu_dev *d)
{
    struct probe_state *s = d->state;
    uint8_t v = s->reg[s->ptr++];
    probe_log(d, 'R', v);
    return v;
}

static int probe_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct probe_state *s = d->state;
    (void)err;
    for (unsigned i = 0; i < 256; i++)
        s->reg[i] = (uint8_t)(i * 7 + 3);
    s->reg[0x80] = 4;  /* a block read's count */
    s->reg[0x90] = 0;  /* an SMBus block count of 0: EPROTO */
    s->reg[0x91] = 40; /* one over 32: EPROTO */
    return 0;
}

static const struct i2cemu_device_type test_probe = {
    .name = "test-probe",
    .help = "logs every callback",
    .state_size = sizeof(struct probe_state),
    .realize = probe_realize,
    .event = probe_event,
    .send = probe_send,
    .recv = probe_recv,
};

/* ---- test-chain: its first STOP submits a write to 0x20 --------------- */

struct chain_priv {
    struct i2cemu_transfer t;
    struct i2c_msg msg;
    uint8_t bytes[2];
    bool submitted;
    int result; /* of the chained write, once done; -999 before */
};

static void chain_done(struct i2cemu_transfer *t)
{
    struct chain_priv *p = t->opaque;
    p->result = t->result;
}

static enum i2cemu_result chain_event(struct i2cemu_dev *d,
                                      enum i2cemu_event ev)
{
    struct chain_priv *p = d->priv;
    if (ev == I2CEMU_EV_FINISH && !p->submitted) {
        p->submitted = true;
        p->bytes[0] = 0x30, p->bytes[1] = 0x77;
        p->msg = (struct i2c_msg){.addr = 0x20, .len = 2, .buf = p->bytes};
        p->t = (struct i2cemu_transfer){.msgs = &p->msg, .nmsgs = 1,
                                        .done = chain_done, .opaque = p};
        i2cemu_transfer_submit(d->board, i2cemu_device_bus(d->board, d->index),
                               &p->t);
    }
    return I2CEMU_ACK;
}

static int chain_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    (void)err;
    struct chain_priv *p = calloc(1, sizeof(*p));
    assert_non_null(p);
    p->result = -999;
    d->priv = p;
    return 0;
}

static void chain_unrealize(struct i2cemu_dev *d)
{
    free(d->priv);
}

static const struct i2cemu_device_type test_chain = {
    .name = "test-chain",
    .help = "submits a transfer from its first FINISH",
    .realize = chain_realize,
    .unrealize = chain_unrealize,
    .event = chain_event,
};

/* ---- what a run of requests gave ------------------------------------- */

struct out {
    uint8_t buf[262144];
    size_t n;
};

static void put(struct out *o, const void *p, size_t n)
{
    assert_true(o->n + n <= sizeof(o->buf));
    if (n)
        memcpy(o->buf + o->n, p, n);
    o->n += n;
}

static void put_int(struct out *o, long v)
{
    put(o, &v, sizeof(v));
}

/* The result, the bytes and the clock after it. */
static void put_req(struct out *o, struct bench *t, long r, const void *data,
                    size_t n)
{
    put_int(o, r);
    put_int(o, r < 0 ? errno : 0);
    put(o, data, n);
    uint64_t ns = i2cemu_loop_now(t->loop);
    put(o, &ns, sizeof(ns));
}

/* Every request shape the in-process API has, to the device at `addr`. */
static void requests(struct bench *t, struct i2cemu_i2cdev_file *f,
                     uint16_t addr, struct out *o)
{
    union i2c_smbus_data d;
    uint8_t buf[40], w[3] = {0x10, 0x5A, 0xA5};

    put_int(o, i2cemu_smbus_set_addr(f, addr));
    for (int cmd = 0x10; cmd < 0x13; cmd++)
        put_int(o, i2cemu_smbus_read_byte_data(f, (uint8_t)cmd));
    put_int(o, i2cemu_smbus_write_byte_data(f, 0x11, 0x5A));
    put_int(o, i2cemu_smbus_write_byte_data(f, 0xEF, 0x01)); /* data NACK */
    put_int(o, i2cemu_smbus_read_word_data(f, 0x11));
    put_int(o, i2cemu_smbus_write_word_data(f, 0x20, 0xBEEF));
    put_int(o, i2cemu_smbus_write_quick(f, 0));
    put_int(o, i2cemu_smbus_write_quick(f, 1));
    put_int(o, i2cemu_smbus_write_byte(f, 0x20));
    put_int(o, i2cemu_smbus_read_byte(f));
    memset(buf, 0xCC, sizeof(buf));
    put_int(o, i2cemu_smbus_read_i2c_block_data(f, 0x20, 4, buf));
    put_int(o, i2cemu_smbus_read_i2c_block_data(f, 0x40, 32, buf));
    put(o, buf, sizeof(buf));
    put_int(o, i2cemu_smbus_write_i2c_block_data(f, 0x60, 3, w));
    /* SMBus block reads: a count of 4, of 0 and of 40 (EPROTO). */
    for (int cmd = 0x80; cmd <= 0x91; cmd += 0x10) {
        memset(&d, 0xCC, sizeof(d));
        long r = i2cemu_smbus_access(f, I2C_SMBUS_READ, (uint8_t)cmd,
                                     I2C_SMBUS_BLOCK_DATA, &d);
        put_req(o, t, r, &d, sizeof(d));
    }
    memset(&d, 0xCC, sizeof(d));
    put_req(o, t, i2cemu_smbus_access(f, I2C_SMBUS_READ, 0x91,
                                      I2C_SMBUS_BLOCK_DATA, &d), &d, sizeof(d));
    d.block[0] = 3;
    d.block[1] = 1, d.block[2] = 2, d.block[3] = 3;
    put_int(o, i2cemu_smbus_access(f, I2C_SMBUS_WRITE, 0x70,
                                   I2C_SMBUS_BLOCK_DATA, &d));
    /* The EEPROM's and probe's registers through I2C_RDWR, read() and
     * write(). */
    uint8_t reg = 0x08;
    struct i2c_msg msgs[] = {
        {.addr = addr, .flags = 0, .len = 1, .buf = &reg},
        {.addr = addr, .flags = I2C_M_RD, .len = 16, .buf = buf},
    };
    memset(buf, 0xCC, sizeof(buf));
    put_req(o, t, i2cemu_rdwr(f, msgs, 2), buf, sizeof(buf));
    put_req(o, t, i2cemu_rdwr(f, &msgs[1], 1), buf, sizeof(buf));
    put_req(o, t, i2cemu_i2cdev_write_sync(f, w, sizeof(w)), NULL, 0);
    memset(buf, 0xCC, sizeof(buf));
    put_req(o, t, i2cemu_i2cdev_read_sync(f, buf, 5), buf, sizeof(buf));
    /* Around the edges of the short shapes (fastpath.c, is_short()): a
     * read then a write, a write of nothing then a read, a read of
     * nothing, two writes, a write and a read to another address. */
    uint8_t r0 = 0x30;
    struct i2c_msg edges[][2] = {
        {{.addr = addr, .flags = I2C_M_RD, .len = 3, .buf = buf},
         {.addr = addr, .len = 1, .buf = &r0}},
        {{.addr = addr, .len = 0, .buf = &r0},
         {.addr = addr, .flags = I2C_M_RD, .len = 2, .buf = buf}},
        {{.addr = addr, .len = 1, .buf = &r0},
         {.addr = addr, .flags = I2C_M_RD, .len = 0, .buf = buf}},
        {{.addr = addr, .len = 1, .buf = &r0},
         {.addr = addr, .len = 2, .buf = w}},
        {{.addr = addr, .len = 1, .buf = &r0},
         {.addr = 0x33, .flags = I2C_M_RD, .len = 2, .buf = buf}},
    };
    for (unsigned i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
        memset(buf, 0xCC, sizeof(buf));
        put_req(o, t, i2cemu_rdwr(f, edges[i], 2), buf, sizeof(buf));
    }
    memset(buf, 0xCC, sizeof(buf));
    put_req(o, t, i2cemu_rdwr(f, &edges[2][1], 1), buf, sizeof(buf));
}

/* Every device's state, the clock and what the requests gave. */
static void put_board(struct out *o, struct bench *t)
{
    for (unsigned i = 0; i < i2cemu_device_count(t->b); i++)
        put(o, i2cemu_device_state(t->b, i), i2cemu_device_state_size(t->b, i));
    uint64_t ns = i2cemu_loop_now(t->loop);
    put(o, &ns, sizeof(ns));
}

struct pair {
    struct bench on, off;
    struct out oon, ooff;
};

static struct pair *pair_new(void)
{
    struct pair *p = calloc(1, sizeof(*p));
    assert_non_null(p);
    bench_init(&p->on, I2CEMU_CLOCK_FAST);
    bench_init(&p->off, I2CEMU_CLOCK_FAST);
    /* Whatever I2CEMU_FASTPATH says: this test compares the two. */
    p->on.b->fastpath = true;
    p->off.b->fastpath = false;
    return p;
}

static void pair_free(struct pair *p)
{
    bench_fini(&p->on);
    bench_fini(&p->off);
    free(p);
}

/* The same on both boards, or the first difference. */
static void pair_check(struct pair *p)
{
    put_board(&p->oon, &p->on);
    put_board(&p->ooff, &p->off);
    assert_int_equal(p->oon.n, p->ooff.n);
    for (size_t i = 0; i < p->oon.n; i++)
        if (p->oon.buf[i] != p->ooff.buf[i])
            fail_msg("byte %zu of %zu differs: %02x (fast path) vs %02x",
                     i, p->oon.n, p->oon.buf[i], p->ooff.buf[i]);
    assert_int_equal(p->off.b->fastpath_runs, 0);
}

/* Both boards get the same devices. */
static void pair_add(struct pair *p, const struct i2cemu_device_type *type,
                     const char *spec)
{
    if (type) {
        bench_add_type(&p->on, type, spec);
        bench_add_type(&p->off, type, spec);
    } else {
        bench_add(&p->on, spec);
        bench_add(&p->off, spec);
    }
}

static void pair_requests(struct pair *p, int bus, uint16_t addr)
{
    struct i2cemu_i2cdev_file fon, foff;
    assert_int_equal(i2cemu_i2cdev_open(&fon, p->on.b, bus, O_RDWR), 0);
    assert_int_equal(i2cemu_i2cdev_open(&foff, p->off.b, bus, O_RDWR), 0);
    requests(&p->on, &fon, addr, &p->oon);
    requests(&p->off, &foff, addr, &p->ooff);
}

/* ---- the tests ------------------------------------------------------- */

/* An i2c-profile bus: a probe, an EEPROM, a device that NACKs data and
 * an address nobody answers (ENXIO), a probe that NACKs its address. */
static void test_same_as_generic(void **state)
{
    (void)state;
    struct pair *p = pair_new();
    pair_add(p, &test_probe, "addr=0x20");
    pair_add(p, NULL, "24c02,addr=0x50");
    pair_add(p, &test_reg, "addr=0x21,nack-after=1");
    pair_add(p, &test_probe, "addr=0x22");
    pair_add(p, &test_block, "addr=0x23");
    static const uint16_t addrs[] = {0x20, 0x50, 0x21, 0x23, 0x33};
    for (unsigned i = 0; i < 5; i++)
        pair_requests(p, 1, addrs[i]);
    /* 0x22 refuses its read address: the write-then-read fails at its
     * repeated START, after the write went through. */
    ((struct probe_state *)i2cemu_device_state(p->on.b, 3))->reg[0xEE] = 1;
    ((struct probe_state *)i2cemu_device_state(p->off.b, 3))->reg[0xEE] = 1;
    pair_requests(p, 1, 0x22);
    assert_true(p->on.b->fastpath_runs > 100);
    pair_check(p);
    pair_free(p);
}

/* A native SMBus (stub-profile) bus: the chip and nobody (ENODEV). */
static void test_same_as_generic_stub(void **state)
{
    (void)state;
    struct pair *p = pair_new();
    struct i2cemu_bus_config cfg = I2CEMU_BUS_CONFIG_DEFAULT;
    cfg.number = 3;
    cfg.profile = I2CEMU_PROFILE_STUB;
    assert_true(i2cemu_bus_add(p->on.b, &cfg, &p->on.err) >= 0);
    assert_true(i2cemu_bus_add(p->off.b, &cfg, &p->off.err) >= 0);
    pair_add(p, NULL, "regbank,bus=3,addr=0x10");
    pair_add(p, &test_smbus, "bus=3,addr=0x11");
    pair_requests(p, 3, 0x10);
    pair_requests(p, 3, 0x11);
    pair_requests(p, 3, 0x12);
    assert_true(p->on.b->fastpath_runs > 20);
    pair_check(p);
    pair_free(p);
}

/* i2cemu_smbus_access decodes straight from its arguments (smbus.c's
 * i2cdev_smbus_sync), where the I2C_SMBUS ioctl goes through the request
 * block: every size and direction (and invalid ones), with and without
 * data, good and bad block lengths, PEC off and on, give both the same
 * results, errno, data and devices. The "on" board takes the direct
 * entry, the "off" board the ioctl. */
static void smbus_matrix_cmd(struct pair *p, int bus, uint16_t addr,
                             bool tenbit, int cmd0)
{
    static const uint8_t lens[] = {4, 0, 33};
    struct i2cemu_i2cdev_file fon, foff;
    assert_int_equal(i2cemu_i2cdev_open(&fon, p->on.b, bus, O_RDWR), 0);
    assert_int_equal(i2cemu_i2cdev_open(&foff, p->off.b, bus, O_RDWR), 0);
    if (tenbit) {
        assert_int_equal(i2cemu_i2cdev_ioctl_sync(&fon, I2C_TENBIT, (void *)1), 0);
        assert_int_equal(i2cemu_i2cdev_ioctl_sync(&foff, I2C_TENBIT, (void *)1), 0);
    }
    assert_int_equal(i2cemu_smbus_set_addr(&fon, addr), 0);
    assert_int_equal(i2cemu_smbus_set_addr(&foff, addr), 0);
    for (uintptr_t pec = 0; pec < 2; pec++) {
        assert_int_equal(i2cemu_i2cdev_ioctl_sync(&fon, I2C_PEC, (void *)pec), 0);
        assert_int_equal(i2cemu_i2cdev_ioctl_sync(&foff, I2C_PEC, (void *)pec), 0);
        for (int rw = 0; rw < 3; rw++)
            for (int size = 0; size < 10; size++)
                for (unsigned k = 0; k < 4; k++) {
                    union i2c_smbus_data don, doff;
                    memset(&don, 0xCC, sizeof(don));
                    don.block[0] = lens[k % 3];
                    doff = don;
                    uint8_t cmd = (uint8_t)(cmd0 >= 0 ? cmd0 : 0x10 + size);
                    errno = 0;
                    long r = i2cemu_smbus_access(&fon, (char)rw, cmd, size,
                                                 k < 3 ? &don : NULL);
                    put_req(&p->oon, &p->on, r, &don, sizeof(don));
                    struct i2c_smbus_ioctl_data a = {
                        .read_write = (uint8_t)rw, .command = cmd,
                        .size = (uint32_t)size, .data = k < 3 ? &doff : NULL,
                    };
                    errno = 0;
                    r = i2cemu_i2cdev_ioctl_sync(&foff, I2C_SMBUS, &a);
                    put_req(&p->ooff, &p->off, r < 0 ? -errno : r, &doff,
                            sizeof(doff));
                }
    }
}

static void smbus_matrix(struct pair *p, int bus, uint16_t addr)
{
    smbus_matrix_cmd(p, bus, addr, false, -1);
}

static void test_smbus_direct_same_as_ioctl(void **state)
{
    (void)state;
    struct pair *p = pair_new();
    struct i2cemu_bus_config cfg = I2CEMU_BUS_CONFIG_DEFAULT;
    cfg.number = 3;
    cfg.profile = I2CEMU_PROFILE_STUB;
    assert_true(i2cemu_bus_add(p->on.b, &cfg, &p->on.err) >= 0);
    assert_true(i2cemu_bus_add(p->off.b, &cfg, &p->off.err) >= 0);
    pair_add(p, &test_probe, "addr=0x20");
    pair_add(p, NULL, "24c02,addr=0x50");
    pair_add(p, &test_block, "addr=0x23");
    pair_add(p, NULL, "regbank,bus=3,addr=0x10");
    pair_add(p, &test_smbus, "bus=3,addr=0x11");
    static const uint16_t addrs[] = {0x20, 0x50, 0x23, 0x33};
    for (unsigned i = 0; i < 4; i++)
        smbus_matrix(p, 1, addrs[i]);
    for (uint16_t a = 0x10; a <= 0x12; a++)
        smbus_matrix(p, 3, a);
    /* Byte, byte data and word data take their own short path (smbus.c):
     * also a data byte NACKed (the probe's register 0xEF), a read address
     * refused after the write went through (0x22), a 10-bit address. */
    smbus_matrix_cmd(p, 1, 0x20, false, 0xEF);
    pair_add(p, &test_probe, "addr=0x22");
    ((struct probe_state *)i2cemu_device_state(p->on.b, 5))->reg[0xEE] = 1;
    ((struct probe_state *)i2cemu_device_state(p->off.b, 5))->reg[0xEE] = 1;
    smbus_matrix(p, 1, 0x22);
    pair_add(p, NULL, "24c02,addr=0x150,tenbit=on");
    smbus_matrix_cmd(p, 1, 0x150, true, -1);
    assert_true(p->on.b->fastpath_runs > 100);
    pair_check(p);
    pair_free(p);
}

/* A device that stretches the clock takes the generic path; the others
 * on its bus do not. */
static void test_stretching_device(void **state)
{
    (void)state;
    struct pair *p = pair_new();
    pair_add(p, &test_stretch, "addr=0x40,delay-us=100");
    pair_add(p, &test_probe, "addr=0x20");
    pair_requests(p, 1, 0x40);
    assert_int_equal(p->on.b->fastpath_runs, 0);
    pair_requests(p, 1, 0x20);
    assert_true(p->on.b->fastpath_runs > 0);
    pair_check(p);
    pair_free(p);
}

/* A traced bus takes the generic path, and the trace shows it all. */
static void test_traced_bus(void **state)
{
    (void)state;
    struct pair *p = pair_new();
    pair_add(p, &test_probe, "addr=0x20");
    pair_add(p, NULL, "24c02,addr=0x50");
    bench_trace_on(&p->on);
    bench_trace_on(&p->off);
    pair_requests(p, 1, 0x20);
    pair_requests(p, 1, 0x50);
    assert_int_equal(p->on.b->fastpath_runs, 0);
    assert_string_equal(bench_trace(&p->on), bench_trace(&p->off));
    assert_non_null(strstr(bench_trace(&p->on), "S 50 W A 10 A Sr 50 R A"));
    pair_check(p);
    pair_free(p);
}

/* A mux's child bus, and its parent bus (where the mux's match hook
 * decides): the generic path, the same results. */
static void test_mux_buses(void **state)
{
    (void)state;
    struct pair *p = pair_new();
    pair_add(p, NULL, "pca9548,addr=0x70,bus=1,first_bus=10");
    pair_add(p, &test_probe, "bus=12,addr=0x20");
    pair_add(p, NULL, "24c02,bus=1,addr=0x50");
    pair_requests(p, 12, 0x20);
    pair_requests(p, 1, 0x20); /* behind the channel still selected */
    pair_requests(p, 1, 0x50);
    assert_int_equal(p->on.b->fastpath_runs, 0);
    pair_check(p);
    pair_free(p);
}

/* The address table follows the devices: 64 on one bus, one added
 * after traffic, one removed. */
static void test_table_follows_devices(void **state)
{
    (void)state;
    struct pair *p = pair_new();
    char spec[32];
    for (unsigned a = 0x08; a < 0x08 + 64; a++) {
        snprintf(spec, sizeof(spec), "addr=0x%02x", a);
        pair_add(p, &test_probe, spec);
    }
    for (unsigned a = 0x08; a < 0x08 + 64; a += 9)
        pair_requests(p, 1, (uint16_t)a);
    pair_requests(p, 1, 0x70);                 /* nobody, yet */
    pair_add(p, &test_probe, "addr=0x70");
    pair_requests(p, 1, 0x70);                 /* now answers */
    assert_int_equal(i2cemu_device_remove(p->on.b, 9, &p->on.err), 0);
    assert_int_equal(i2cemu_device_remove(p->off.b, 9, &p->off.err), 0);
    pair_requests(p, 1, 0x11);                 /* removed: ENXIO */
    assert_true(p->on.b->fastpath_runs > 200);
    pair_check(p);

    struct i2cemu_i2cdev_file f;
    assert_int_equal(i2cemu_i2cdev_open(&f, p->on.b, 1, O_RDWR), 0);
    assert_int_equal(i2cemu_smbus_set_addr(&f, 0x70), 0);
    assert_int_equal(i2cemu_smbus_read_byte_data(&f, 0x01), 10);
    assert_int_equal(i2cemu_smbus_set_addr(&f, 0x11), 0);
    assert_int_equal(i2cemu_smbus_read_byte_data(&f, 0x01), -ENXIO);
    pair_free(p);
}

/* A transfer submitted from a device's callback queues behind the one
 * running, and runs next, on both paths. */
static void test_submit_from_callback(void **state)
{
    (void)state;
    struct pair *p = pair_new();
    pair_add(p, &test_probe, "addr=0x20");
    unsigned chain = 1;
    pair_add(p, &test_chain, "addr=0x21");
    struct i2cemu_i2cdev_file fon, foff;
    assert_int_equal(i2cemu_i2cdev_open(&fon, p->on.b, 1, O_RDWR), 0);
    assert_int_equal(i2cemu_i2cdev_open(&foff, p->off.b, 1, O_RDWR), 0);
    assert_int_equal(i2cemu_smbus_set_addr(&fon, 0x21), 0);
    assert_int_equal(i2cemu_smbus_set_addr(&foff, 0x21), 0);
    assert_int_equal(i2cemu_smbus_write_byte(&fon, 0x01), 0);
    assert_int_equal(i2cemu_smbus_write_byte(&foff, 0x01), 0);
    /* Queued, not run inside the first transfer: the loop runs it. */
    while (i2cemu_loop_run_once(p->on.loop, false))
        ;
    while (i2cemu_loop_run_once(p->off.loop, false))
        ;
    struct chain_priv *con = p->on.b->devs[chain].priv;
    struct chain_priv *coff = p->off.b->devs[chain].priv;
    assert_int_equal(con->result, 1);
    assert_int_equal(coff->result, 1);
    assert_int_equal(((struct probe_state *)i2cemu_device_state(p->on.b, 0))
                         ->reg[0x30], 0x77);
    assert_true(p->on.b->fastpath_runs >= 1);
    pair_check(p);
    pair_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_generic),
        cmocka_unit_test(test_same_as_generic_stub),
        cmocka_unit_test(test_smbus_direct_same_as_ioctl),
        cmocka_unit_test(test_stretching_device),
        cmocka_unit_test(test_traced_bus),
        cmocka_unit_test(test_mux_buses),
        cmocka_unit_test(test_table_follows_devices),
        cmocka_unit_test(test_submit_from_callback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
