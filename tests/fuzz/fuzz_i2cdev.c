/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the i2c-dev layer (include/i2cemu/i2cdev.h): the
 * input is a fake client memory and a list of operations (ioctl, read,
 * write, fault injection) on files open on an i2c-profile bus and a
 * stub-profile bus. Each operation runs the whole request cycle as a
 * frontend would: prepare against a umem reader (eager, or lazy like the
 * socket server: -EAGAIN, fetch `need`, prepare again), submit, run the
 * FAST loop to completion, write the out regions back.
 *
 * Invariants checked on every request:
 *  - NEED only from a lazy reader, with 0 < need.len <= 8192, at most 64
 *    rounds, and nothing changed by a pass that ends in NEED (decoding
 *    has no side effects: the file and the board arena are as they were);
 *  - a request answered without a transfer (DONE: I2C_SLAVE, I2C_FUNCS,
 *    any failure before the bus) leaves every device's state as it was;
 *  - the result is >= 0 and the expected value for the op, or a negative
 *    errno from the set the ABI allows; nothing to write back after a
 *    failure;
 *  - out regions: at most I2CEMU_I2CDEV_MAX_OUT, 1..8192 bytes each, their data
 *    readable, and each one at an address the client gave (the ioctl
 *    argument, read()'s buffer, or a pointer inside memory the layer
 *    read);
 *  - a submitted transfer completes (the done callback runs exactly once)
 *    within a bounded number of loop iterations;
 *  - every bus trace event is well formed (kind, ACK, a 7- or 10-bit
 *    address);
 *  - no leak (LeakSanitizer), no memory error (ASan), no UB (UBSan).
 *
 * Input: [flags][nregions][regions: base, len, bytes]... then operations.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/i2c-dev.h>

#include "fuzz_common.h"

#define NREG_MAX   4
#define REG_LEN    1024u
#define MAX_OPS    24
#define MAX_FETCH  64   /* the socket server's MAX_REGIONS */
#define MAX_ROUNDS (MAX_FETCH + 2)
#define MAX_READS  64

struct region {
    uint64_t addr;
    uint32_t len;
    uint8_t *data; /* malloc'ed exactly len (ASan guards both ends) */
};

struct fetched {
    uint64_t addr;
    uint32_t len;
    bool fault;
};

struct mem {
    struct i2cemu_umem umem; /* first: container */
    struct region reg[NREG_MAX];
    unsigned nreg;
    bool lazy;
    struct fetched got[MAX_FETCH + 8];
    unsigned ngot;
    /* Successful reads of the current request, for the out-address check. */
    struct { uint64_t addr; uint32_t len; } reads[MAX_READS];
    unsigned nreads;
    unsigned calls;
};

static const struct region *find_region(const struct mem *m, uint64_t addr,
                                        size_t len)
{
    for (unsigned i = 0; i < m->nreg; i++) {
        const struct region *r = &m->reg[i];
        if (addr >= r->addr && len <= r->len && addr - r->addr <= r->len - len)
            return r;
    }
    return NULL;
}

static int mem_read(struct i2cemu_umem *u, uint64_t addr, void *dst,
                    size_t len)
{
    struct mem *m = (struct mem *)u;
    const struct region *r;

    m->calls++;
    FUZZ_CHECK(len > 0 && len <= 65536, "umem read of %zu bytes", len);
    FUZZ_CHECK(dst != NULL, "umem read into NULL");
    if (m->lazy) {
        /* As the socket server: served from fetched copies; a fault is
         * known for the exact range that was asked for. */
        bool have = false;
        for (unsigned i = 0; i < m->ngot; i++) {
            const struct fetched *g = &m->got[i];
            if (g->fault) {
                if (g->addr == addr && g->len == len)
                    return -EFAULT;
            } else if (addr >= g->addr && len <= g->len &&
                       addr - g->addr <= g->len - len) {
                have = true;
                break;
            }
        }
        if (!have)
            return -EAGAIN;
    }
    r = find_region(m, addr, len);
    if (!r)
        return -EFAULT;
    /* Touch every destination byte so ASan checks the layer's buffer. */
    memcpy(dst, r->data + (addr - r->addr), len);
    if (m->nreads < MAX_READS) {
        m->reads[m->nreads].addr = addr;
        m->reads[m->nreads].len = (uint32_t)len;
        m->nreads++;
    }
    return 0;
}

