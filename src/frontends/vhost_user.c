// SPDX-License-Identifier: MIT
/*
 * The vhost-user side of the vhost-user-i2c frontend: the listening socket,
 * one front end (QEMU) at a time, and the protocol messages it sends
 * (docs/interop/vhost-user.rst in QEMU). The guest memory it shares is
 * mapped by vhost_user_mem.c.
 *
 * A message is a 12-byte header { u32 request; u32 flags; u32 size; } and
 * `size` bytes of payload; file descriptors ride along with SCM_RIGHTS.
 * The socket is non-blocking and a message may come in pieces: it is
 * collected, then handled. A reply carries the same request and the REPLY
 * flag; a message without one gets a u64 status back when it set
 * NEED_REPLY and REPLY_ACK was negotiated.
 */
#include "frontends/vhost_user.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "frontends/sock_access.h"
#include "frontends/vhost_user_priv.h"

enum {
    GET_FEATURES = 1,
    SET_FEATURES = 2,
    SET_OWNER = 3,
    RESET_OWNER = 4,
    SET_MEM_TABLE = 5,
    SET_VRING_NUM = 8,
    SET_VRING_ADDR = 9,
    SET_VRING_BASE = 10,
    GET_VRING_BASE = 11,
    SET_VRING_KICK = 12,
    SET_VRING_CALL = 13,
    SET_VRING_ERR = 14,
    GET_PROTOCOL_FEATURES = 15,
    SET_PROTOCOL_FEATURES = 16,
    GET_QUEUE_NUM = 17,
    SET_VRING_ENABLE = 18,
    GET_MAX_MEM_SLOTS = 36,
};

#define FLAG_VERSION    1u
#define FLAG_REPLY      (1u << 2)
#define FLAG_NEED_REPLY (1u << 3)
#define VRING_NOFD      (1u << 8) /* in a KICK/CALL/ERR payload: no fd */

#define F_I2C_ZERO_LENGTH_REQUEST (1ull << 0)
#define F_RING_INDIRECT_DESC      (1ull << 28)
#define F_RING_EVENT_IDX          (1ull << 29)
#define F_PROTOCOL_FEATURES       (1ull << 30)
#define F_VERSION_1               (1ull << 32)
#define FEATURES (F_I2C_ZERO_LENGTH_REQUEST | F_RING_INDIRECT_DESC | \
                  F_RING_EVENT_IDX | F_PROTOCOL_FEATURES | F_VERSION_1)

#define PF_MQ        (1ull << 0)
#define PF_REPLY_ACK (1ull << 3)
#define PROTOCOL_FEATURES (PF_MQ | PF_REPLY_ACK)

#define HDR_LEN 12
#define MAX_PAYLOAD (8 + 32 * VU_MAX_REGIONS) /* the memory table */
#define MAX_FDS VU_MAX_REGIONS
#define MAX_RING 32768

struct region_msg {
    uint64_t gpa, size, qva, mmap_offset;
};

/* A message, its payload aligned (on the wire it follows the 12-byte
 * header at once). */
struct msg {
    uint32_t request, flags, size;
    union {
        uint64_t u64;
        struct { uint32_t index, num; } state;
        struct {
            uint32_t index, flags;
            uint64_t desc, used, avail, log;
        } addr;
        struct {
            uint32_t n, padding;
            struct region_msg r[VU_MAX_REGIONS];
        } mem;
        uint8_t raw[MAX_PAYLOAD];
    } u;
};

struct vhost_user {
    struct i2cemu_board *board;
    char *path;
    struct sock_access access;
    int lfd, cfd, kick_fd, err_fd;
    bool bound; /* the socket file is ours to remove */
    struct i2cemu_watch *lw, *cw, *kw;
    /* The message coming in, as on the wire, and the fds that came with
     * it. */
    uint8_t rx[HDR_LEN + MAX_PAYLOAD];
    size_t have;
    int fds[MAX_FDS];
    unsigned nfds;
    /* The session. */
    uint64_t features, pfeatures;
    struct vu_mem mem;
    uint64_t desc, avail, used; /* SET_VRING_ADDR's, 0: none yet */
    uint16_t num;
    bool enabled;
    struct vu_i2c_queue q;
};

