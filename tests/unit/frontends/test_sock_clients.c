/* SPDX-License-Identifier: MIT */
/* The preload frontend's socket server against clients that misbehave or
 * come and go: malformed and truncated messages, clients that vanish
 * mid-transfer, several clients at once, the cap on clients, running out
 * of descriptors, bad socket paths. The protocol itself:
 * test_sock_server.c. */
#include <errno.h>
#include <fcntl.h>
#include <linux/i2c-dev.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "sock_rig.h"
#include "testdevs.h"

/* ---- tests ------------------------------------------------------------- */

static void bad_messages_drop_only_their_client(void **state)
{
    struct rig *r = *state;
    int bystander = open_bus(r, O_RDWR);
    struct sockproto_ioctl smb = { .cmd = I2C_SMBUS, .arg = ARG };
    struct sockproto_write w = { 0x5000, 2, 0, 0 };
    uint8_t big[64] = { 0 };
    static const struct {
        uint32_t type, len;
    } bad[] = {
        { 99, 0 },                           /* unknown type */
        { SOCKPROTO_IOCTL, 64 },             /* bytes no region names */
        { SOCKPROTO_IOCTL, 16 },             /* part of an argument */
        { SOCKPROTO_MEM, 4 },                /* nobody asked */
        { SOCKPROTO_MEMFAULT, 0 },           /* nobody asked */
        { SOCKPROTO_OPEN, 8 },               /* already open */
        { SOCKPROTO_WRITE, 0xFFFFFFFF },     /* oversized */
        { SOCKPROTO_NEED, 16 },              /* the server's message */
    };

    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int fd = open_bus(r, O_RDWR);
        struct sockproto_hdr h = { bad[i].type, bad[i].len };

        tx_raw(fd, &h, sizeof h);
        if (bad[i].len <= sizeof big)
            tx_raw(fd, big, bad[i].len);
        assert_true(dropped(r, fd));
        close(fd);
    }

    /* IOCTLs whose regions do not add up: too many, empty, too long, a
     * bad fault flag, bytes missing. */
    {
        static const struct sockproto_in bad_in[] = {
            { 0x5000, 0, 0 }, { 0x5000, 8193, 1 }, { 0x5000, 1, 2 },
            { 0x5000, 4, 0 },
        };

        for (unsigned i = 0; i <= sizeof bad_in / sizeof bad_in[0]; i++) {
            int fd = open_bus(r, O_RDWR);
            struct sockproto_ioctl io = { .cmd = I2C_SMBUS, .arg = ARG,
                                          .nin = 1 };
            struct sockproto_hdr h = { SOCKPROTO_IOCTL,
                                       sizeof io + sizeof bad_in[0] + 2 };

            if (i == sizeof bad_in / sizeof bad_in[0]) {
                io.nin = SOCKPROTO_MAX_IN + 1;
                h.len = sizeof io + io.nin * sizeof bad_in[0];
            }
            tx_raw(fd, &h, sizeof h);
            tx_raw(fd, &io, sizeof io);
            if (io.nin == 1) {
                tx_raw(fd, &bad_in[i], sizeof bad_in[i]);
                tx_raw(fd, big, 2);
            } else {
                for (unsigned k = 0; k < io.nin; k++)
                    tx_raw(fd, &bad_in[3], sizeof bad_in[3]);
            }
            assert_true(dropped(r, fd));
            close(fd);
        }
    }

    /* WRITE whose bytes do not match its count. */
    {
        int fd = open_bus(r, O_RDWR);
        struct sockproto_hdr h = { SOCKPROTO_WRITE, sizeof w + 1 };

        tx_raw(fd, &h, sizeof h);
        tx_raw(fd, &w, sizeof w);
        tx_raw(fd, big, 1);
        assert_true(dropped(r, fd));
        close(fd);
    }

    /* MEM of another length than the NEED asked for. */
    {
        int fd = open_bus(r, O_RDWR);
        struct sockproto_hdr h;
        struct sockproto_need need;

        tx(fd, SOCKPROTO_IOCTL, &smb, sizeof smb);
        rx(r, fd, &h, sizeof h);
        assert_int_equal(h.type, SOCKPROTO_NEED);
        rx(r, fd, &need, sizeof need);
        tx(fd, SOCKPROTO_MEM, big, need.len + 1);
        assert_true(dropped(r, fd));
        close(fd);
    }

    /* The bystander never noticed. */
    assert_int_equal(do_ioctl(r, bystander, I2C_SLAVE, 0x50, NULL, NULL), 0);
    close(bystander);
}

