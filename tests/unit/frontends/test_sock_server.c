/* SPDX-License-Identifier: MIT */
/* The preload frontend's socket server, driven through a real unix socket
 * with hand-built protocol messages: the hello, each request kind, NEED
 * and MEM rounds against a fake client memory, faults. Malformed and
 * truncated messages, clients that vanish, several clients, the cap:
 * test_sock_clients.c. Access and fairness: test_sock_access.c. */
#include <errno.h>
#include <fcntl.h>
#include <linux/i2c-dev.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "sock_rig.h"
#include "testdevs.h"

/* ---- tests ------------------------------------------------------------- */

static void hello_lists_every_bus(void **state)
{
    struct rig *r = *state;
    int fd = connect_only(r);
    struct sockproto_hdr h;
    struct sockproto_hello hello;
    struct sockproto_bus bus[2];

    rx(r, fd, &h, sizeof h);
    assert_int_equal(h.type, SOCKPROTO_HELLO);
    assert_int_equal(h.len, sizeof hello + sizeof bus);
    rx(r, fd, &hello, sizeof hello);
    assert_int_equal(hello.magic, SOCKPROTO_MAGIC);
    assert_int_equal(hello.version, SOCKPROTO_VERSION);
    assert_int_equal(hello.nbuses, 2);
    rx(r, fd, bus, sizeof bus);
    for (unsigned i = 0; i < 2; i++) {
        assert_int_equal(bus[i].number, i2cemu_bus_number(r->b, i));
        assert_int_equal(bus[i].funcs, i2cemu_bus_funcs(r->b, i));
        assert_string_equal(bus[i].name, i2cemu_bus_name(r->b, i));
    }
    assert_int_equal(bus[0].number, 1);
    assert_int_equal(bus[0].profile, SOCKPROTO_PROFILE_I2C);
    assert_int_equal(bus[1].number, 3);
    assert_int_equal(bus[1].profile, SOCKPROTO_PROFILE_STUB);
    assert_string_equal(bus[1].name, "SMBus stub driver");
    close(fd);
}

static void open_takes_a_bus_number(void **state)
{
    struct rig *r = *state;
    int fd = connect_only(r);
    struct sockproto_ioctl io = { .cmd = I2C_TENBIT };

    skip_hello(r, fd);
    assert_int_equal(do_open(r, fd, 7, O_RDWR), -ENODEV);
    assert_int_equal(do_open(r, fd, 3, O_RDWR), 0);
    close(fd);

    /* A request before OPEN is a protocol error. */
    fd = connect_only(r);
    skip_hello(r, fd);
    tx(fd, SOCKPROTO_IOCTL, &io, sizeof io);
    assert_true(dropped(r, fd));
    close(fd);
}

static void integer_ioctls_need_no_memory(void **state)
{
    struct rig *r = *state;
    int fd = open_bus(r, O_RDWR);
    struct reply rep;

    assert_int_equal(do_ioctl(r, fd, I2C_SLAVE, 0x50, NULL, &rep), 0);
    assert_int_equal(rep.nout, 0);
    assert_int_equal(do_ioctl(r, fd, I2C_SLAVE, 0x80, NULL, NULL), -EINVAL);
    assert_int_equal(do_ioctl(r, fd, I2C_TENBIT, 1, NULL, NULL), 0);
    assert_int_equal(do_ioctl(r, fd, I2C_SLAVE, 0x80, NULL, NULL), 0);
    assert_int_equal(do_ioctl(r, fd, 0x0709, 0, NULL, NULL), -ENOTTY);
    close(fd);
}

static void funcs_comes_back_as_an_output_region(void **state)
{
    struct rig *r = *state;
    int fd = open_bus(r, O_RDONLY);
    struct reply rep;
    uint64_t funcs;
    struct sockproto_ioctl compat = { I2C_FUNCS, 1, 0x4000, 0, 0 };

    assert_int_equal(do_ioctl(r, fd, I2C_FUNCS, 0x4000, NULL, &rep), 0);
    assert_int_equal(rep.nout, 1);
    assert_int_equal(rep.out[0].addr, 0x4000);
    assert_int_equal(rep.out[0].len, 8);
    memcpy(&funcs, rep.out[0].data, sizeof funcs);
    assert_int_equal(funcs, i2cemu_bus_funcs(r->b, 0));
    /* A 32-bit caller's unsigned long is 4 bytes. */
    assert_int_equal(request(r, fd, SOCKPROTO_IOCTL, &compat, sizeof compat,
                             NULL, &rep), 0);
    assert_int_equal(rep.out[0].len, 4);
    close(fd);
}