/* Is `a` a pointer the client handed over: inside the bytes the layer
 * read (a 64-bit or, for a 32-bit caller, 32-bit field)? */
static bool client_pointer(const struct mem *m, uint64_t a, bool compat)
{
    for (unsigned i = 0; i < m->nreads; i++) {
        const struct region *r = find_region(m, m->reads[i].addr,
                                             m->reads[i].len);
        const uint8_t *p = r->data + (m->reads[i].addr - r->addr);
        for (uint32_t off = 0; off + 4 <= m->reads[i].len; off += 4) {
            uint64_t v64 = 0;
            uint32_t v32;
            memcpy(&v32, p + off, 4);
            if (compat && v32 == a)
                return true;
            if (!compat && off + 8 <= m->reads[i].len) {
                memcpy(&v64, p + off, 8);
                if (v64 == a)
                    return true;
            }
        }
    }
    return false;
}

/* ---- one request ---------------------------------------------------- */

static struct i2cemu_board *board;
static struct i2cemu_loop *loop;
static int done_count;

static void on_done(struct i2cemu_i2cdev_req *req)
{
    (void)req;
    done_count++;
}

/* The bus trace: every event well formed, on a bus of the board. */
static void on_trace(void *opaque, unsigned bus,
                     const struct i2cemu_trace_ev *ev)
{
    (void)opaque;
    FUZZ_CHECK(bus < i2cemu_bus_count(board), "trace on bus %u", bus);
    FUZZ_CHECK(ev->kind <= I2CEMU_TRACE_STOP, "trace kind %d", ev->kind);
    FUZZ_CHECK(ev->ack == I2CEMU_ACK || ev->ack == I2CEMU_NACK, "trace ack %d",
               ev->ack);
    FUZZ_CHECK(ev->addr <= (ev->tenbit ? 0x3FF : 0x7F), "trace addr 0x%x",
               ev->addr);
}

static bool allowed_errno(int e, bool cancelled)
{
    switch (e) {
    case EINVAL: case EFAULT: case ENOTTY: case EBADF: case EBUSY:
    case ENXIO: case ENODEV: case EREMOTEIO: case EIO: case EPROTO:
    case EOPNOTSUPP: case ENOMEM: case ETIMEDOUT: case EAGAIN:
    case EBADMSG:
        return true;
    case ECANCELED:
        return cancelled;
    }
    return false;
}

static void check_outs(const struct mem *m, const struct i2cemu_i2cdev_req *req)
{
    FUZZ_CHECK(req->nout <= I2CEMU_I2CDEV_MAX_OUT, "nout %u", req->nout);
    for (unsigned i = 0; i < req->nout; i++) {
        const struct i2cemu_i2cdev_out *o = &req->out[i];
        volatile uint8_t sink = 0;

        FUZZ_CHECK(o->len >= 1 && o->len <= 8192, "out[%u].len %u", i, o->len);
        FUZZ_CHECK(o->data != NULL, "out[%u].data NULL", i);
        for (uint32_t k = 0; k < o->len; k++) /* ASan: readable */
            sink ^= o->data[k];
        (void)sink;
        switch (req->op) {
        case I2CEMU_I2CDEV_OP_READ:
            FUZZ_CHECK(i == 0 && o->addr == req->arg,
                       "read: out[%u] at 0x%llx, buffer 0x%llx", i,
                       (unsigned long long)o->addr,
                       (unsigned long long)req->arg);
            FUZZ_CHECK(o->len == (req->count < 8192 ? req->count : 8192),
                       "read: out len %u for count %zu", o->len, req->count);
            break;
        case I2CEMU_I2CDEV_OP_WRITE:
            FUZZ_CHECK(0, "write() declared an out region");
            break;
        case I2CEMU_I2CDEV_OP_IOCTL:
            FUZZ_CHECK(o->addr == req->arg ||
                           client_pointer(m, o->addr, req->compat),
                       "ioctl 0x%lx: out[%u] at 0x%llx (%u bytes) is no "
                       "address the client gave", req->cmd, i,
                       (unsigned long long)o->addr, o->len);
            if ((unsigned)req->cmd == I2C_SMBUS)
                FUZZ_CHECK(o->len <= sizeof(union i2c_smbus_data),
                           "smbus out len %u", o->len);
            break;
        }
    }
}