static void truncated_messages_are_cleaned_up(void **state)
{
    struct rig *r = *state;
    struct sockproto_ioctl smb = { .cmd = I2C_SMBUS, .arg = ARG };
    struct sockproto_hdr h = { SOCKPROTO_WRITE, 24 + 100 };
    struct sockproto_hdr reply;
    int fd;

    /* Half a header. */
    fd = open_bus(r, O_RDWR);
    tx_raw(fd, &h, 4);
    pump(r);
    close(fd);
    pump(r);

    /* A header and part of its body. */
    fd = open_bus(r, O_RDWR);
    tx_raw(fd, &h, sizeof h);
    tx_raw(fd, &smb, 10);
    pump(r);
    close(fd);
    pump(r);

    /* Gone while the server waits for memory. */
    fd = open_bus(r, O_RDWR);
    tx(fd, SOCKPROTO_IOCTL, &smb, sizeof smb);
    rx(r, fd, &reply, sizeof reply);
    assert_int_equal(reply.type, SOCKPROTO_NEED);
    close(fd);
    pump(r);

    /* Gone before reading the hello. */
    fd = connect_only(r);
    close(fd);
    pump(r);
    /* ASan reports whatever was left behind. */
}

static void vanishing_client_frees_the_bus(void **state)
{
    struct rig *r = *state;
    int holder = open_bus(r, O_RDWR), next = open_bus(r, O_RDWR);
    union i2c_smbus_data d = { .byte = 1 };
    struct i2c_smbus_ioctl_data a = {
        .read_write = I2C_SMBUS_WRITE,
        .command = 0x00,
        .size = I2C_SMBUS_BYTE_DATA,
        .data = (union i2c_smbus_data *)(uintptr_t)DATA,
    };
    struct sockproto_ioctl smb = { .cmd = I2C_SMBUS, .arg = ARG };
    struct sockproto_hdr h;
    struct sockproto_need need;

    /* holder's write stretches forever at 0x60. */
    assert_int_equal(do_ioctl(r, holder, I2C_SLAVE, 0x60, NULL, NULL), 0);
    tx(holder, SOCKPROTO_IOCTL, &smb, sizeof smb);
    rx(r, holder, &h, sizeof h);
    rx(r, holder, &need, sizeof need);
    tx(holder, SOCKPROTO_MEM, &a, need.len);
    rx(r, holder, &h, sizeof h);
    rx(r, holder, &need, sizeof need);
    tx(holder, SOCKPROTO_MEM, &d, need.len);
    assert_true(quiet(r, holder)); /* on the bus, no answer yet */

    /* next queues behind it... */
    assert_int_equal(do_ioctl(r, next, I2C_SLAVE, 0x50, NULL, NULL), 0);
    tx(next, SOCKPROTO_IOCTL, &smb, sizeof smb);
    rx(r, next, &h, sizeof h);
    rx(r, next, &need, sizeof need);
    tx(next, SOCKPROTO_MEM, &a, need.len);
    rx(r, next, &h, sizeof h);
    rx(r, next, &need, sizeof need);
    tx(next, SOCKPROTO_MEM, &d, need.len);
    assert_true(quiet(r, next));

    /* ...until holder goes away and its transfer is cancelled. */
    close(holder);
    pump(r);
    rx(r, next, &h, sizeof h);
    assert_int_equal(h.type, SOCKPROTO_RESULT);
    {
        struct reply rep;

        rx_result(r, next, h.len, &rep);
        assert_int_equal(rep.result, 0);
    }
    close(next);
}