static void smbus_fetches_memory_in_rounds(void **state)
{
    struct rig *r = *state;
    int fd = open_bus(r, O_RDWR);
    union i2c_smbus_data d = { .byte = 0xa5 };
    struct fake_mem m = { 0 };
    struct reply rep;

    assert_int_equal(do_ioctl(r, fd, I2C_SLAVE, 0x50, NULL, NULL), 0);
    /* The argument block, then the data byte to write. */
    assert_int_equal(smbus(r, fd, I2C_SMBUS_WRITE, 0x10, I2C_SMBUS_BYTE_DATA,
                           &d, &m, &rep), 0);
    assert_int_equal(m.needs, 2);
    assert_int_equal(rep.nout, 0);
    assert_int_equal(regs(r, r->regs50)->reg[0x10], 0xa5);

    /* A read needs only the argument block; exactly one byte comes back. */
    memset(&m, 0, sizeof m);
    regs(r, r->regs50)->reg[0x11] = 0x3c;
    assert_int_equal(smbus(r, fd, I2C_SMBUS_READ, 0x11, I2C_SMBUS_BYTE_DATA,
                           &d, &m, &rep), 0);
    assert_int_equal(m.needs, 1);
    assert_int_equal(rep.nout, 1);
    assert_int_equal(rep.out[0].addr, DATA);
    assert_int_equal(rep.out[0].len, 1);
    assert_int_equal(rep.out[0].data[0], 0x3c);

    /* An absent device: the bus's errno, nothing written back. */
    memset(&m, 0, sizeof m);
    assert_int_equal(do_ioctl(r, fd, I2C_SLAVE, 0x33, NULL, NULL), 0);
    assert_int_equal(smbus(r, fd, I2C_SMBUS_READ, 0, I2C_SMBUS_BYTE_DATA, &d,
                           &m, &rep), -ENXIO);
    assert_int_equal(rep.nout, 0);
    close(fd);
}

static void carried_regions_need_no_round(void **state)
{
    struct rig *r = *state;
    int fd = open_bus(r, O_RDWR);
    union i2c_smbus_data d = { .byte = 0x66 };
    struct i2c_smbus_ioctl_data a = { I2C_SMBUS_WRITE, 0x12,
                                      I2C_SMBUS_BYTE_DATA,
                                      (union i2c_smbus_data *)(uintptr_t)DATA };
    struct seg in[] = { { ARG, &a, sizeof a }, { DATA, &d, 1 } };
    struct fake_mem none = { 0 };
    struct reply rep;

    assert_int_equal(do_ioctl(r, fd, I2C_SLAVE, 0x50, NULL, NULL), 0);
    assert_int_equal(ioctl_carrying(r, fd, I2C_SMBUS, ARG, in, 2, &none, &rep),
                     0);
    assert_int_equal(none.needs, 0);
    assert_int_equal(regs(r, r->regs50)->reg[0x12], 0x66);

    /* A read: the argument alone, the byte back. */
    a.read_write = I2C_SMBUS_READ;
    assert_int_equal(ioctl_carrying(r, fd, I2C_SMBUS, ARG, in, 1, &none, &rep),
                     0);
    assert_int_equal(none.needs, 0);
    assert_int_equal(rep.nout, 1);
    assert_int_equal(rep.out[0].data[0], 0x66);

    /* Data the client could not read is the kernel's EFAULT, without a
     * transfer; so is an argument it could not. */
    a.read_write = I2C_SMBUS_WRITE;
    d.byte = 0x77;
    in[1].p = NULL;
    assert_int_equal(ioctl_carrying(r, fd, I2C_SMBUS, ARG, in, 2, &none, &rep),
                     -EFAULT);
    assert_int_equal(regs(r, r->regs50)->reg[0x12], 0x66);
    in[0].p = NULL;
    assert_int_equal(ioctl_carrying(r, fd, I2C_SMBUS, ARG, in, 1, &none, &rep),
                     -EFAULT);
    assert_int_equal(none.needs, 0);

    /* What a request did not carry is still fetched with NEED. */
    in[0].p = &a;
    a.read_write = I2C_SMBUS_WRITE;
    {
        struct fake_mem m = { .seg = { { DATA, &d, sizeof d } } };

        assert_int_equal(ioctl_carrying(r, fd, I2C_SMBUS, ARG, in, 1, &m,
                                        &rep), 0);
        assert_int_equal(m.needs, 1);
        assert_int_equal(regs(r, r->regs50)->reg[0x12], 0x77);
    }
    close(fd);
}

