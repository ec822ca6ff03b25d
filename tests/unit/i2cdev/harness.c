// SPDX-License-Identifier: MIT
/* The test frontend and the fixtures of i2c-dev-abi.md section 8.0. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i2cdev/pec.h"
#include "harness.h"

#define FAULT_BELOW 4096u
#define FETCH_ALL 1 /* as CUSE: every region of a NEED at once */
#define FETCH_ONE 2 /* as the preload shim: `need` only */

/* ---- F-I2C devices ---------------------------------------------------- */

/* T: 256 registers behind an 8-bit pointer; a write's first byte sets it. */
static enum i2cemu_result t_event(struct i2cemu_dev *d, enum i2cemu_event ev)
{
    struct t_state *s = d->state;

    if (ev == I2CEMU_EV_START_SEND)
        s->first = true;
    return I2CEMU_ACK;
}

static enum i2cemu_result t_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct t_state *s = d->state;

    if (s->first)
        s->ptr = byte;
    else
        s->reg[s->ptr++] = byte;
    s->first = false;
    return I2CEMU_ACK;
}

static uint8_t t_recv(struct i2cemu_dev *d)
{
    struct t_state *s = d->state;

    return s->reg[s->ptr++];
}

static const struct i2cemu_prop no_props[] = { I2CEMU_PROP_END };
static const struct i2cemu_field no_fields[] = { I2CEMU_FIELD_END };

static const struct i2cemu_device_type t_type = {
    .name = "test-t", .help = "register device", .props = no_props,
    .fields = no_fields, .state_size = sizeof(struct t_state),
    .event = t_event, .send = t_send, .recv = t_recv,
};

/* P: byte data with PEC. A write c, v, pec is NACKed on its PEC byte
 * when the PEC is wrong; a read returns reg[c] and its PEC. */
static enum i2cemu_result p_event(struct i2cemu_dev *d, enum i2cemu_event ev)
{
    struct p_state *s = d->state;
    uint8_t a = (uint8_t)(P_ADDR << 1);

    switch (ev) {
    case I2CEMU_EV_START_SEND:
        s->nin = 0;
        break;
    case I2CEMU_EV_START_RECV: {
        uint8_t bytes[4] = { a, s->in[0], a | 1, s->reg[s->in[0]] };

        s->out[0] = bytes[3];
        s->out[1] = i2cdev_pec(0, bytes, 4) ^ (s->corrupt ? 0xFF : 0);
        s->nout = 0;
        break;
    }
    case I2CEMU_EV_FINISH:
        if (s->nin == 2) /* no PEC */
            s->reg[s->in[0]] = s->in[1];
        s->nin = 0;
        break;
    case I2CEMU_EV_NACK:
    case I2CEMU_EV_DESELECT:
        break;
    }
    return I2CEMU_ACK;
}

static enum i2cemu_result p_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct p_state *s = d->state;

    if (s->nin >= sizeof s->in)
        return I2CEMU_NACK;
    s->in[s->nin++] = byte;
    if (s->nin == 3) {
        uint8_t covered[3] = { (uint8_t)(P_ADDR << 1), s->in[0], s->in[1] };

        if (i2cdev_pec(0, covered, 3) != byte)
            return I2CEMU_NACK;
        s->reg[s->in[0]] = s->in[1];
        s->nin = sizeof s->in; /* stored; nothing more to do at STOP */
    }
    return I2CEMU_ACK;
}

static uint8_t p_recv(struct i2cemu_dev *d)
{
    struct p_state *s = d->state;

    return s->nout < 2 ? s->out[s->nout++] : 0xFF;
}

static const struct i2cemu_device_type p_type = {
    .name = "test-p", .help = "PEC-checking SMBus device", .props = no_props,
    .fields = no_fields, .state_size = sizeof(struct p_state),
    .event = p_event, .send = p_send, .recv = p_recv,
};