__attribute__((format(printf, 2, 3)))
static void say(const struct vhost_user *vu, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "i2cemu: vhost-user %s: ", vu->path);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ---- the ring's state ---------------------------------------------- */

static void on_kick(struct i2cemu_watch *w, int fd, int revents, void *opaque)
{
    struct vhost_user *vu = opaque;
    uint64_t n;
    ssize_t r = read(fd, &n, sizeof n);

    (void)revents;
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
        say(vu, "the kick fd failed: no more kicks");
        i2cemu_watch_free(w);
        vu->kw = NULL;
        return;
    }
    vu_i2c_queue_kick(&vu->q);
}

/* Serve the ring when it has everything it needs, stop when not. */
static void update_ready(struct vhost_user *vu)
{
    bool enabled = vu->enabled || !(vu->features & F_PROTOCOL_FEATURES);
    bool ready = vu->q.ring.desc && vu->kick_fd >= 0 && enabled;

    if (ready && !vu->q.ready) {
        vu->q.ready = true;
        vu_i2c_queue_kick(&vu->q);
    } else if (!ready && vu->q.ready) {
        vu_i2c_queue_stop(&vu->q);
    }
}

/* Point the ring at guest memory again (new addresses or a new table). */
static bool map_ring(struct vhost_user *vu)
{
    struct vu_vring *r = &vu->q.ring;

    vu_i2c_queue_stop(&vu->q);
    r->desc = r->avail = r->used = NULL;
    if (!vu->desc || !vu->mem.n)
        return true; /* not yet */
    if (!vu_vring_map(r, &vu->mem, vu->num, vu->desc, vu->avail, vu->used))
        return false;
    r->used_idx = r->signalled =
        le16toh(__atomic_load_n((uint16_t *)(void *)(r->used + 2),
                                __ATOMIC_ACQUIRE));
    return true;
}

static void replace_fd(int *slot, int fd)
{
    if (*slot >= 0)
        close(*slot);
    *slot = fd;
}

static void stop_kick(struct vhost_user *vu)
{
    i2cemu_watch_free(vu->kw);
    vu->kw = NULL;
    replace_fd(&vu->kick_fd, -1);
}

/* Back to a fresh session: nothing mapped, no fds. */
static void reset_session(struct vhost_user *vu)
{
    vu_i2c_queue_stop(&vu->q);
    stop_kick(vu);
    replace_fd(&vu->q.call_fd, -1);
    replace_fd(&vu->err_fd, -1);
    vu_mem_unmap(&vu->mem);
    vu->features = vu->pfeatures = 0;
    vu->desc = vu->avail = vu->used = 0;
    vu->num = 0;
    vu->enabled = false;
    vu_i2c_queue_init(&vu->q, vu->board, vu->q.bus, vu->path);
}

/* ---- messages ------------------------------------------------------ */

/* The fd that came with a KICK/CALL/ERR message, now the caller's; -1 for
 * none (NOFD). -2 when the message is malformed. */
