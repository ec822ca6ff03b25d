// SPDX-License-Identifier: MIT
/* The fake vhost-user front end (vu_fake.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "frontends/vhost_user.h"
#include "vu_fake.h"

static struct vhost_user *daemon_side; /* one fake at a time */

void vu_fake_pump(struct vu_fake *f)
{
    for (int i = 0; i < 20; i++)
        i2cemu_loop_run_once(f->bench->loop, false);
}

void vu_fake_connect(struct vu_fake *f)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };

    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", f->path);
    f->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(f->sock >= 0);
    assert_int_equal(connect(f->sock, (struct sockaddr *)&sa, sizeof sa), 0);
    vu_fake_pump(f);
}

void vu_fake_disconnect(struct vu_fake *f)
{
    close(f->sock);
    f->sock = -1;
    vu_fake_pump(f);
}

void vu_fake_init(struct vu_fake *f, struct bench *bench)
{
    struct i2cemu_error err = {{0}};
    int bus;

    *f = (struct vu_fake){ .bench = bench, .heap = VU_FAKE_HEAP };
    snprintf(f->dir, sizeof f->dir, "/tmp/vu-test-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/vi2c.sock", f->dir);
    bus = i2cemu_bus_find(bench->b, 1);
    assert_true(bus >= 0);
    daemon_side = vhost_user_start(bench->b, (unsigned)bus, f->path, &err);
    if (!daemon_side)
        fail_msg("vhost_user_start: %s", err.msg);

    f->memfd = memfd_create("guest", MFD_CLOEXEC);
    assert_true(f->memfd >= 0);
    assert_int_equal(ftruncate(f->memfd, VU_FAKE_MEM), 0);
    f->mem = mmap(NULL, VU_FAKE_MEM, PROT_READ | PROT_WRITE, MAP_SHARED,
                  f->memfd, 0);
    assert_true(f->mem != MAP_FAILED);
    f->kick = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    f->call = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    assert_true(f->kick >= 0 && f->call >= 0);
    vu_fake_connect(f);
}

void vu_fake_fini(struct vu_fake *f)
{
    if (f->sock >= 0)
        close(f->sock);
    vhost_user_stop(daemon_side);
    daemon_side = NULL;
    assert_int_equal(access(f->path, F_OK), -1); /* the socket is gone */
    rmdir(f->dir);
    munmap(f->mem, VU_FAKE_MEM);
    close(f->memfd);
    close(f->kick);
    close(f->call);
}