/* K: SMBus block device; the command selects the answer. */
static enum i2cemu_result k_event(struct i2cemu_dev *d, enum i2cemu_event ev)
{
    struct k_state *s = d->state;
    uint8_t n;

    if (ev == I2CEMU_EV_START_SEND) {
        s->nin = 0;
    } else if (ev == I2CEMU_EV_START_RECV) {
        s->pos = 0;
        s->nout = 0;
        switch (s->in[0]) {
        case K_BLOCK_READ:
            s->out[s->nout++] = s->cnt;
            for (unsigned i = 1; i <= s->cnt && i <= 33; i++)
                s->out[s->nout++] = (uint8_t)(0xD0 + i);
            break;
        case K_PROC_CALL:
            s->out[s->nout++] = s->in[1] ^ 0xFF;
            s->out[s->nout++] = s->in[2] ^ 0xFF;
            break;
        case K_BLOCK_PROC:
            n = s->in[1];
            s->out[s->nout++] = n;
            for (unsigned i = 0; i < n; i++)
                s->out[s->nout++] = s->in[1 + n - i];
            break;
        }
    }
    return I2CEMU_ACK;
}

static enum i2cemu_result k_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct k_state *s = d->state;

    if (s->nin >= sizeof s->in)
        return I2CEMU_NACK;
    s->in[s->nin++] = byte;
    return I2CEMU_ACK;
}

static uint8_t k_recv(struct i2cemu_dev *d)
{
    struct k_state *s = d->state;

    return s->pos < s->nout ? s->out[s->pos++] : 0xFF;
}

static const struct i2cemu_device_type k_type = {
    .name = "test-k", .help = "SMBus block device", .props = no_props,
    .fields = no_fields, .state_size = sizeof(struct k_state),
    .event = k_event, .send = k_send, .recv = k_recv,
};

/* ---- the trace -------------------------------------------------------- */