static int take_ring_fd(struct vhost_user *vu, const struct msg *m)
{
    int fd;

    if (m->size != 8 || (m->u.u64 & 0xff) != 0)
        return -2;
    if (m->u.u64 & VRING_NOFD)
        return vu->nfds == 0 ? -1 : -2;
    if (vu->nfds != 1)
        return -2;
    fd = vu->fds[0];
    vu->fds[0] = -1;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static int set_mem_table(struct vhost_user *vu, const struct msg *m)
{
    struct vu_mem mem = { 0 };
    unsigned n = m->u.mem.n;

    if (m->size < 8 || n == 0 || n > VU_MAX_REGIONS || n != vu->nfds ||
        m->size != 8 + 32 * n)
        return -1;
    for (; mem.n < n; mem.n++) {
        const struct region_msg *in = &m->u.mem.r[mem.n];

        if (!vu_mem_map(&mem.r[mem.n], in->gpa, in->size, in->qva,
                        in->mmap_offset, vu->fds[mem.n])) {
            vu_mem_unmap(&mem);
            return -1;
        }
    }
    /* The old mapping goes once nothing uses it: a group on the bus is
     * answered first. */
    vu_i2c_queue_stop(&vu->q);
    vu_mem_unmap(&vu->mem);
    vu->mem = mem;
    if (!map_ring(vu))
        say(vu, "the ring is outside the new memory table");
    update_ready(vu); /* a running ring goes on in the new mapping */
    return 0;
}

/* Handle m; returns 0 or -1 (failed: logged by the caller). A message with
 * a reply of its own puts it in *reply and sets *has_reply. */
static int handle(struct vhost_user *vu, const struct msg *m,
                  struct msg *reply, bool *has_reply)
{
    struct vu_vring *r = &vu->q.ring;
    bool state = m->size == 8 && m->u.state.index == 0;
    int fd;

    *has_reply = false;
    switch (m->request) {
    case GET_FEATURES:
    case GET_PROTOCOL_FEATURES:
    case GET_QUEUE_NUM:
    case GET_MAX_MEM_SLOTS:
        *has_reply = true;
        reply->size = 8;
        reply->u.u64 = m->request == GET_FEATURES ? FEATURES
                     : m->request == GET_PROTOCOL_FEATURES ? PROTOCOL_FEATURES
                     : m->request == GET_QUEUE_NUM ? 1 : VU_MAX_REGIONS;
        return 0;
    case SET_FEATURES:
    case SET_PROTOCOL_FEATURES:
        if (m->size != 8)
            return -1;
        if (m->request == SET_PROTOCOL_FEATURES) {
            if (m->u.u64 & ~PROTOCOL_FEATURES)
                return -1;
            vu->pfeatures = m->u.u64;
            return 0;
        }
        if (m->u.u64 & ~FEATURES)
            return -1;
        vu->features = m->u.u64;
        r->event_idx = vu->features & F_RING_EVENT_IDX;
        r->indirect = vu->features & F_RING_INDIRECT_DESC;
        return 0;
    case SET_OWNER:
        return 0;
    case RESET_OWNER:
        reset_session(vu);
        return 0;
    case SET_MEM_TABLE:
        return set_mem_table(vu, m);
    case SET_VRING_NUM:
        if (!state || !m->u.state.num || m->u.state.num > MAX_RING ||
            (m->u.state.num & (m->u.state.num - 1)))
            return -1;
        vu->num = (uint16_t)m->u.state.num;
        return 0;
    case SET_VRING_ADDR:
        if (m->size != sizeof m->u.addr || m->u.addr.index != 0 ||
            !m->u.addr.desc || !vu->num)
            return -1;
        vu->desc = m->u.addr.desc;
        vu->avail = m->u.addr.avail;
        vu->used = m->u.addr.used;
        if (!map_ring(vu)) {
            vu->desc = 0;
            return -1;
        }
        update_ready(vu);
        return 0;
    case SET_VRING_BASE:
        if (!state || m->u.state.num > 0xffff)
            return -1;
        r->last_avail = (uint16_t)m->u.state.num;
        return 0;
    case GET_VRING_BASE:
        if (!state)
            return -1;
        /* The ring stops: a group on the bus is answered now. */
        stop_kick(vu);
        update_ready(vu);
        *has_reply = true;
        reply->size = 8;
        reply->u.state.index = 0;
        reply->u.state.num = r->last_avail;
        return 0;
    case SET_VRING_KICK:
    case SET_VRING_CALL:
    case SET_VRING_ERR:
        if ((fd = take_ring_fd(vu, m)) == -2)
            return -1;
        if (m->request == SET_VRING_CALL) {
            replace_fd(&vu->q.call_fd, fd);
        } else if (m->request == SET_VRING_ERR) {
            replace_fd(&vu->err_fd, fd);
        } else {
            stop_kick(vu);
            if (fd < 0) /* polling the ring instead: not supported */
                return -1;
            vu->kick_fd = fd;
            if (!(vu->kw = i2cemu_watch_new(i2cemu_board_loop(vu->board), fd,
                                            POLLIN, on_kick, vu)))
                return -1;
            r->broken = false; /* a fresh start */
        }
        update_ready(vu);
        return 0;
    case SET_VRING_ENABLE:
        if (!state || m->u.state.num > 1)
            return -1;
        vu->enabled = m->u.state.num;
        update_ready(vu);
        return 0;
    default:
        say(vu, "message %u not supported", m->request);
        return -1;
    }
}

/* ---- the connection ------------------------------------------------ */

static void close_fds(struct vhost_user *vu)
{
    for (unsigned i = 0; i < vu->nfds; i++)
        if (vu->fds[i] >= 0)
            close(vu->fds[i]);
    vu->nfds = 0;
}

static void disconnect(struct vhost_user *vu, const char *why)
{
    if (why)
        say(vu, "front end dropped: %s", why);
    reset_session(vu);
    close_fds(vu);
    vu->have = 0;
    i2cemu_watch_free(vu->cw);
    vu->cw = NULL;
    replace_fd(&vu->cfd, -1);
}

static bool send_msg(struct vhost_user *vu, struct msg *reply, uint32_t req)
{
    uint8_t wire[HDR_LEN + MAX_PAYLOAD];
    size_t len = HDR_LEN + reply->size;

    reply->request = req;
    reply->flags = FLAG_VERSION | FLAG_REPLY;
    memcpy(wire, reply, HDR_LEN);
    memcpy(wire + HDR_LEN, &reply->u, reply->size);
    return send(vu->cfd, wire, len, MSG_NOSIGNAL | MSG_DONTWAIT) ==
           (ssize_t)len;
}

/* The size field of the message coming in. */
static uint32_t rx_size(const struct vhost_user *vu)
{
    uint32_t size;

    memcpy(&size, vu->rx + 8, 4);
    return size;
}

static void dispatch(struct vhost_user *vu)
{
    struct msg msg = { 0 }, reply = { 0 };
    const struct msg *m = &msg;
    bool has_reply;
    int r;

    memcpy(&msg, vu->rx, HDR_LEN);
    memcpy(&msg.u, vu->rx + HDR_LEN, msg.size);

    if ((m->flags & 3) != FLAG_VERSION) {
        disconnect(vu, "wrong protocol version");
        return;
    }
    r = handle(vu, m, &reply, &has_reply);
    close_fds(vu);
    if (r < 0)
        say(vu, "message %u failed", m->request);
    if (!has_reply && (m->flags & FLAG_NEED_REPLY) &&
        (vu->pfeatures & PF_REPLY_ACK)) {
        has_reply = true;
        reply.size = 8;
        reply.u.u64 = r < 0;
    }
    if (has_reply && !send_msg(vu, &reply, m->request))
        disconnect(vu, "cannot send a reply");
}

/* Take the fds that came with this piece of the message. */
static bool take_fds(struct vhost_user *vu, struct msghdr *mh)
{
    bool ok = !(mh->msg_flags & MSG_CTRUNC);

    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
        int *fds = (int *)(void *)CMSG_DATA(c);
        size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        for (size_t i = 0; i < n; i++) {
            if (vu->nfds < MAX_FDS) {
                vu->fds[vu->nfds++] = fds[i];
            } else {
                close(fds[i]);
                ok = false;
            }
        }
    }
    return ok;
}