uint64_t vu_fake_msg(struct vu_fake *f, uint32_t req, uint32_t flags,
                     const void *payload, uint32_t size, const int *fds,
                     unsigned nfds, bool reply)
{
    uint8_t buf[12 + 512];
    uint32_t hdr[3] = { req, 1 | flags, size };
    union {
        char b[CMSG_SPACE(8 * sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = { buf, 12 + size };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
    uint64_t v = 0;

    assert_true(size <= 512);
    memcpy(buf, hdr, 12);
    if (size)
        memcpy(buf + 12, payload, size);
    if (nfds) {
        struct cmsghdr *c;

        mh.msg_control = ctl.b;
        mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
        c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
        memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
    }
    assert_int_equal(sendmsg(f->sock, &mh, MSG_NOSIGNAL), 12 + size);
    vu_fake_pump(f);
    if (reply) {
        uint32_t rh[3];

        assert_int_equal(recv(f->sock, rh, 12, MSG_DONTWAIT), 12);
        assert_int_equal(rh[0], req);
        assert_int_equal(rh[1], 1 | 4); /* version 1, REPLY */
        assert_int_equal(rh[2], 8);
        assert_int_equal(recv(f->sock, &v, 8, MSG_DONTWAIT), 8);
    }
    /* Nothing more was sent. */
    assert_int_equal(recv(f->sock, buf, 1, MSG_DONTWAIT), -1);
    return v;
}

static uint64_t u64msg(struct vu_fake *f, uint32_t req, uint64_t v,
                       const int *fd, bool reply)
{
    return vu_fake_msg(f, req, 0, &v, 8, fd, fd ? 1 : 0, reply);
}

static void state(struct vu_fake *f, uint32_t req, uint32_t num)
{
    uint32_t s[2] = { 0, num };

    vu_fake_msg(f, req, 0, s, 8, NULL, 0, false);
}

void vu_fake_setup(struct vu_fake *f, uint64_t features)
{
    struct {
        uint32_t n, pad;
        uint64_t gpa, size, qva, off;
    } mt = { 1, 0, VU_FAKE_GPA, VU_FAKE_MEM, VU_FAKE_QVA, 0 };
    struct {
        uint32_t index, flags;
        uint64_t desc, used, avail, log;
    } addr = { 0, 0, VU_FAKE_QVA + VU_FAKE_DESC, VU_FAKE_QVA + VU_FAKE_USED,
               VU_FAKE_QVA + VU_FAKE_AVAIL, 0 };

    memset(f->mem, 0, VU_FAKE_HEAP);
    f->avail_idx = f->used_seen = 0;
    assert_int_equal(u64msg(f, VU_GET_FEATURES, 0, NULL, true) & features,
                     features);
    assert_int_equal(u64msg(f, VU_GET_PROTOCOL_FEATURES, 0, NULL, true) & 9,
                     9); /* MQ, REPLY_ACK */
    u64msg(f, VU_SET_PROTOCOL_FEATURES, 9, NULL, false);
    assert_int_equal(u64msg(f, VU_GET_QUEUE_NUM, 0, NULL, true), 1);
    vu_fake_msg(f, VU_SET_OWNER, 0, NULL, 0, NULL, 0, false);
    u64msg(f, VU_SET_VRING_CALL, 0, &f->call, false);
    u64msg(f, VU_SET_VRING_ERR, 0x100, NULL, false); /* no fd */
    u64msg(f, VU_SET_FEATURES, features, NULL, false);
    assert_int_equal(vu_fake_msg(f, VU_SET_MEM_TABLE, VU_NEED_REPLY, &mt,
                                 sizeof mt, &f->memfd, 1, true), 0);
    state(f, VU_SET_VRING_NUM, VU_FAKE_NUM);
    state(f, VU_SET_VRING_BASE, 0);
    vu_fake_msg(f, VU_SET_VRING_ADDR, 0, &addr, sizeof addr, NULL, 0, false);
    u64msg(f, VU_SET_VRING_KICK, 0, &f->kick, false);
    state(f, VU_SET_VRING_ENABLE, 1);
    f->heap = VU_FAKE_HEAP;
}

uint32_t vu_fake_alloc(struct vu_fake *f, uint32_t len)
{
    uint32_t off = f->heap;

    f->heap = (f->heap + len + 15) & ~15u;
    assert_true(f->heap <= VU_FAKE_MEM);
    return off;
}

void vu_fake_desc(struct vu_fake *f, uint32_t table, unsigned i, uint64_t gpa,
                  uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t *d = f->mem + table + 16 * i;

    memcpy(d, &gpa, 8);
    memcpy(d + 8, &len, 4);
    memcpy(d + 12, &flags, 2);
    memcpy(d + 14, &next, 2);
}

void vu_fake_avail(struct vu_fake *f, uint16_t head)
{
    uint16_t idx = f->avail_idx++;

    memcpy(f->mem + VU_FAKE_AVAIL + 4 + 2 * (idx % VU_FAKE_NUM), &head, 2);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    memcpy(f->mem + VU_FAKE_AVAIL + 2, &f->avail_idx, 2);
}

void vu_fake_kick(struct vu_fake *f)
{
    uint64_t one = 1;

    assert_int_equal(write(f->kick, &one, 8), 8);
    vu_fake_pump(f);
}

unsigned vu_fake_used(struct vu_fake *f)
{
    uint16_t idx;

    memcpy(&idx, f->mem + VU_FAKE_USED + 2, 2);
    unsigned n = (uint16_t)(idx - f->used_seen);
    f->used_seen = idx;
    return n;
}

bool vu_fake_called(struct vu_fake *f)
{
    uint64_t n;

    return read(f->call, &n, 8) == 8;
}

/* One request as Linux's i2c-virtio queues it: an indirect table of
 * out_hdr, the buffer (if any), in_hdr. */
static void queue_one(struct vu_fake *f, struct vu_fake_req *r)
{
    uint32_t table = vu_fake_alloc(f, 48), hdr = vu_fake_alloc(f, 8);
    uint16_t addr = (uint16_t)(r->addr << 1);
    uint32_t flags = (r->fail_next ? 1u : 0) | (r->rd ? 2u : 0);
    unsigned i = 0;
    uint16_t head = f->avail_idx % VU_FAKE_NUM;

    memset(f->mem + hdr, 0, 8);
    memcpy(f->mem + hdr, &addr, 2);
    memcpy(f->mem + hdr + 4, &flags, 4);
    r->status = vu_fake_alloc(f, 1);
    f->mem[r->status] = 0xee; /* neither OK nor ERR */
    vu_fake_desc(f, table, i, VU_FAKE_GPA + hdr, 8, VRING_DESC_F_NEXT, 1);
    i++;
    if (r->len) {
        r->buf = vu_fake_alloc(f, r->len);
        if (r->rd)
            memset(f->mem + r->buf, 0xee, r->len);
        else
            memcpy(f->mem + r->buf, r->wdata, r->len);
        vu_fake_desc(f, table, i, VU_FAKE_GPA + r->buf, r->len,
                     VRING_DESC_F_NEXT | (r->rd ? VRING_DESC_F_WRITE : 0),
                     (uint16_t)(i + 1));
        i++;
    }
    vu_fake_desc(f, table, i, VU_FAKE_GPA + r->status, 1, VRING_DESC_F_WRITE,
                 0);
    i++;
    vu_fake_desc(f, VU_FAKE_DESC, head, VU_FAKE_GPA + table, 16 * i,
                 VRING_DESC_F_INDIRECT, 0);
    vu_fake_avail(f, head);
}

unsigned vu_fake_transfer(struct vu_fake *f, struct vu_fake_req *r,
                          unsigned n)
{
    f->heap = VU_FAKE_HEAP;
    for (unsigned i = 0; i < n; i++)
        queue_one(f, &r[i]);
    /* used_event: call me once you have used anything new, as Linux. */
    uint16_t event = (uint16_t)(f->used_seen + f->event_skip);

    memcpy(f->mem + VU_FAKE_AVAIL + 4 + 2 * VU_FAKE_NUM, &event, 2);
    vu_fake_kick(f);
    return vu_fake_used(f);
}
