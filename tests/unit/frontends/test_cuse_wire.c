/* SPDX-License-Identifier: MIT */
/* The FUSE messages a CUSE reader answers itself (cuse_wire.c): which it
 * takes and hands to the request side with what fields, which it leaves to
 * libfuse (every one it cannot trust), and the bytes of its replies, read
 * back from a pipe in place of /dev/cuse. The request side is stood in for
 * here; the guest suites run the real one against the kernel. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/fuse.h>

#include "frontends/cuse_priv.h"

/* What the stand-ins were last handed. */
static struct {
    int calls;
    struct cuse_in in;
    unsigned cmd, flags;
    uint64_t arg;
    uint8_t in_buf[64];
    size_t in_size, out_size, size;
    enum i2cemu_i2cdev_op op;
} seen;

void cuse_ioctl(struct cuse_node *node, const struct cuse_in *in,
                unsigned cmd, uint64_t arg, unsigned flags,
                const void *in_buf, size_t in_size, size_t out_size)
{
    (void)node;
    seen.calls++;
    seen.in = *in;
    seen.cmd = cmd;
    seen.arg = arg;
    seen.flags = flags;
    seen.in_size = in_size;
    seen.out_size = out_size;
    memcpy(seen.in_buf, in_buf, in_size < 64 ? in_size : 64);
}

void cuse_rw(struct cuse_node *node, const struct cuse_in *in,
             enum i2cemu_i2cdev_op op, size_t size, const uint8_t *buf)
{
    (void)node;
    seen.calls++;
    seen.in = *in;
    seen.op = op;
    seen.size = size;
    if (buf)
        memcpy(seen.in_buf, buf, size < 64 ? size : 64);
}

void cuse_interrupt(struct cuse_node *node, uint64_t unique)
{
    (void)node;
    seen.calls++;
    seen.in.unique = unique;
}

/* A message as the kernel writes it: header, argument, then `tail`. */
struct msg {
    struct fuse_in_header h;
    union {
        struct fuse_ioctl_in ioctl;
        struct fuse_read_in read;
        struct fuse_write_in write;
        struct fuse_interrupt_in intr;
    } a;
    uint8_t tail[64];
};

/* Serve `m`, its argument `arg_size` bytes long, `tail` bytes after it,
 * read() having returned `missing` bytes fewer than its header says.
 * Serving writes nothing itself: the stand-ins do not answer. */
static bool serve(struct msg *m, size_t arg_size, size_t tail,
                  size_t missing)
{
    struct cuse_node n;
    struct fuse_buf buf = { .mem = m };
    int p[2];
    uint8_t byte;
    bool r;

    assert_int_equal(pipe2(p, O_NONBLOCK), 0);
    n.fd = p[1];
    m->h.len = (uint32_t)(sizeof(m->h) + arg_size + tail);
    buf.size = m->h.len - missing;
    /* The argument and the tail back to back, as on the wire. */
    memmove((uint8_t *)&m->a + arg_size, m->tail, tail);
    memset(&seen, 0, sizeof(seen));
    r = cuse_wire_serve(&n, &buf);
    assert_int_equal(read(p[0], &byte, 1), -1);
    close(p[0]);
    close(p[1]);
    return r;
}

static struct msg ioctl_msg(uint32_t in_size)
{
    struct msg m = { .h = { .opcode = FUSE_IOCTL, .unique = 42, .pid = 321 } };

    m.a.ioctl = (struct fuse_ioctl_in){ .fh = 0x5000, .flags =
                                        FUSE_IOCTL_UNRESTRICTED, .cmd = 0x720,
                                        .arg = 0x7ffd1000, .in_size = in_size,
                                        .out_size = 34 };
    for (unsigned i = 0; i < in_size && i < sizeof(m.tail); i++)
        m.tail[i] = (uint8_t)(i + 1);
    return m;
}

/* An ioctl round reaches the request side with every field and its bytes. */
static void an_ioctl_round_is_handed_over_whole(void **state)
{
    struct msg m = ioctl_msg(16);

    (void)state;
    assert_true(serve(&m, sizeof(m.a.ioctl), 16, 0));
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.in.unique, 42);
    assert_int_equal(seen.in.tid, 321);
    assert_int_equal(seen.in.fh, 0x5000);
    assert_int_equal(seen.cmd, 0x720);
    assert_int_equal(seen.arg, 0x7ffd1000);
    assert_int_equal(seen.flags, FUSE_IOCTL_UNRESTRICTED);
    assert_int_equal(seen.in_size, 16);
    assert_int_equal(seen.out_size, 34);
    assert_int_equal(seen.in_buf[0], 1);
    assert_int_equal(seen.in_buf[15], 16);
}