static void on_conn(struct i2cemu_watch *w, int fd, int revents, void *opaque)
{
    struct vhost_user *vu = opaque;
    union {
        char buf[CMSG_SPACE(MAX_FDS * sizeof(int))];
        struct cmsghdr align;
    } ctl;

    (void)w;
    (void)revents;
    while (vu->cfd == fd) {
        size_t want = vu->have < HDR_LEN ? HDR_LEN : HDR_LEN + rx_size(vu);
        struct iovec iov = { vu->rx + vu->have, want - vu->have };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
                             .msg_control = ctl.buf,
                             .msg_controllen = sizeof ctl.buf };
        ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (n <= 0) {
            disconnect(vu, n == 0 ? NULL : strerror(errno));
            return;
        }
        if (!take_fds(vu, &mh)) {
            disconnect(vu, "too many file descriptors");
            return;
        }
        vu->have += (size_t)n;
        if (vu->have == HDR_LEN && rx_size(vu) > MAX_PAYLOAD) {
            disconnect(vu, "message too long");
            return;
        }
        if (vu->have == HDR_LEN + rx_size(vu)) {
            dispatch(vu);
            vu->have = 0;
        }
    }
}

static void on_listen(struct i2cemu_watch *w, int fd, int revents,
                      void *opaque)
{
    struct vhost_user *vu = opaque;
    int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    uid_t uid;

    (void)w;
    (void)revents;
    if (c < 0)
        return;
    if (vu->cfd >= 0 || !sock_access_peer_ok(c, &vu->access, &uid)) {
        say(vu, "connection refused: %s", vu->cfd >= 0
            ? "a front end is connected already" : "not our user");
        close(c);
        return;
    }
    vu->cfd = c;
    vu->cw = i2cemu_watch_new(i2cemu_board_loop(vu->board), c, POLLIN,
                              on_conn, vu);
    if (!vu->cw)
        disconnect(vu, "out of memory");
}