/* The frontend's write-back: regions inside client memory are copied. */
static void write_back(struct mem *m, const struct i2cemu_i2cdev_req *req)
{
    for (unsigned i = 0; i < req->nout; i++) {
        const struct i2cemu_i2cdev_out *o = &req->out[i];
        const struct region *r = find_region(m, o->addr, o->len);
        if (r)
            memcpy(r->data + (o->addr - r->addr), o->data, o->len);
    }
}

static void check_result(const struct i2cemu_i2cdev_req *req, bool cancelled)
{
    int r = req->result;

    if (r < 0) {
        FUZZ_CHECK(allowed_errno(-r, cancelled), "errno %d (op %d cmd 0x%lx)",
                   -r, req->op, req->cmd);
        FUZZ_CHECK(req->nout == 0, "nout %u after error %d", req->nout, r);
        return;
    }
    size_t clamp = req->count < 8192 ? req->count : 8192;
    switch (req->op) {
    case I2CEMU_I2CDEV_OP_READ:
    case I2CEMU_I2CDEV_OP_WRITE:
        FUZZ_CHECK((size_t)r == clamp, "read/write of %zu returned %d",
                   req->count, r);
        break;
    case I2CEMU_I2CDEV_OP_IOCTL:
        if ((unsigned)req->cmd == I2C_RDWR)
            FUZZ_CHECK(r >= 1 && r <= I2C_RDWR_IOCTL_MAX_MSGS, "rdwr %d", r);
        else
            FUZZ_CHECK(r == 0, "ioctl 0x%lx returned %d", req->cmd, r);
        break;
    }
}

static void run_request(struct i2cemu_i2cdev_file *f, struct mem *m,
                        struct i2cemu_i2cdev_req *req, bool cancel)
{
    enum i2cemu_i2cdev_status st;
    unsigned rounds = 0;
    /* A request answered without a transfer (DONE) puts nothing on the
     * bus: every device must be as it was. */
    const size_t hdr = sizeof(struct i2cemu_arena);
    size_t states_len = board->a->size - hdr;
    uint8_t *states = malloc(states_len);

    FUZZ_CHECK(states, "malloc");
    memcpy(states, (const uint8_t *)board->a + hdr, states_len);
    m->ngot = 0;
    /* The reads of every pass: after NEED, a pass continues the request
     * (i2cdev.h), so the last one may not read the argument again. */
    m->nreads = 0;
    for (;;) {
        struct i2cemu_i2cdev_file before = *f;
        struct arena_snap snap;

        /* Only a lazy reader can end a pass in NEED. */
        snap.bytes = NULL;
        if (m->lazy)
            arena_snap_take(board, &snap);
        m->calls = 0;
        st = i2cemu_i2cdev_prepare(f, req, &m->umem);
        if (st != I2CEMU_I2CDEV_NEED) {
            arena_snap_free(&snap);
            break;
        }
        FUZZ_CHECK(m->lazy, "NEED from an eager reader");
        FUZZ_CHECK(memcmp(&before, f, sizeof before) == 0,
                   "a pass ending in NEED changed the file");
        const char *diff = arena_snap_diff(board, &snap);
        FUZZ_CHECK(!diff, "a pass ending in NEED changed the board: %s", diff);
        arena_snap_free(&snap);
        FUZZ_CHECK(req->need.len >= 1 && req->need.len <= 8192,
                   "need.len %u", req->need.len);
        FUZZ_CHECK(++rounds <= MAX_ROUNDS, "more than %d NEED rounds",
                   MAX_ROUNDS);
        if (m->ngot == MAX_FETCH) { /* the socket server gives up here */
            i2cemu_i2cdev_req_release(req);
            free(states);
            return;
        }
        /* Fetch it, or learn that it faults. */
        m->got[m->ngot++] = (struct fetched){
            req->need.addr, req->need.len,
            !find_region(m, req->need.addr, req->need.len) };
    }

