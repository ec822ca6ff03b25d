// SPDX-License-Identifier: MIT
/* The test frontend and the fixtures of i2c-dev-abi.md section 8.0. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define FAULT_BELOW 4096u
#define FETCH_ALL 1 /* as CUSE: every region of a NEED at once */
#define FETCH_ONE 2 /* as the preload shim: `need` only */

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
    h->copies++;
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
    h->copies = 0;
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
            i2cemu_loop_run_once(h->bench.loop, true);
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
    int dev = i2cemu_device_find(h->bench.b, h->bus, addr);

    assert_true(dev >= 0);
    return i2cemu_device_state(h->bench.b, (unsigned)dev);
}

void h_open(struct h *h, struct i2cemu_i2cdev_file *f)
{
    assert_int_equal(i2cemu_i2cdev_open(f, h->bench.b,
                                        i2cemu_bus_number(h->bench.b, h->bus),
                                        O_RDWR), 0);
}

static struct h *h_new(int fetch)
{
    struct h *h = calloc(1, sizeof *h);

    assert_non_null(h);
    h->fetch = fetch != 0;
    h->fetch_one = fetch == FETCH_ONE;
    h->umem.read = umem_read;
    bench_init(&h->bench, I2CEMU_CLOCK_FAST);
    return h;
}

static void finish_setup(struct h *h, int number)
{
    h->bus = bench_bus(&h->bench, number);
    bench_trace_on(&h->bench);
    h_open(h, &h->f);
}

static int i2c_fixture(void **state, int fetch)
{
    struct h *h = h_new(fetch);

    bench_add_type(&h->bench, &test_reg, "addr=0x50,bus=1");
    bench_add_type(&h->bench, &test_pec, "addr=0x51,bus=1");
    bench_add_type(&h->bench, &test_block, "addr=0x53,bus=1");
    finish_setup(h, 1);
    *state = h;
    return 0;
}

/* F-STUB: chips at 0x08, 0x33 (banked), 0x52 and 0x77. */
static void stub_bus(struct h *h)
{
    if (i2cemu_bus_add_spec(h->bench.b, "3 profile=stub funcs=0x0F7F0000",
                            &h->bench.err) < 0)
        fail_msg("bus: %s", h->bench.err.msg);
    bench_add(&h->bench, "regbank,addr=0x33,bus=3,bank_reg=0x4e,"
                         "bank_mask=0x07,bank_start=0x50,bank_end=0x5f");
    bench_add(&h->bench, "regbank,addr=0x77,bus=3");
}

static int stub_fixture(void **state, int fetch)
{
    struct h *h = h_new(fetch);

    stub_bus(h);
    bench_add(&h->bench, "regbank,addr=0x08,bus=3");
    bench_add(&h->bench, "regbank,addr=0x52,bus=3");
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
    bench_add(&h->bench, "regbank,addr=0x08,bus=3,claim=client");
    bench_add(&h->bench, "regbank,addr=0x52,bus=3,claim=driver");
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

    bench_fini(&h->bench);
    free(h);
    return 0;
}
