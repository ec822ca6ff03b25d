/* SPDX-License-Identifier: MIT */
/* The shared arena (core/share.h, docs/fastpath.md): a client board in a
 * forked child runs transfers on a bus the daemon's loop lends while it
 * waits; eligibility, recovery from a client that dies holding a bus,
 * and re-attaching when the board changes shape. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/i2c-dev.h>
#include <linux/i2c.h>

#include <i2cemu/fault.h>
#include <i2cemu/i2cemu.h>

#include "core/board_internal.h"
#include "core/share.h"
#include "testdevs.h"

struct daemon {
    struct i2cemu_loop *loop;
    struct i2cemu_board *b;
    struct i2cemu_i2cdev_file f;
    struct i2cemu_error err;
    /* libuv runs no turn of a loop with nothing to watch: a socket
     * server's watches, here a pipe. */
    int pipe[2];
    struct i2cemu_watch *watch;
};

static void never(struct i2cemu_watch *w, int fd, int revents, void *opaque)
{
    (void)w;
    (void)fd;
    (void)revents;
    (void)opaque;
}

static void daemon_init(struct daemon *d, enum i2cemu_clock_mode mode)
{
    struct i2cemu_bus_config cfg = I2CEMU_BUS_CONFIG_DEFAULT;

    memset(d, 0, sizeof *d);
    d->loop = i2cemu_loop_new(mode);
    d->b = i2cemu_board_new(d->loop);
    cfg.number = 1;
    assert_int_equal(i2cemu_bus_add(d->b, &cfg, &d->err), 0);
    assert_true(i2cemu_device_add(d->b, "24c02,addr=0x50", &d->err) >= 0);
    assert_int_equal(share_enable(d->b, &d->err), 0);
    share_peer_add(d->b); /* as the socket server does for a client */
    assert_int_equal(i2cemu_i2cdev_open(&d->f, d->b, 1, O_RDWR), 0);
    assert_int_equal(pipe(d->pipe), 0);
    d->watch = i2cemu_watch_new(d->loop, d->pipe[0], POLLIN, never, NULL);
}

static void daemon_fini(struct daemon *d)
{
    i2cemu_watch_free(d->watch);
    close(d->pipe[0]);
    close(d->pipe[1]);
    i2cemu_board_free(d->b);
    i2cemu_loop_free(d->loop);
}

/* One turn of the daemon's loop: it lends what is eligible, then takes
 * it back. Whether root bus 0 was lent. */
static bool lent_once(struct daemon *d)
{
    i2cemu_loop_run_once(d->loop, false);
    return share_ctrl_of(d->b)->bus[0].eligible;
}

static int daemon_byte(struct daemon *d, uint8_t reg)
{
    assert_int_equal(i2cemu_smbus_set_addr(&d->f, 0x50), 0);
    return i2cemu_smbus_read_byte_data(&d->f, reg);
}

/* ---- the child: a client ----------------------------------------------- */

static int self_read(struct i2cemu_umem *m, uint64_t addr, void *dst,
                     size_t len)
{
    (void)m;
    memcpy(dst, (const void *)(uintptr_t)addr, len);
    return 0;
}

/* An ioctl on the client board, retried for up to 2 s while the bus is
 * not lent: the result, or -ETIME if it never was. */
static long client_ioctl(struct share_client *c, struct i2cemu_i2cdev_file *f,
                         unsigned long cmd, void *arg)
{
    struct i2cemu_umem umem = { self_read };

    for (int tries = 0; tries < 2000; tries++) {
        struct i2cemu_i2cdev_req req;
        long r;

        i2cemu_i2cdev_req_init(&req, I2CEMU_I2CDEV_OP_IOCTL);
        req.cmd = cmd;
        req.arg = (uintptr_t)arg;
        switch (i2cemu_i2cdev_prepare(f, &req, &umem)) {
        case I2CEMU_I2CDEV_SUBMIT:
            if (!share_client_run(c, f, &req)) {
                i2cemu_i2cdev_req_release(&req);
                nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
                continue;
            }
            /* fall through */
        case I2CEMU_I2CDEV_DONE:
            r = req.result;
            for (unsigned i = 0; i < req.nout && r >= 0; i++)
                memcpy((void *)(uintptr_t)req.out[i].addr, req.out[i].data,
                       req.out[i].len);
            i2cemu_i2cdev_req_release(&req);
            return r;
        case I2CEMU_I2CDEV_NEED:
            return -EPROTO;
        }
    }
    return -ETIME;
}