    FUZZ_CHECK(board->a->size == hdr + states_len, "the arena changed size");
    if (st == I2CEMU_I2CDEV_DONE)
        FUZZ_CHECK(memcmp(states, (const uint8_t *)board->a + hdr,
                          states_len) == 0,
                   "op %d cmd 0x%lx (result %d) changed a device without a "
                   "transfer", req->op, req->cmd, req->result);
    free(states);
    if (st == I2CEMU_I2CDEV_DONE) {
        check_result(req, false);
        check_outs(m, req);
        write_back(m, req);
        i2cemu_i2cdev_req_release(req);
        return;
    }
    FUZZ_CHECK(st == I2CEMU_I2CDEV_SUBMIT, "prepare returned %d", st);
    check_outs(m, req);
    done_count = 0;
    i2cemu_i2cdev_submit(f, req, on_done);
    bool cancelled = false;
    if (cancel && done_count == 0) {
        i2cemu_i2cdev_cancel(req);
        cancelled = true;
    }
    for (int i = 0; i < 10000 && done_count == 0; i++)
        i2cemu_loop_run_once(loop, false);
    FUZZ_CHECK(done_count == 1, "done ran %d times", done_count);
    /* Nothing may still be running on the loop for this request. */
    for (int i = 0; i < 4; i++)
        i2cemu_loop_run_once(loop, false);
    FUZZ_CHECK(done_count == 1, "done ran again (%d)", done_count);
    check_result(req, cancelled);
    check_outs(m, req);
    write_back(m, req);
    i2cemu_i2cdev_req_release(req);
}

/* ---- decoding the input --------------------------------------------- */

static const uint32_t cmds[] = {
    I2C_RETRIES, I2C_TIMEOUT, I2C_SLAVE, I2C_SLAVE_FORCE, I2C_TENBIT,
    I2C_FUNCS, I2C_RDWR, I2C_PEC, I2C_SMBUS,
};
#define NCMDS (sizeof cmds / sizeof cmds[0])