static void each_client_has_its_own_file(void **state)
{
    struct rig *r = *state;
    int a = open_bus(r, O_RDWR), b = open_bus(r, O_RDWR);
    union i2c_smbus_data d = { .byte = 0x11 };
    struct fake_mem m = { 0 };

    assert_int_equal(do_ioctl(r, a, I2C_SLAVE, 0x50, NULL, NULL), 0);
    assert_int_equal(do_ioctl(r, b, I2C_SLAVE, 0x51, NULL, NULL), 0);
    assert_int_equal(smbus(r, a, I2C_SMBUS_WRITE, 0x01, I2C_SMBUS_BYTE_DATA,
                           &d, &m, NULL), 0);
    d.byte = 0x22;
    assert_int_equal(smbus(r, b, I2C_SMBUS_WRITE, 0x01, I2C_SMBUS_BYTE_DATA,
                           &d, &m, NULL), 0);
    assert_int_equal(regs(r, r->regs50)->reg[1], 0x11);
    assert_int_equal(regs(r, r->regs51)->reg[1], 0x22);
    close(a);
    close(b);
}

static void freeing_the_server_closes_clients(void **state)
{
    struct rig *r = *state;
    int idle = open_bus(r, O_RDWR), busy = open_bus(r, O_RDWR);
    int needy = open_bus(r, O_RDWR);
    struct sockproto_write w = { 0x5000, 0, 0, 0 };
    struct sockproto_ioctl smb = { .cmd = I2C_SMBUS, .arg = ARG };
    struct {
        struct sockproto_write w;
        uint8_t b[2];
    } hold = { { 0x5000, 2, 0, 0 }, { 0, 0 } };

    assert_int_equal(request(r, idle, SOCKPROTO_WRITE, &w, sizeof w, NULL,
                             NULL), -ENXIO);
    assert_int_equal(do_ioctl(r, busy, I2C_SLAVE, 0x60, NULL, NULL), 0);
    tx(busy, SOCKPROTO_WRITE, &hold, sizeof hold.w + 2);
    assert_true(quiet(r, busy));
    tx(needy, SOCKPROTO_IOCTL, &smb, sizeof smb);
    pump(r);

    sock_server_free(r->srv);
    r->srv = NULL;
    assert_true(dropped(r, idle));
    assert_true(dropped(r, busy));
    close(idle);
    close(busy);
    close(needy);
    r->srv = sock_server_new(r->b, r->path, &r->err); /* for teardown */
    assert_non_null(r->srv);
}

static void clients_are_capped(void **state)
{
    struct rig *r = *state;
    int fd[257];

    for (unsigned i = 0; i < 257; i++)
        fd[i] = connect_only(r);
    skip_hello(r, fd[255]);
    assert_refused(r, fd[256]);
    for (unsigned i = 0; i < 257; i++)
        close(fd[i]);
    pump(r);
}

static void out_of_fds_recovers_when_a_client_leaves(void **state)
{
    struct rig *r = *state;
    struct rlimit old, low;
    int a, b, spare = open("/dev/null", O_RDONLY);

    /* Room for a, its server side, and b; not for b's server side. */
    assert_true(spare >= 0);
    close(spare);
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
    low = old;
    low.rlim_cur = (rlim_t)spare + 3;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
    a = connect_only(r);
    skip_hello(r, a);
    b = connect_only(r);
    assert_true(quiet(r, b));
    close(a);
    pump(r);
    skip_hello(r, b);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
    close(b);
}

static void bad_socket_paths_are_reported(void **state)
{
    struct rig *r = *state;
    char path[200];
    struct i2cemu_error err = { "" };

    memset(path, 'x', sizeof path - 1);
    path[sizeof path - 1] = '\0';
    assert_null(sock_server_new(r->b, path, &err));
    assert_non_null(strstr(err.msg, "too long"));
    assert_null(sock_server_new(r->b, "/nonexistent/dir/sock", &err));
    assert_string_equal(err.msg,
                        "/nonexistent/dir/sock: No such file or directory");
    /* In use. */
    assert_null(sock_server_new(r->b, r->path, &err));
    assert_non_null(strstr(err.msg, "in use"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) \
    cmocka_unit_test_setup_teardown(f, sock_rig_setup, sock_rig_teardown)
        T(bad_messages_drop_only_their_client),
        T(truncated_messages_are_cleaned_up),
        T(vanishing_client_frees_the_bus),
        T(each_client_has_its_own_file),
        T(freeing_the_server_closes_clients),
        T(clients_are_capped),
        T(out_of_fds_recovers_when_a_client_leaves),
        T(bad_socket_paths_are_reported),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