static long client_smbus(struct share_client *c, struct i2cemu_i2cdev_file *f,
                         char rw, uint8_t reg, union i2c_smbus_data *data)
{
    struct i2c_smbus_ioctl_data a = { rw, reg, I2C_SMBUS_BYTE_DATA, data };

    return client_ioctl(c, f, I2C_SMBUS, &a);
}

/* A child process attached to d's arena, which reports to the parent
 * through `to_parent` and waits for it on `from_parent`. */
struct child {
    pid_t pid;
    int to_parent[2], from_parent[2];
};

static void child_fork(struct child *k)
{
    assert_int_equal(pipe(k->to_parent), 0);
    assert_int_equal(pipe(k->from_parent), 0);
    k->pid = fork();
    assert_true(k->pid >= 0);
}

static void child_say(struct child *k, long v)
{
    if (write(k->to_parent[1], &v, sizeof v) != sizeof v)
        _exit(3);
}

static void child_wait(struct child *k)
{
    char go;

    if (read(k->from_parent[0], &go, 1) != 1)
        _exit(4);
}

/* Parent: run the loop (lending) until the child says something. */
static long parent_hear(struct daemon *d, struct child *k)
{
    struct pollfd p = { k->to_parent[0], POLLIN, 0 };
    long v = -1;

    /* The loop waits with the buses lent; each turn takes them back. */
    while (poll(&p, 1, 0) == 0)
        i2cemu_loop_run_once(d->loop, false);
    assert_int_equal(read(k->to_parent[0], &v, sizeof v), sizeof v);
    return v;
}

static void parent_go(struct child *k)
{
    assert_int_equal(write(k->from_parent[1], "g", 1), 1);
}