static uint64_t pick_addr(struct fin *in, const struct mem *m)
{
    uint8_t a = fin_u8(in);
    const struct region *r = &m->reg[(a >> 2) % m->nreg];

    switch (a & 3) {
    case 0:
        return r->addr;
    case 1:
        return r->addr + fin_u16(in) % (REG_LEN + 64);
    case 2:
        return fin_u8(in); /* small integers, and NULL */
    default:
        return fin_u64(in);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin in = { data, size };
    struct mem m = { .umem = { mem_read } };
    struct i2cemu_i2cdev_file files[4];
    static const struct { int bus, flags; } fdef[4] = {
        { FUZZ_BUS_I2C, O_RDWR }, { FUZZ_BUS_STUB, O_RDWR },
        { FUZZ_BUS_I2C, O_RDONLY }, { FUZZ_BUS_STUB, O_WRONLY },
    };
    static struct i2cemu_i2cdev_req req; /* 2.5 KiB: not on the stack */

    if (size > 16384)
        return -1;
    loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    board = fuzz_board_new(loop);
    /* Command-based sensors, the sht3x on the async (send_async) path;
     * here only, as the FAST clock ends every stretch at once. Then
     * models with protocols of their own: opcodes, a FIFO register, and
     * PMBus parts (byte-wise commands, PEC and page checking). */
    static const char *const sensors[] = {
        "sht3x,addr=0x44", "sts3x,addr=0x4a", "bme280,addr=0x76",
        "bmp280,addr=0x77",
        "ssd1306,addr=0x3c", /* a command stream, not a register file */
        "bh1750,addr=0x5c", "mpu6050,addr=0x68",
        "pmbus,addr=0x40", "max34451,addr=0x4e",
    };
    for (size_t i = 0; i < sizeof sensors / sizeof sensors[0]; i++) {
        struct i2cemu_error err = { "" };
        FUZZ_CHECK(i2cemu_device_add(board, sensors[i], &err) >= 0, "%s: %s",
                   sensors[i], err.msg);
    }
    for (unsigned i = 0; i < i2cemu_bus_count(board); i++)
        i2cemu_bus_set_trace(board, i, on_trace, NULL);
    for (int i = 0; i < 4; i++)
        FUZZ_CHECK(i2cemu_i2cdev_open(&files[i], board, fdef[i].bus,
                               fdef[i].flags) == 0, "open");

    uint8_t flags = fin_u8(&in);
    m.lazy = flags & 1;
    m.nreg = 1 + fin_u8(&in) % NREG_MAX;
    for (unsigned i = 0; i < m.nreg; i++) {
        struct region *r = &m.reg[i];
        uint8_t b = fin_u8(&in);
        /* Small bases the fuzzer can spell, one above 4 GiB (truncated
         * by a 32-bit caller), and the top of the address space. */
        static const uint64_t bases[4] = { 0x1000, 0x2000, 0x100003000ull,
                                           0xFFFFFFFFFFFFF000ull };
        r->addr = bases[b & 3] + (uint64_t)(i << 8);
        r->len = 1 + fin_u16(&in) % REG_LEN;
        r->data = calloc(1, r->len);
        FUZZ_CHECK(r->data, "calloc");
        fin_bytes(&in, r->data, r->len);
    }

    for (int op = 0; op < MAX_OPS && in.n; op++) {
        uint8_t k = fin_u8(&in);
        struct i2cemu_i2cdev_file *f = &files[(k >> 2) & 3];
        bool cancel = k & 0x40;
        uint8_t *wbuf = NULL;

        if (k & 0x20)
            m.lazy = !m.lazy;
        switch (k & 3) {
        case 0: { /* ioctl */
            uint8_t c = fin_u8(&in);
            i2cemu_i2cdev_req_init(&req, I2CEMU_I2CDEV_OP_IOCTL);
            req.cmd = c < 0xF0 ? cmds[c % NCMDS] : (unsigned long)fin_u64(&in);
            req.compat = (k & 0x10) != 0;
            req.arg = pick_addr(&in, &m);
            break;
        }
        case 1: /* read */
            i2cemu_i2cdev_req_init(&req, I2CEMU_I2CDEV_OP_READ);
            req.count = fin_u16(&in);
            req.arg = pick_addr(&in, &m);
            break;
        case 2: /* write */
            i2cemu_i2cdev_req_init(&req, I2CEMU_I2CDEV_OP_WRITE);
            req.count = fin_u16(&in);
            req.arg = pick_addr(&in, &m);
            if (k & 0x80) { /* the frontend copied the bytes itself */
                size_t n = req.count < 8192 ? req.count : 8192;
                wbuf = calloc(1, n ? n : 1);
                FUZZ_CHECK(wbuf, "calloc");
                fin_bytes(&in, wbuf, n);
                req.wbuf = wbuf;
            }
            break;
        default: { /* fault injection on the file's bus */
            uint8_t w = fin_u8(&in);
            if ((w & 0xF0) == 0xF0)
                i2cemu_bus_reset(board, f->bus);
            else if (w & 1)
                i2cemu_bus_inject_hold(board, f->bus,
                                       (uint64_t)fin_u16(&in) * 1000u);
            else
                i2cemu_bus_inject_arbitration_loss(board, f->bus,
                                                   (w >> 1) & 7);
            continue;
        }
        }
        run_request(f, &m, &req, cancel);
        free(wbuf);
    }

    i2cemu_board_free(board);
    i2cemu_loop_free(loop);
    for (unsigned i = 0; i < m.nreg; i++)
        free(m.reg[i].data);
    board = NULL;
    loop = NULL;
    return 0;
}