static void rdwr_in_one_round(void **state)
{
    struct rig *r = *state;
    int fd = open_bus(r, O_RDWR);
    uint8_t reg = 0x20, val[3] = { 0x20, 0xde, 0xad }, back[2];
    struct i2c_msg w[] = { { 0x50, 0, 3, (uint8_t *)(uintptr_t)0x3000 } };
    struct i2c_msg wr[] = {
        { 0x50, 0, 1, (uint8_t *)(uintptr_t)0x3000 },
        { 0x50, I2C_M_RD, 2, (uint8_t *)(uintptr_t)0x4000 },
    };
    struct i2c_rdwr_ioctl_data a = { (struct i2c_msg *)(uintptr_t)0x5000, 1 };
    struct seg in[] = {
        { ARG, &a, sizeof a }, { 0x5000, w, sizeof w }, { 0x3000, val, 3 },
    };
    struct fake_mem none = { 0 };
    struct reply rep;

    assert_int_equal(ioctl_carrying(r, fd, I2C_RDWR, ARG, in, 3, &none, &rep),
                     1);
    assert_int_equal(regs(r, r->regs50)->reg[0x21], 0xad);

    a.nmsgs = 2;
    in[1] = (struct seg){ 0x5000, wr, sizeof wr };
    in[2] = (struct seg){ 0x3000, &reg, 1 };
    memset(back, 0, sizeof back);
    struct seg in2[] = { in[0], in[1], in[2], { 0x4000, back, 2 } };
    assert_int_equal(ioctl_carrying(r, fd, I2C_RDWR, ARG, in2, 4, &none, &rep),
                     2);
    assert_int_equal(none.needs, 0);
    assert_int_equal(rep.nout, 1);
    assert_int_equal(rep.out[0].addr, 0x4000);
    assert_int_equal(rep.out[0].data[0], 0xde);
    assert_int_equal(rep.out[0].data[1], 0xad);

    /* An unreadable read buffer fails the call before the transfer. */
    in2[3].p = NULL;
    assert_int_equal(ioctl_carrying(r, fd, I2C_RDWR, ARG, in2, 4, &none, &rep),
                     -EFAULT);
    assert_int_equal(none.needs, 0);
    close(fd);
}

static void memfault_gives_efault(void **state)
{
    struct rig *r = *state;
    int fd = open_bus(r, O_RDWR);
    struct fake_mem m = { 0 };

    assert_int_equal(do_ioctl(r, fd, I2C_SLAVE, 0x50, NULL, NULL), 0);
    /* The argument block itself. */
    assert_int_equal(do_ioctl(r, fd, I2C_SMBUS, ARG, &m, NULL), -EFAULT);
    assert_int_equal(m.needs, 1);
    /* The data of a write: no bus traffic. */
    memset(&m, 0, sizeof m);
    regs(r, r->regs50)->reg[0x10] = 0;
    assert_int_equal(smbus(r, fd, I2C_SMBUS_WRITE, 0x10, I2C_SMBUS_BYTE_DATA,
                           NULL, &m, NULL), -EFAULT);
    assert_int_equal(m.needs, 2);
    assert_int_equal(regs(r, r->regs50)->reg[0x10], 0);
    close(fd);
}

