/* SPDX-License-Identifier: MIT */
/* The socket server's test rig (a board, a server, a socket path) and the
 * client side of the protocol, shared by test_sock_server and
 * test_sock_access. */
#include <errno.h>
#include <linux/i2c-dev.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "sock_rig.h"
#include "testdevs.h"

int sock_rig_setup(void **state)
{
    struct rig *r = calloc(1, sizeof *r);
    struct i2cemu_bus_config stub = { .number = 3,
                                      .profile = I2CEMU_PROFILE_STUB };

    strcpy(r->dir, "/tmp/test-sock-server-XXXXXX");
    assert_non_null(mkdtemp(r->dir));
    snprintf(r->path, sizeof r->path, "%s/sock", r->dir);
    r->loop = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    r->b = i2cemu_board_new(r->loop);
    r->regs50 = i2cemu_device_add_custom(r->b, &test_reg, "addr=0x50,bus=1",
                                         &r->err);
    r->regs51 = i2cemu_device_add_custom(r->b, &test_reg, "addr=0x51,bus=1",
                                         &r->err);
    /* Stretches the clock on the first byte written, forever, so its
     * transfer stays on the bus. */
    assert_true(i2cemu_device_add_custom(r->b, &test_stretch,
                                         "addr=0x60,bus=1,delay-us=0",
                                         &r->err) >= 0);
    assert_true(r->regs50 >= 0 && r->regs51 >= 0);
    assert_int_equal(i2cemu_bus_add(r->b, &stub, &r->err), 1);
    r->srv = sock_server_new(r->b, r->path, &r->err);
    assert_non_null(r->srv);
    *state = r;
    return 0;
}

int sock_rig_teardown(void **state)
{
    struct rig *r = *state;

    sock_server_free(r->srv);
    assert_int_equal(access(r->path, F_OK), -1); /* unlinked */
    i2cemu_board_free(r->b);
    i2cemu_loop_free(r->loop);
    rmdir(r->dir);
    free(r);
    return 0;
}

struct reg_state *regs(struct rig *r, int dev)
{
    return i2cemu_device_state(r->b, (unsigned)dev);
}

/* Let the server take what clients sent and answer. */
void pump(struct rig *r)
{
    for (int i = 0; i < 4; i++)
        i2cemu_loop_run_once(r->loop, false);
}

/* ---- the client side --------------------------------------------------- */

void tx_raw(int fd, const void *p, size_t len)
{
    assert_int_equal(send(fd, p, len, MSG_NOSIGNAL), (ssize_t)len);
}

void tx(int fd, uint32_t type, const void *body, size_t len)
{
    struct sockproto_hdr h = { type, (uint32_t)len };

    tx_raw(fd, &h, sizeof h);
    if (len)
        tx_raw(fd, body, len);
}

void rx(struct rig *r, int fd, void *buf, size_t len)
{
    size_t got = 0;

    for (int tries = 0; got < len; tries++) {
        ssize_t n;

        assert_true(tries < 100);
        pump(r);
        n = recv(fd, (uint8_t *)buf + got, len - got, MSG_DONTWAIT);
        assert_true(n > 0 || (n < 0 && errno == EAGAIN));
        if (n > 0)
            got += (size_t)n;
    }
}

/* True when the server dropped the connection (after what it sent). */
bool dropped(struct rig *r, int fd)
{
    uint8_t b[4096];
    ssize_t n;

    pump(r);
    while ((n = recv(fd, b, sizeof b, MSG_DONTWAIT)) > 0)
        ;
    return n == 0 || (n < 0 && errno == ECONNRESET);
}

/* True when nothing is waiting for the client. */
bool quiet(struct rig *r, int fd)
{
    uint8_t b;

    pump(r);
    return recv(fd, &b, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN;
}

int connect_only(struct rig *r)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    strcpy(sa.sun_path, r->path);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return fd;
}

void skip_hello(struct rig *r, int fd)
{
    struct sockproto_hdr h;
    uint8_t body[sizeof(struct sockproto_hello) +
                 SOCKPROTO_MAX_BUSES * sizeof(struct sockproto_bus)];

    rx(r, fd, &h, sizeof h);
    assert_int_equal(h.type, SOCKPROTO_HELLO);
    assert_true(h.len <= sizeof body);
    rx(r, fd, body, h.len);
}