/* A message this side cannot trust goes to libfuse, untouched. */
static void what_does_not_add_up_is_left_to_libfuse(void **state)
{
    struct msg m = ioctl_msg(17);

    (void)state;
    /* in_size one byte past the message */
    assert_false(serve(&m, sizeof(m.a.ioctl), 16, 0));
    /* a length the read did not return */
    m = ioctl_msg(16);
    assert_false(serve(&m, sizeof(m.a.ioctl), 16, 8));
    /* too short for its argument */
    m = ioctl_msg(0);
    assert_false(serve(&m, sizeof(m.a.ioctl) - 8, 0, 0));
    /* a directory's ioctl, an open, a write past its end */
    m = ioctl_msg(0);
    m.a.ioctl.flags |= FUSE_IOCTL_DIR;
    assert_false(serve(&m, sizeof(m.a.ioctl), 0, 0));
    m = (struct msg){ .h = { .opcode = FUSE_OPEN } };
    assert_false(serve(&m, 8, 0, 0));
    m = (struct msg){ .h = { .opcode = FUSE_WRITE } };
    m.a.write.size = 5;
    assert_false(serve(&m, sizeof(m.a.write), 4, 0));
    assert_int_equal(seen.calls, 0);
}

/* read() and write() of the node, and an interrupt (no reply). */
static void reads_writes_and_interrupts(void **state)
{
    struct msg m = { .h = { .opcode = FUSE_READ, .unique = 7 } };

    (void)state;
    m.a.read = (struct fuse_read_in){ .fh = 9, .size = 3 };
    assert_true(serve(&m, sizeof(m.a.read), 0, 0));
    assert_int_equal(seen.op, I2CEMU_I2CDEV_OP_READ);
    assert_int_equal(seen.size, 3);
    assert_int_equal(seen.in.fh, 9);

    m = (struct msg){ .h = { .opcode = FUSE_WRITE, .unique = 8 },
                      .tail = { 0xaa, 0xbb } };
    m.a.write = (struct fuse_write_in){ .fh = 9, .size = 2 };
    assert_true(serve(&m, sizeof(m.a.write), 2, 0));
    assert_int_equal(seen.op, I2CEMU_I2CDEV_OP_WRITE);
    assert_int_equal(seen.size, 2);
    assert_int_equal(seen.in_buf[1], 0xbb);

    m = (struct msg){ .h = { .opcode = FUSE_INTERRUPT, .unique = 10 } };
    m.a.intr.unique = 8;
    assert_true(serve(&m, sizeof(m.a.intr), 0, 0));
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.in.unique, 8);
    assert_false(serve(&m, sizeof(m.a.intr) - 1, 0, 0));
}

/* The reply's bytes, from the pipe. */
static size_t reply(int fd, uint8_t *buf, size_t size)
{
    ssize_t n = read(fd, buf, size);

    assert_true(n >= (ssize_t)sizeof(struct fuse_out_header));
    assert_int_equal(((struct fuse_out_header *)buf)->len, n);
    return (size_t)n;
}

/* Each reply as libfuse would write it: header, argument, data. */
static void replies_are_libfuses_bytes(void **state)
{
    int p[2];
    uint8_t b[1024];
    struct fuse_out_header *h = (void *)b;
    struct fuse_ioctl_out *o = (void *)(h + 1);
    struct fuse_ioctl_iovec *v = (void *)(o + 1);
    const struct iovec in[2] = { { (void *)0x1000, 16 }, { (void *)0x2000, 34 } };
    const uint8_t data[3] = { 1, 2, 3 };
    const struct i2cemu_i2cdev_out out[2] = { { .data = data, .len = 2 },
                                              { .data = data + 2, .len = 1 } };
    const struct i2cemu_i2cdev_out asked_out = { .addr = 0x2000, .len = 34 };
    struct cuse_node n = { .fd = -1 };

    (void)state;
    assert_int_equal(pipe(p), 0);
    n.fd = p[1];

    cuse_wire_err(&n, 5, ENXIO);
    assert_int_equal(reply(p[0], b, sizeof(b)), sizeof(*h));
    assert_int_equal(h->error, -ENXIO);
    assert_int_equal(h->unique, 5);

    cuse_wire_retry(&n, 6, in, 2, &asked_out, 1);
    assert_int_equal(reply(p[0], b, sizeof(b)),
                     sizeof(*h) + sizeof(*o) + 3 * sizeof(*v));
    assert_int_equal(h->error, 0);
    assert_int_equal(o->flags, FUSE_IOCTL_RETRY);
    assert_int_equal(o->in_iovs, 2);
    assert_int_equal(o->out_iovs, 1);
    assert_int_equal(v[1].base, 0x2000);
    assert_int_equal(v[1].len, 34);
    assert_int_equal(v[2].base, 0x2000);
    assert_int_equal(v[2].len, 34);

    cuse_wire_ioctl(&n, 7, 0, out, 2);
    assert_int_equal(reply(p[0], b, sizeof(b)), sizeof(*h) + sizeof(*o) + 3);
    assert_int_equal(o->result, 0);
    assert_int_equal(o->flags, 0);
    assert_memory_equal(o + 1, data, 3);

    cuse_wire_written(&n, 8, 2);
    assert_int_equal(reply(p[0], b, sizeof(b)),
                     sizeof(*h) + sizeof(struct fuse_write_out));
    assert_int_equal(((struct fuse_write_out *)(h + 1))->size, 2);

    cuse_wire_data(&n, 9, data, 3);
    assert_int_equal(reply(p[0], b, sizeof(b)), sizeof(*h) + 3);
    assert_memory_equal(h + 1, data, 3);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_ioctl_round_is_handed_over_whole),
        cmocka_unit_test(what_does_not_add_up_is_left_to_libfuse),
        cmocka_unit_test(reads_writes_and_interrupts),
        cmocka_unit_test(replies_are_libfuses_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