struct vhost_user *vhost_user_start(struct i2cemu_board *b, unsigned bus,
                                    const char *path,
                                    struct i2cemu_error *err)
{
    struct vhost_user *vu = calloc(1, sizeof(*vu));
    struct sockaddr_un sa = { .sun_family = AF_UNIX };

    if (!vu || !(vu->path = strdup(path))) {
        free(vu);
        i2cemu_error_set(err, "out of memory");
        return NULL;
    }
    vu->board = b;
    vu->lfd = vu->cfd = vu->kick_fd = vu->err_fd = -1;
    vu_i2c_queue_init(&vu->q, b, bus, vu->path);
    if (i2cemu_bus_profile(b, bus) != I2CEMU_PROFILE_I2C) {
        i2cemu_error_set(err, "vhost-user %s: bus %d is SMBus-only "
                         "(profile=stub): virtio-i2c needs I2C transfers",
                         path, i2cemu_bus_number(b, bus));
        goto fail;
    }
    if (strlen(path) >= sizeof sa.sun_path) {
        i2cemu_error_set(err, "vhost-user %s: path too long", path);
        goto fail;
    }
    if (sock_access_check_path(path, err) < 0)
        goto fail;
    strcpy(sa.sun_path, path);
    vu->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (vu->lfd < 0 || sock_access_bind(vu->lfd, path, &vu->access) < 0) {
        i2cemu_error_set(err, "vhost-user %s: %s", path, strerror(errno));
        goto fail;
    }
    vu->bound = true;
    if (listen(vu->lfd, 4) < 0) {
        i2cemu_error_set(err, "vhost-user %s: %s", path, strerror(errno));
        goto fail;
    }
    vu->lw = i2cemu_watch_new(i2cemu_board_loop(b), vu->lfd, POLLIN,
                              on_listen, vu);
    if (!vu->lw) {
        i2cemu_error_set(err, "out of memory");
        goto fail;
    }
    return vu;
fail:
    vhost_user_stop(vu);
    return NULL;
}

void vhost_user_stop(struct vhost_user *vu)
{
    if (!vu)
        return;
    disconnect(vu, NULL);
    i2cemu_watch_free(vu->lw);
    if (vu->lfd >= 0)
        close(vu->lfd);
    if (vu->bound)
        unlink(vu->path);
    free(vu->path);
    free(vu);
}