void rx_result(struct rig *r, int fd, uint32_t len, struct reply *rep)
{
    struct sockproto_result res;

    rx(r, fd, &res, sizeof res);
    assert_true(res.nout <= 4);
    rep->result = res.result;
    rep->nout = res.nout;
    len -= (uint32_t)sizeof res;
    for (unsigned i = 0; i < res.nout; i++) {
        struct sockproto_out o;

        rx(r, fd, &o, sizeof o);
        assert_true(o.len <= sizeof rep->out[i].data);
        rep->out[i].addr = o.addr;
        rep->out[i].len = o.len;
        rx(r, fd, rep->out[i].data, o.len);
        len -= (uint32_t)(sizeof o + o.len);
    }
    assert_int_equal(len, 0);
}

/* Send a request and answer its NEEDs from m until the RESULT. */
int64_t request(struct rig *r, int fd, uint32_t type, const void *body,
                size_t len, struct fake_mem *m, struct reply *rep)
{
    struct reply scratch;
    struct sockproto_hdr h;

    if (!rep)
        rep = &scratch;
    tx(fd, type, body, len);
    for (;;) {
        struct sockproto_need need;
        const struct seg *s = NULL;

        rx(r, fd, &h, sizeof h);
        if (h.type == SOCKPROTO_RESULT) {
            rx_result(r, fd, h.len, rep);
            return rep->result;
        }
        assert_int_equal(h.type, SOCKPROTO_NEED);
        assert_int_equal(h.len, sizeof need);
        rx(r, fd, &need, sizeof need);
        assert_non_null(m);
        m->needs++;
        for (unsigned i = 0; i < 8 && m->seg[i].p; i++)
            if (need.addr >= m->seg[i].addr &&
                need.addr + need.len <= m->seg[i].addr + m->seg[i].len)
                s = &m->seg[i];
        if (s)
            tx(fd, SOCKPROTO_MEM,
               (const uint8_t *)s->p + (need.addr - s->addr), need.len);
        else
            tx(fd, SOCKPROTO_MEMFAULT, NULL, 0);
    }
}

int64_t do_open(struct rig *r, int fd, int number, int flags)
{
    struct sockproto_open o = { number, flags };

    return request(r, fd, SOCKPROTO_OPEN, &o, sizeof o, NULL, NULL);
}

int64_t ioctl_carrying(struct rig *r, int fd, uint32_t cmd, uint64_t arg,
                       const struct seg *in, unsigned n, struct fake_mem *m,
                       struct reply *rep)
{
    static uint8_t body[SOCKPROTO_MAX_IOCTL];
    struct sockproto_ioctl io = { .cmd = cmd, .arg = arg, .nin = n };
    size_t len = sizeof io + n * sizeof(struct sockproto_in);

    assert_true(n <= SOCKPROTO_MAX_IN);
    memcpy(body, &io, sizeof io);
    for (unsigned i = 0; i < n; i++) {
        struct sockproto_in d = { in[i].addr, (uint32_t)in[i].len, !in[i].p };

        memcpy(body + sizeof io + i * sizeof d, &d, sizeof d);
        if (in[i].p) {
            memcpy(body + len, in[i].p, in[i].len);
            len += in[i].len;
        }
    }
    return request(r, fd, SOCKPROTO_IOCTL, body, len, m, rep);
}

int open_bus(struct rig *r, int flags)
{
    int fd = connect_only(r);

    skip_hello(r, fd);
    assert_int_equal(do_open(r, fd, 1, flags), 0);
    return fd;
}

int64_t do_ioctl(struct rig *r, int fd, uint32_t cmd, uint64_t arg,
                 struct fake_mem *m, struct reply *rep)
{
    struct sockproto_ioctl io = { .cmd = cmd, .arg = arg };

    return request(r, fd, SOCKPROTO_IOCTL, &io, sizeof io, m, rep);
}

int64_t smbus(struct rig *r, int fd, uint8_t rw, uint8_t cmd, int size,
              union i2c_smbus_data *data, struct fake_mem *m,
              struct reply *rep)
{
    struct i2c_smbus_ioctl_data a = {
        .read_write = rw,
        .command = cmd,
        .size = (uint32_t)size,
        .data = (union i2c_smbus_data *)(uintptr_t)DATA,
    };

    m->seg[0] = (struct seg){ ARG, &a, sizeof a };
    if (data)
        m->seg[1] = (struct seg){ DATA, data, sizeof *data };
    return do_ioctl(r, fd, I2C_SMBUS, ARG, m, rep);
}
/* Number 257 gets a RESULT saying ENFILE in place of the HELLO. */
void assert_refused(struct rig *r, int fd)
{
    struct sockproto_hdr h;
    struct reply rep;

    rx(r, fd, &h, sizeof h);
    assert_int_equal(h.type, SOCKPROTO_RESULT);
    rx_result(r, fd, h.len, &rep);
    assert_int_equal(rep.result, -ENFILE);
    assert_int_equal(rep.nout, 0);
    assert_true(dropped(r, fd));
}