static void rdwr_fetches_each_buffer(void **state)
{
    struct rig *r = *state;
    int fd = open_bus(r, O_RDWR);
    uint8_t wbuf[] = { 0x20, 1, 2, 3 }, rbuf[3];
    struct i2c_msg msgs[] = {
        { .addr = 0x51, .len = 1, .buf = (uint8_t *)(uintptr_t)0x3000 },
        { .addr = 0x51, .flags = I2C_M_RD, .len = 3,
          .buf = (uint8_t *)(uintptr_t)0x3100 },
    };
    struct i2c_msg wmsg = { .addr = 0x51, .len = 4,
                            .buf = (uint8_t *)(uintptr_t)0x3000 };
    struct i2c_rdwr_ioctl_data a = { (struct i2c_msg *)(uintptr_t)0x3200, 1 };
    struct fake_mem m = { .seg = {
        { ARG, &a, sizeof a },
        { 0x3000, wbuf, sizeof wbuf },
        { 0x3100, rbuf, sizeof rbuf },
        { 0x3200, &wmsg, sizeof wmsg },
    } };
    struct reply rep;

    assert_int_equal(do_ioctl(r, fd, I2C_RDWR, ARG, &m, &rep), 1);
    assert_int_equal(m.needs, 3); /* argument, message array, buffer */
    assert_true(test_reg_equal(regs(r, r->regs51), 0x20, "\1\2\3", 3));

    /* Write the pointer, read three bytes back. */
    a.msgs = (struct i2c_msg *)(uintptr_t)0x3300;
    a.nmsgs = 2;
    m.seg[4] = (struct seg){ 0x3300, msgs, sizeof msgs };
    m.needs = 0;
    assert_int_equal(do_ioctl(r, fd, I2C_RDWR, ARG, &m, &rep), 2);
    assert_int_equal(m.needs, 4); /* the kernel copies read buffers in too */
    assert_int_equal(rep.nout, 1);
    assert_int_equal(rep.out[0].addr, 0x3100);
    assert_int_equal(rep.out[0].len, 3);
    assert_memory_equal(rep.out[0].data, "\1\2\3", 3);

    /* A bad buffer pointer in message 1. */
    msgs[1].buf = (uint8_t *)(uintptr_t)0x9000;
    assert_int_equal(do_ioctl(r, fd, I2C_RDWR, ARG, &m, &rep), -EFAULT);
    close(fd);
}

static void read_and_write_carry_their_bytes(void **state)
{
    struct rig *r = *state;
    int fd = open_bus(r, O_RDWR);
    struct {
        struct sockproto_write w;
        uint8_t bytes[3];
    } wr = { { 0x5000, 3, 0, 0 }, { 0x40, 0xde, 0xad } };
    struct sockproto_write wf = { 0x5000, 3, 1, 0 };
    struct sockproto_read rd = { 0x6000, 2 };
    struct reply rep;

    assert_int_equal(do_ioctl(r, fd, I2C_SLAVE, 0x50, NULL, NULL), 0);
    /* sizeof wr has padding: say how much to send. */
    assert_int_equal(request(r, fd, SOCKPROTO_WRITE, &wr, sizeof wr.w + 3,
                             NULL, &rep), 3);
    assert_int_equal(regs(r, r->regs50)->reg[0x41], 0xad);
    /* The write left the pointer at 0x42: point it back, read two. */
    wr.w.count = 1;
    assert_int_equal(request(r, fd, SOCKPROTO_WRITE, &wr,
                             sizeof wr.w + 1, NULL, &rep), 1);
    assert_int_equal(request(r, fd, SOCKPROTO_READ, &rd, sizeof rd, NULL,
                             &rep), 2);
    assert_int_equal(rep.nout, 1);
    assert_int_equal(rep.out[0].addr, 0x6000);
    assert_memory_equal(rep.out[0].data, "\xde\xad", 2);
    /* Bytes the client could not read. */
    assert_int_equal(request(r, fd, SOCKPROTO_WRITE, &wf, sizeof wf, NULL,
                             &rep), -EFAULT);
    close(fd);

    /* O_RDONLY: EBADF comes first, from the VFS. */
    fd = open_bus(r, O_RDONLY);
    assert_int_equal(request(r, fd, SOCKPROTO_WRITE, &wf, sizeof wf, NULL,
                             &rep), -EBADF);
    assert_int_equal(request(r, fd, SOCKPROTO_READ, &rd, sizeof rd, NULL,
                             &rep), -ENXIO); /* address 0: nobody there */
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) \
    cmocka_unit_test_setup_teardown(f, sock_rig_setup, sock_rig_teardown)
        T(hello_lists_every_bus),
        T(open_takes_a_bus_number),
        T(integer_ioctls_need_no_memory),
        T(funcs_comes_back_as_an_output_region),
        T(smbus_fetches_memory_in_rounds),
        T(carried_regions_need_no_round),
        T(rdwr_in_one_round),
        T(memfault_gives_efault),
        T(rdwr_fetches_each_buffer),
        T(read_and_write_carry_their_bytes),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