static int parent_reap(struct child *k)
{
    int st;

    assert_int_equal(waitpid(k->pid, &st, 0), k->pid);
    for (int i = 0; i < 2; i++) {
        close(k->to_parent[i]);
        close(k->from_parent[i]);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static struct share_client *child_attach(struct daemon *d,
                                         struct i2cemu_i2cdev_file *f)
{
    struct share_client *c =
        share_client_attach(share_fd(d->b), &i2cemu_default_types);

    if (!c || i2cemu_i2cdev_open(f, share_client_board(c), 1, O_RDWR) != 0)
        _exit(2);
    f->addr = 0x50;
    return c;
}

/* In a child: attach to d's arena unless *c is attached, make one SMBus
 * byte-data request at f's address (a write of `value`, or a read), and
 * say its result to the parent: the byte read, 0 for a write, or the
 * error. */
static void child_smbus(struct daemon *d, struct child *k,
                        struct share_client **c, struct i2cemu_i2cdev_file *f,
                        char rw, uint8_t reg, uint8_t value)
{
    union i2c_smbus_data v = { .byte = value };
    long r;

    if (!*c)
        *c = child_attach(d, f);
    r = client_smbus(*c, f, rw, reg, &v);
    child_say(k, r < 0 || rw == I2C_SMBUS_WRITE ? r : v.byte);
}

/* ---- tests --------------------------------------------------------------- */

static void a_client_write_is_seen_by_the_daemon(void **state)
{
    (void)state;
    struct daemon d;
    struct child k;

    daemon_init(&d, I2CEMU_CLOCK_FAST);
    uint64_t t0 = i2cemu_loop_now(d.loop);
    child_fork(&k);
    if (k.pid == 0) {
        struct i2cemu_i2cdev_file f;
        struct share_client *c = NULL;

        child_smbus(&d, &k, &c, &f, I2C_SMBUS_WRITE, 0x10, 0xab);
        child_smbus(&d, &k, &c, &f, I2C_SMBUS_READ, 0x10, 0);
        _exit(0);
    }
    assert_int_equal(parent_hear(&d, &k), 0);
    assert_int_equal(parent_hear(&d, &k), 0xab);
    assert_int_equal(parent_reap(&k), 0);
    /* In the arena the daemon serves: and the client's bus time is the
     * board's now. */
    assert_int_equal(daemon_byte(&d, 0x10), 0xab);
    assert_true(i2cemu_loop_now(d.loop) > t0);
    assert_int_equal(share_ctrl_of(d.b)->recoveries, 0);
    daemon_fini(&d);
}

static void trace_fn(void *opaque, unsigned bus, const struct i2cemu_trace_ev *ev)
{
    (void)opaque;
    (void)bus;
    (void)ev;
}

static void xfer_done(struct i2cemu_transfer *t)
{
    *(bool *)t->opaque = true;
}

static void eligibility_follows_the_bus(void **state)
{
    (void)state;
    struct daemon d;

    daemon_init(&d, I2CEMU_CLOCK_FAST);
    assert_true(lent_once(&d));

    i2cemu_bus_set_trace(d.b, 0, trace_fn, NULL);
    assert_false(lent_once(&d));
    i2cemu_bus_set_trace(d.b, 0, NULL, NULL);
    assert_true(lent_once(&d));

    int rule = i2cemu_fault_add(d.b, "addr-nack,dev=1-0050", &d.err);
    assert_true(rule > 0);
    assert_false(lent_once(&d));
    assert_int_equal(i2cemu_fault_del(d.b, (unsigned)rule), 0);
    assert_true(lent_once(&d));

    /* A device with priv and a timer (the LM75's alert). */
    int lm = i2cemu_device_add(d.b, "lm75,addr=0x48", &d.err);
    assert_true(lm >= 0);
    assert_false(lent_once(&d));
    assert_int_equal(i2cemu_device_remove(d.b, (unsigned)lm, &d.err), 0);
    assert_true(lent_once(&d));

    /* A transfer on the bus: a (test-only) client-safe device stretching
     * the clock until it is aborted. */
    struct i2cemu_device_type stretch = test_stretch;
    stretch.name = "safe-stretch";
    stretch.flags |= I2CEMU_TYPE_CLIENT_SAFE;
    stretch.realize = NULL; /* its timer: unused when it never ACKs */
    stretch.unrealize = NULL;
    assert_true(i2cemu_device_add_custom(d.b, &stretch,
                                         "addr=0x20,delay-us=0", &d.err) >= 0);
    assert_true(lent_once(&d));
    uint8_t byte = 0x42;
    bool done = false;
    struct i2c_msg msg = { .addr = 0x20, .len = 1, .buf = &byte };
    struct i2cemu_transfer t = { .msgs = &msg, .nmsgs = 1,
                                 .done = xfer_done, .opaque = &done };
    i2cemu_transfer_submit(d.b, 0, &t);
    assert_false(done);
    assert_false(lent_once(&d));
    i2cemu_transfer_abort(&t);
    assert_true(done);
    assert_true(lent_once(&d));
    daemon_fini(&d);
}

/* A CUSE reader's round: enter the engine, leave it, wake the loop. */
static void *reader_round(void *opaque)
{
    struct daemon *d = opaque;

    i2cemu_loop_enter(d->loop);
    i2cemu_loop_leave(d->loop);
    if (write(d->pipe[1], "r", 1) != 1)
        return opaque;
    return NULL;
}

/* Nothing is lent while no client was given the memfd, and lending
 * starts again when one comes, after another thread ran the engine (a
 * CUSE reader) meanwhile: a client attached then runs on the bus. */
static void lending_follows_the_peers(void **state)
{
    (void)state;
    struct daemon d;
    struct child k;

    daemon_init(&d, I2CEMU_CLOCK_FAST);
    assert_true(lent_once(&d));
    share_peer_add(d.b);
    share_peer_remove(d.b);
    assert_true(lent_once(&d)); /* one peer left */
    share_peer_remove(d.b);
    assert_false(lent_once(&d));
    child_fork(&k);
    if (k.pid == 0) {
        struct share_ctrl *ctrl = share_ctrl_of(d.b);
        struct i2cemu_i2cdev_file f;
        struct share_client *c = child_attach(&d, &f);
        union i2c_smbus_data v = { .byte = 0x3c };
        long got = 0;

        /* The parent turns its loop meanwhile: the bus stays its own. */
        for (int i = 0; i < 100 && !got; i++) {
            if (pthread_mutex_trylock(&ctrl->bus[0].lock) == 0) {
                pthread_mutex_unlock(&ctrl->bus[0].lock);
                got = 1;
            }
            nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
        }
        child_say(&k, got);
        child_wait(&k);
        child_say(&k, client_smbus(c, &f, I2C_SMBUS_WRITE, 0x30, &v));
        _exit(0);
    }
    assert_int_equal(parent_hear(&d, &k), 0);
    pthread_t reader;
    void *failed;
    assert_int_equal(i2cemu_loop_threads_enable(d.loop), 0);
    assert_int_equal(pthread_create(&reader, NULL, reader_round, &d), 0);
    i2cemu_loop_run_once(d.loop, true); /* until the reader's byte */
    assert_int_equal(pthread_join(reader, &failed), 0);
    assert_null(failed);
    share_peer_add(d.b);
    parent_go(&k);
    assert_int_equal(parent_hear(&d, &k), 0);
    assert_int_equal(parent_reap(&k), 0);
    assert_int_equal(daemon_byte(&d, 0x30), 0x3c);
    daemon_fini(&d);
}

/* A realtime clock is never lent: clients could not keep its pace. */
static void a_realtime_board_is_not_lent(void **state)
{
    (void)state;
    struct daemon d;

    daemon_init(&d, I2CEMU_CLOCK_REALTIME);
    assert_false(lent_once(&d));
    daemon_fini(&d);
}

static void a_client_dying_inside_is_recovered(void **state)
{
    (void)state;
    struct daemon d;
    struct child k;

    daemon_init(&d, I2CEMU_CLOCK_FAST);
    child_fork(&k);
    if (k.pid == 0) {
        struct share_ctrl *ctrl = share_ctrl_of(d.b);
        struct i2cemu_i2cdev_file f;
        struct share_client *c = child_attach(&d, &f);
        (void)c;

        /* Wait for the bus to be lent, take it, and die with it. */
        while (!__atomic_load_n(&ctrl->bus[0].eligible, __ATOMIC_ACQUIRE) ||
               pthread_mutex_trylock(&ctrl->bus[0].lock) != 0)
            nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
        child_say(&k, 1);
        _exit(0);
    }
    assert_int_equal(parent_hear(&d, &k), 1);
    assert_int_equal(parent_reap(&k), 0);
    i2cemu_loop_run_once(d.loop, false);
    assert_int_equal(share_ctrl_of(d.b)->recoveries, 1);
    /* The bus works, for the daemon and for the next client. */
    assert_int_equal(daemon_byte(&d, 0x00), 0xff);
    child_fork(&k);
    if (k.pid == 0) {
        struct i2cemu_i2cdev_file f;
        struct share_client *c = NULL;

        child_smbus(&d, &k, &c, &f, I2C_SMBUS_WRITE, 0x01, 0x5a);
        _exit(0);
    }
    assert_int_equal(parent_hear(&d, &k), 0);
    assert_int_equal(parent_reap(&k), 0);
    assert_int_equal(daemon_byte(&d, 0x01), 0x5a);
    assert_int_equal(share_ctrl_of(d.b)->recoveries, 1);
    daemon_fini(&d);
}

/* A device hot-plugged while a client is attached: the arena grows and
 * the client, seeing the new generation, finds it. */
static void a_new_shape_is_attached_again(void **state)
{
    (void)state;
    struct daemon d;
    struct child k;

    daemon_init(&d, I2CEMU_CLOCK_FAST);
    child_fork(&k);
    if (k.pid == 0) {
        struct i2cemu_i2cdev_file f;
        struct share_client *c = NULL;

        child_smbus(&d, &k, &c, &f, I2C_SMBUS_READ, 0x00, 0);
        child_wait(&k);
        f.addr = 0x51;
        child_smbus(&d, &k, &c, &f, I2C_SMBUS_READ, 0x07, 0);
        _exit(0);
    }
    assert_int_equal(parent_hear(&d, &k), 0xff); /* a fresh EEPROM */
    uint64_t gen = share_ctrl_of(d.b)->gen;
    size_t cap = d.b->cap;
    assert_true(i2cemu_device_add(d.b, "24c512,addr=0x52", &d.err) >= 0);
    assert_true(i2cemu_device_add(d.b, "24c02,addr=0x51", &d.err) >= 0);
    assert_true(d.b->cap > cap); /* the memfd grew */
    assert_int_equal(i2cemu_smbus_set_addr(&d.f, 0x51), 0);
    uint8_t wr[2] = { 0x07, 0x77 };
    assert_int_equal(i2cemu_i2cdev_write_sync(&d.f, wr, 2), 2);
    parent_go(&k);
    assert_int_equal(parent_hear(&d, &k), 0x77);
    assert_int_equal(parent_reap(&k), 0);
    assert_true(share_ctrl_of(d.b)->gen != gen);
    daemon_fini(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_client_write_is_seen_by_the_daemon),
        cmocka_unit_test(eligibility_follows_the_bus),
        cmocka_unit_test(lending_follows_the_peers),
        cmocka_unit_test(a_realtime_board_is_not_lent),
        cmocka_unit_test(a_client_dying_inside_is_recovered),
        cmocka_unit_test(a_new_shape_is_attached_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