static void tprintf(struct h *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void tprintf(struct h *h, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    h->tlen += (size_t)vsnprintf(h->trace + h->tlen, sizeof h->trace - h->tlen,
                                 fmt, ap);
    va_end(ap);
    assert_true(h->tlen < sizeof h->trace);
}

static void on_trace(void *opaque, unsigned bus, const struct i2cemu_trace_ev *ev)
{
    struct h *h = opaque;

    (void)bus;
    switch (ev->kind) {
    case I2CEMU_TRACE_START:
        tprintf(h, "%s%c 0x%02x:%s", h->in_xfer ? " ; " : "",
                ev->read ? 'R' : 'W', ev->addr,
                ev->ack == I2CEMU_NACK ? " NACK" : "");
        h->in_xfer = true;
        break;
    case I2CEMU_TRACE_BYTE:
        tprintf(h, " %02x%s", ev->byte,
                !ev->read && ev->ack == I2CEMU_NACK ? " NACK" : "");
        break;
    case I2CEMU_TRACE_STOP:
        tprintf(h, "\n");
        h->in_xfer = false;
        break;
    }
}

const char *h_trace(struct h *h)
{
    return h->trace;
}

void h_trace_clear(struct h *h)
{
    h->tlen = 0;
    h->trace[0] = '\0';
}

/* ---- client memory ------------------------------------------------------ */

static bool faults(uint64_t addr, size_t len)
{
    return len && addr < FAULT_BELOW;
}

static bool fetched(const struct h *h, uint64_t addr, size_t len)
{
    for (unsigned i = 0; i < h->nfetched; i++)
        if (addr >= h->fetched[i].addr &&
            addr + len <= h->fetched[i].addr + h->fetched[i].len)
            return true;
    return false;
}

static int umem_read(struct i2cemu_umem *m, uint64_t addr, void *dst,
                     size_t len)
{
    struct h *h = (struct h *)((char *)m - offsetof(struct h, umem));

    assert_true(len > 0); /* the layer skips empty copies */
    if (h->fetch ? !fetched(h, addr, len) : faults(addr, len))
        return h->fetch ? -EAGAIN : -EFAULT;
    memcpy(dst, (const void *)(uintptr_t)addr, len);
    return 0;
}

static bool write_faults(const struct h *h, uint64_t addr, size_t len)
{
    return faults(addr, len) ||
           (addr < h->ro_addr + h->ro_len && addr + len > h->ro_addr);
}

static void req_done(struct i2cemu_i2cdev_req *req)
{
    *(bool *)req->opaque = true;
}

/* The output regions a NEED declared, as CUSE declares them in its retry:
 * when the request succeeds, the final list must be the same (their data
 * pointers are the last pass's, and only that pass's count). */
static void check_declared(const struct i2cemu_i2cdev_req *req,
                           const struct i2cemu_i2cdev_out *declared, unsigned n)
{
    assert_int_equal(req->nout, n);
    for (unsigned i = 0; i < n; i++) {
        assert_true(req->out[i].addr == declared[i].addr);
        assert_int_equal(req->out[i].len, declared[i].len);
    }
}

static long run(struct h *h, struct i2cemu_i2cdev_file *f, struct i2cemu_i2cdev_req *req)
{
    enum i2cemu_i2cdev_status st;
    struct i2cemu_i2cdev_out declared[I2CEMU_I2CDEV_MAX_OUT];
    unsigned ndeclared = 0;
    long r;

    h->nfetched = 0;
    h->passes = 0;
    req->compat = h->compat;
    for (;;) {
        unsigned n;

        h->passes++;
        st = i2cemu_i2cdev_prepare(f, req, &h->umem);
        if (st != I2CEMU_I2CDEV_NEED)
            break;
        assert_true(h->fetch);
        assert_true(req->nneed >= 1 && req->nneed <= I2CEMU_I2CDEV_MAX_NEED);
        if (req->nout) {
            ndeclared = req->nout;
            memcpy(declared, req->out, req->nout * sizeof req->out[0]);
        }
        /* CUSE fetches every region at once, the preload shim `need`
         * only: the kernel copies them in, or fails the call. */
        n = h->fetch_one ? 1 : req->nneed;
        for (unsigned i = 0; i < n; i++) {
            assert_true(req->needs[i].len > 0);
            if (faults(req->needs[i].addr, req->needs[i].len)) {
                i2cemu_i2cdev_req_release(req);
                return -EFAULT;
            }
        }
        for (unsigned i = 0; i < n; i++) {
            assert_true(h->nfetched < MAX_FETCHED);
            h->fetched[h->nfetched].addr = (uintptr_t)req->needs[i].addr;
            h->fetched[h->nfetched++].len = req->needs[i].len;
        }
    }
    if (ndeclared && (st == I2CEMU_I2CDEV_SUBMIT || req->result >= 0))
        check_declared(req, declared, ndeclared);
    if (st == I2CEMU_I2CDEV_SUBMIT) {
        bool finished = false;

        req->opaque = &finished;
        i2cemu_i2cdev_submit(f, req, req_done);
        while (!finished)
            i2cemu_loop_run_once(h->loop, true);
    }
    /* As i2cdev.h says: write out[] in order, up to the first fault. */
    r = req->result;
    for (unsigned i = 0; i < req->nout && r >= 0; i++) {
        const struct i2cemu_i2cdev_out *o = &req->out[i];

        if (write_faults(h, o->addr, o->len))
            r = -EFAULT;
        else
            memcpy((void *)(uintptr_t)o->addr, o->data, o->len);
    }
    i2cemu_i2cdev_req_release(req);
    return r;
}

long h_ioctl_on(struct h *h, struct i2cemu_i2cdev_file *f, unsigned long cmd,
                uintptr_t arg)
{
    struct i2cemu_i2cdev_req req;

    i2cemu_i2cdev_req_init(&req, I2CEMU_I2CDEV_OP_IOCTL);
    req.cmd = cmd;
    req.arg = arg;
    return run(h, f, &req);
}

long h_ioctl(struct h *h, unsigned long cmd, uintptr_t arg)
{
    return h_ioctl_on(h, &h->f, cmd, arg);
}

long h_read(struct h *h, void *buf, size_t count)
{
    struct i2cemu_i2cdev_req req;

    i2cemu_i2cdev_req_init(&req, I2CEMU_I2CDEV_OP_READ);
    req.count = count;
    req.arg = (uintptr_t)buf;
    return run(h, &h->f, &req);
}

long h_write(struct h *h, const void *buf, size_t count)
{
    struct i2cemu_i2cdev_req req;

    /* wbuf stays NULL: the layer copies from req->arg through the umem,
     * so a bad buffer gives EFAULT at the kernel's point. */
    i2cemu_i2cdev_req_init(&req, I2CEMU_I2CDEV_OP_WRITE);
    req.count = count;
    req.arg = (uintptr_t)buf;
    return run(h, &h->f, &req);
}

long h_smbus(struct h *h, uint8_t rw, uint8_t cmd, uint32_t size, void *data)
{
    struct i2c_smbus_ioctl_data a = {
        .read_write = rw, .command = cmd, .size = size, .data = data,
    };
    struct { uint8_t rw, cmd; uint32_t size, data; } a32 = {
        rw, cmd, size, (uint32_t)(uintptr_t)data,
    };

    if (h->compat)
        return h_ioctl(h, I2C_SMBUS, (uintptr_t)&a32);
    return h_ioctl(h, I2C_SMBUS, (uintptr_t)&a);
}

long h_rdwr(struct h *h, struct i2c_msg *msgs, uint32_t nmsgs)
{
    struct i2c_rdwr_ioctl_data a = { .msgs = msgs, .nmsgs = nmsgs };

    return h_ioctl(h, I2C_RDWR, (uintptr_t)&a);
}

long h_read_byte_data(struct h *h, uint8_t reg)
{
    union i2c_smbus_data d;
    long r = h_smbus(h, I2C_SMBUS_READ, reg, I2C_SMBUS_BYTE_DATA, &d);

    return r < 0 ? r : d.byte;
}

long h_write_byte_data(struct h *h, uint8_t reg, uint8_t v)
{
    union i2c_smbus_data d = { .byte = v };

    return h_smbus(h, I2C_SMBUS_WRITE, reg, I2C_SMBUS_BYTE_DATA, &d);
}

long h_read_word(struct h *h, uint8_t reg)
{
    union i2c_smbus_data d;
    long r = h_smbus(h, I2C_SMBUS_READ, reg, I2C_SMBUS_WORD_DATA, &d);

    return r < 0 ? r : d.word;
}

long h_write_word(struct h *h, uint8_t reg, uint16_t v)
{
    union i2c_smbus_data d = { .word = v };

    return h_smbus(h, I2C_SMBUS_WRITE, reg, I2C_SMBUS_WORD_DATA, &d);
}

long h_send_byte(struct h *h, uint8_t v)
{
    return h_smbus(h, I2C_SMBUS_WRITE, v, I2C_SMBUS_BYTE, NULL);
}

long h_recv_byte(struct h *h)
{
    union i2c_smbus_data d;
    long r = h_smbus(h, I2C_SMBUS_READ, 0, I2C_SMBUS_BYTE, &d);

    return r < 0 ? r : d.byte;
}

/* ---- fixtures ------------------------------------------------------------ */

void *h_dev_state(struct h *h, uint16_t addr)
{
    int dev = i2cemu_device_find(h->b, h->bus, addr);

    assert_true(dev >= 0);
    return i2cemu_device_state(h->b, (unsigned)dev);
}

void h_open(struct h *h, struct i2cemu_i2cdev_file *f)
{
    assert_int_equal(i2cemu_i2cdev_open(f, h->b, i2cemu_bus_number(h->b, h->bus),
                                 O_RDWR), 0);
}

static struct h *h_new(int fetch)
{
    struct h *h = calloc(1, sizeof *h);

    assert_non_null(h);
    h->fetch = fetch != 0;
    h->fetch_one = fetch == FETCH_ONE;
    h->umem.read = umem_read;
    h->loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    assert_non_null(h->loop);
    h->b = i2cemu_board_new(h->loop);
    assert_non_null(h->b);
    return h;
}

static void add(struct h *h, const char *spec)
{
    struct i2cemu_error err = { "" };

    if (i2cemu_device_add(h->b, spec, &err) < 0)
        fail_msg("%s: %s", spec, err.msg);
}

static void add_custom(struct h *h, const struct i2cemu_device_type *t,
                       const char *spec)
{
    struct i2cemu_error err = { "" };

    if (i2cemu_device_add_custom(h->b, t, spec, &err) < 0)
        fail_msg("%s: %s", spec, err.msg);
}

static void finish_setup(struct h *h, int number)
{
    int bus = i2cemu_bus_find(h->b, number);

    assert_true(bus >= 0);
    h->bus = (unsigned)bus;
    i2cemu_bus_set_trace(h->b, h->bus, on_trace, h);
    h_open(h, &h->f);
}

static int i2c_fixture(void **state, int fetch)
{
    struct h *h = h_new(fetch);

    add_custom(h, &t_type, "addr=0x50,bus=1");
    add_custom(h, &p_type, "addr=0x51,bus=1");
    add_custom(h, &k_type, "addr=0x53,bus=1");
    finish_setup(h, 1);
    *state = h;
    return 0;
}

/* F-STUB: chips at 0x08, 0x33 (banked), 0x52 and 0x77. */
static void stub_bus(struct h *h)
{
    struct i2cemu_error err = { "" };

    if (i2cemu_bus_add_spec(h->b, "3 profile=stub funcs=0x0F7F0000", &err) < 0)
        fail_msg("bus: %s", err.msg);
    add(h, "regbank,addr=0x33,bus=3,bank_reg=0x4e,bank_mask=0x07,"
           "bank_start=0x50,bank_end=0x5f");
    add(h, "regbank,addr=0x77,bus=3");
}

static int stub_fixture(void **state, int fetch)
{
    struct h *h = h_new(fetch);

    stub_bus(h);
    add(h, "regbank,addr=0x08,bus=3");
    add(h, "regbank,addr=0x52,bus=3");
    finish_setup(h, 3);
    assert_int_equal(h_ioctl(h, I2C_SLAVE, 0x52), 0);
    *state = h;
    return 0;
}

/* F-BUSY: 0x52 has a driver bound, 0x08 is a client without one. */
static int busy_fixture(void **state, int fetch)
{
    struct h *h = h_new(fetch);

    stub_bus(h);
    add(h, "regbank,addr=0x08,bus=3,claim=client");
    add(h, "regbank,addr=0x52,bus=3,claim=driver");
    finish_setup(h, 3);
    *state = h;
    return 0;
}

int setup_i2c(void **state) { return i2c_fixture(state, 0); }
int setup_i2c_fetch(void **state) { return i2c_fixture(state, FETCH_ALL); }
int setup_i2c_fetch1(void **state) { return i2c_fixture(state, FETCH_ONE); }
int setup_stub(void **state) { return stub_fixture(state, 0); }
int setup_stub_fetch(void **state) { return stub_fixture(state, FETCH_ALL); }
int setup_stub_fetch1(void **state) { return stub_fixture(state, FETCH_ONE); }
int setup_busy(void **state) { return busy_fixture(state, 0); }
int setup_busy_fetch(void **state) { return busy_fixture(state, FETCH_ALL); }
int setup_busy_fetch1(void **state) { return busy_fixture(state, FETCH_ONE); }

int teardown(void **state)
{
    struct h *h = *state;

    i2cemu_board_free(h->b);
    i2cemu_loop_free(h->loop);
    free(h);
    return 0;
}
