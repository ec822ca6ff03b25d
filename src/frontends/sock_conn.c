// SPDX-License-Identifier: MIT
/*
 * One connection of the preload frontend's socket server: one open file
 * description of /dev/i2c-N, one struct i2cemu_i2cdev_file. It only moves
 * bytes: the i2c-dev layer decides every result, and the client's memory
 * comes with the request, or in NEED/MEM rounds for what did not
 * (sockproto.h, docs/protocol.md).
 *
 * Input is taken one message at a time into a bounded buffer, and nothing
 * more is read until the answer is sent: one message is all the output a
 * client can hold. A client that breaks the protocol is marked broken, for
 * the server to drop.
 */
#include "frontends/sock_conn.h"

#include "core/share.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define container_of(p, type, member)                                         \
    ((type *)(void *)((char *)(p) - offsetof(type, member)))

/* Output held for one client: one message, the largest a RESULT with 43
 * full regions (about 345 KiB). A buffer over KEEP_OUT is freed once sent. */
#define MAX_OUT                                                               \
    (sizeof(struct sockproto_hdr) + sizeof(struct sockproto_result) +        \
     SOCKPROTO_MAX_OUT * (sizeof(struct sockproto_out) + SOCKPROTO_MAX_REGION))
#define KEEP_OUT 16384u
/* Input and client memory kept between requests: a WRITE's 8 KiB fit. */
#define KEEP_IN 16384u
#define KEEP_MEM 16384u
/* Messages taken from one client per wake-up, so none can starve the rest. */
#define MAX_BATCH 16

/* ---- output -------------------------------------------------------- */

static void append(struct conn *c, const void *p, size_t n)
{
    if (c->broken)
        return;
    if (c->out_len + n > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap : 4096;
        uint8_t *o;

        while (cap < c->out_len + n)
            cap *= 2;
        if (cap > MAX_OUT)
            cap = MAX_OUT;
        if (c->out_len + n > cap || !(o = realloc(c->out, cap))) {
            c->broken = true;
            return;
        }
        c->out = o;
        c->out_cap = cap;
    }
    memcpy(c->out + c->out_len, p, n);
    c->out_len += n;
}

static void queue(struct conn *c, uint32_t type, const void *body,
                  uint32_t len)
{
    struct sockproto_hdr h = { type, len };

    append(c, &h, sizeof h);
    append(c, body, len);
}

void sock_conn_flush(struct conn *c)
{
    while (c->out_sent < c->out_len && !c->broken) {
        ssize_t n = send(c->fd, c->out + c->out_sent,
                         c->out_len - c->out_sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                c->broken = true;
            break;
        }
        c->out_sent += (size_t)n;
    }
    if (c->out_sent == c->out_len) {
        c->out_sent = c->out_len = 0;
        if (c->out_cap > KEEP_OUT) {
            free(c->out);
            c->out = NULL;
            c->out_cap = 0;
        }
    }
    /* Read the next message only once this answer is out. */
    if (c->pollout != (c->out_len > 0)) {
        c->pollout = c->out_len > 0;
        i2cemu_watch_set_events(c->watch, c->pollout ? POLLOUT : POLLIN);
    }
}

static void queue_hello(struct conn *c)
{
    const struct i2cemu_board *b = c->board;
    unsigned n = i2cemu_bus_count(b);
    struct sockproto_hello h = { SOCKPROTO_MAGIC, SOCKPROTO_VERSION, 0 };
    struct sockproto_hdr hdr = { SOCKPROTO_HELLO, 0 };

    if (n > SOCKPROTO_MAX_BUSES)
        n = SOCKPROTO_MAX_BUSES;
    h.nbuses = (uint16_t)n;
    hdr.len = (uint32_t)(sizeof h + n * sizeof(struct sockproto_bus));
    append(c, &hdr, sizeof hdr);
    append(c, &h, sizeof h);
    for (unsigned i = 0; i < n; i++) {
        const char *name = i2cemu_bus_name(b, i);
        struct sockproto_bus e = {
            .number = i2cemu_bus_number(b, i),
            .funcs = i2cemu_bus_funcs(b, i),
            .profile = i2cemu_bus_profile(b, i) == I2CEMU_PROFILE_STUB
                           ? SOCKPROTO_PROFILE_STUB
                           : SOCKPROTO_PROFILE_I2C,
        };

        if (name)
            memcpy(e.name, name, strnlen(name, sizeof e.name - 1));
        append(c, &e, sizeof e);
    }
}

static void queue_result(struct conn *c, int result)
{
    const struct i2cemu_i2cdev_req *req = &c->req;
    struct sockproto_result r = { .result = result, .nout = req->nout };
    struct sockproto_hdr hdr = { SOCKPROTO_RESULT, sizeof r };

    for (unsigned i = 0; i < req->nout; i++)
        hdr.len += (uint32_t)sizeof(struct sockproto_out) + req->out[i].len;
    append(c, &hdr, sizeof hdr);
    append(c, &r, sizeof r);
    for (unsigned i = 0; i < req->nout; i++) {
        struct sockproto_out o = { req->out[i].addr, req->out[i].len, 0 };

        append(c, &o, sizeof o);
        append(c, req->out[i].data, o.len);
    }
}

/* ---- requests ------------------------------------------------------ */

/* Makes *buf hold n bytes, growing it by half again at least: false if it
 * cannot. */
static bool reserve(uint8_t **buf, size_t *cap, size_t n)
{
    size_t want = *cap + *cap / 2 > n ? *cap + *cap / 2 : n;
    uint8_t *b;

    if (n <= *cap)
        return true;
    if (!(b = realloc(*buf, want)))
        return false;
    *buf = b;
    *cap = want;
    return true;
}

/* A buffer grown past `keep` for one big message goes once it is used. */
static void shrink(uint8_t **buf, size_t *cap, size_t keep)
{
    if (*cap > keep) {
        free(*buf);
        *buf = NULL;
        *cap = 0;
    }
}

static void drop_regions(struct conn *c)
{
    c->nregions = 0;
    c->mem_len = 0;
    shrink(&c->mem, &c->mem_cap, KEEP_MEM);
}

/* `data` NULL records a region the client could not read. */
static bool add_region(struct conn *c, uint64_t addr, uint32_t len,
                       const void *data)
{
    struct region *r = &c->regions[c->nregions];

    if (c->nregions == MAX_REGIONS ||
        (data && !reserve(&c->mem, &c->mem_cap, c->mem_len + len)))
        return false;
    *r = (struct region){ addr, len, !data, c->mem_len };
    if (data) {
        memcpy(c->mem + c->mem_len, data, len);
        c->mem_len += len;
    }
    c->nregions++;
    return true;
}

/* The i2c-dev layer's view of client memory: what was fetched so far. */
static int umem_read(struct i2cemu_umem *m, uint64_t addr, void *dst,
                     size_t len)
{
    struct conn *c = container_of(m, struct conn, umem);

    for (unsigned i = 0; i < c->nregions; i++) {
        const struct region *r = &c->regions[i];

        /* A fault is known only for the exact range that was asked for:
         * part of it may still be readable. */
        if (r->fault) {
            if (r->addr == addr && r->len == len)
                return -EFAULT;
        } else if (addr >= r->addr && len <= r->len &&
                   addr - r->addr <= r->len - len) {
            memcpy(dst, c->mem + r->off + (addr - r->addr), len);
            return 0;
        }
    }
    return -EAGAIN;
}

static void finish(struct conn *c)
{
    queue_result(c, c->req.result);
    i2cemu_i2cdev_req_release(&c->req);
    drop_regions(c);
    c->state = C_IDLE;
}

/* Completion runs deep inside the master, maybe before submit returns:
 * answer from the loop instead. */
static void req_done(struct i2cemu_i2cdev_req *req)
{
    struct conn *c = container_of(req, struct conn, req);

    if (!c->srv) { /* cancelled by sock_conn_free: nobody to answer */
        i2cemu_i2cdev_req_release(req);
        free(c->mem);
        free(c);
        return;
    }
    c->state = C_DONE;
    i2cemu_loop_defer(i2cemu_board_loop(c->board), &c->answer);
}

static void answer_cb(struct i2cemu_timer *t)
{
    struct conn *c = t->opaque;

    finish(c);
    sock_conn_flush(c);
    if (c->broken)
        sock_server_drop(c);
}

/* Decode the request again with the memory fetched so far. */
static void step(struct conn *c)
{
    switch (i2cemu_i2cdev_prepare(&c->file, &c->req, &c->umem)) {
    case I2CEMU_I2CDEV_NEED: {
        struct sockproto_need n = { c->req.need.addr, c->req.need.len, 0 };

        if (n.len > SOCKPROTO_MAX_REGION || c->nregions == MAX_REGIONS) {
            /* More client memory than the protocol carries (no request
             * of the i2c-dev ABI needs that much). */
            c->req.result = -ENOMEM;
            c->req.nout = 0;
            finish(c);
            return;
        }
        queue(c, SOCKPROTO_NEED, &n, sizeof n);
        c->state = C_NEED;
        return;
    }
    case I2CEMU_I2CDEV_DONE:
        finish(c);
        return;
    case I2CEMU_I2CDEV_SUBMIT:
        c->state = C_BUSY;
        i2cemu_i2cdev_submit(&c->file, &c->req, req_done);
        return;
    }
}

/* ---- input --------------------------------------------------------- */

/* Whether a message of this type and body length may come now. */
static bool acceptable(const struct conn *c, const struct sockproto_hdr *h)
{
    switch (h->type) {
    case SOCKPROTO_OPEN:
        return c->state == C_OPEN && h->len == sizeof(struct sockproto_open);
    case SOCKPROTO_IOCTL:
        return c->state == C_IDLE &&
               h->len >= sizeof(struct sockproto_ioctl) &&
               h->len <= SOCKPROTO_MAX_IOCTL;
    case SOCKPROTO_READ:
        return c->state == C_IDLE && h->len == sizeof(struct sockproto_read);
    case SOCKPROTO_WRITE:
        return c->state == C_IDLE &&
               h->len >= sizeof(struct sockproto_write) &&
               h->len <= sizeof(struct sockproto_write) + SOCKPROTO_MAX_REGION;
    case SOCKPROTO_MEM:
        return c->state == C_NEED && h->len == c->req.need.len;
    case SOCKPROTO_MEMFAULT:
        return c->state == C_NEED && h->len == 0;
    }
    return false;
}

/* The client memory an IOCTL carries, served to the layer like MEMs:
 * false if the descriptors and the bytes do not add up. */
static bool take_regions(struct conn *c, uint32_t nin)
{
    const uint8_t *d = c->body + sizeof(struct sockproto_ioctl);
    size_t left = c->hdr.len - sizeof(struct sockproto_ioctl);
    size_t descr = (size_t)nin * sizeof(struct sockproto_in);
    const uint8_t *data;

    if (nin > SOCKPROTO_MAX_IN || left < descr)
        return false;
    data = d + descr;
    left -= descr;
    for (uint32_t i = 0; i < nin; i++) {
        struct sockproto_in in;

        memcpy(&in, d + i * sizeof in, sizeof in);
        if (in.len == 0 || in.len > SOCKPROTO_MAX_REGION || in.fault > 1 ||
            (!in.fault && in.len > left) ||
            !add_region(c, in.addr, in.len, in.fault ? NULL : data))
            return false;
        if (!in.fault) {
            data += in.len;
            left -= in.len;
        }
    }
    return left == 0;
}

static void start(struct conn *c, enum i2cemu_i2cdev_op op)
{
    i2cemu_i2cdev_req_init(&c->req, op);
    switch (op) {
    case I2CEMU_I2CDEV_OP_IOCTL: {
        struct sockproto_ioctl m;

        memcpy(&m, c->body, sizeof m);
        c->req.cmd = m.cmd;
        c->req.arg = m.arg;
        c->req.compat = m.compat != 0;
        if (!take_regions(c, m.nin)) {
            c->broken = true;
            return;
        }
        break;
    }
    case I2CEMU_I2CDEV_OP_READ: {
        struct sockproto_read m;

        memcpy(&m, c->body, sizeof m);
        c->req.arg = m.addr; /* where out[0], the bytes read, goes */
        c->req.count = (size_t)m.count;
        break;
    }
    case I2CEMU_I2CDEV_OP_WRITE: {
        struct sockproto_write m;
        uint32_t n = c->hdr.len - (uint32_t)sizeof m;
        uint32_t want;

        memcpy(&m, c->body, sizeof m);
        want = m.count < SOCKPROTO_MAX_REGION ? (uint32_t)m.count
                                              : SOCKPROTO_MAX_REGION;
        if (m.fault ? n != 0 : n != want) {
            c->broken = true;
            return;
        }
        /* The bytes are client memory, served to the layer like a MEM. */
        if (want && !add_region(c, m.addr, want,
                                m.fault ? NULL : c->body + sizeof m)) {
            c->broken = true;
            return;
        }
        c->req.arg = m.addr;
        c->req.count = (size_t)m.count;
        break;
    }
    }
    step(c);
}

static void handle(struct conn *c)
{
    switch (c->hdr.type) {
    case SOCKPROTO_OPEN: {
        struct sockproto_open m;
        int r;

        memcpy(&m, c->body, sizeof m);
        r = i2cemu_i2cdev_open(&c->file, c->board, m.number, m.flags);
        if (r == 0) {
            struct ucred cr;
            socklen_t len = sizeof cr;
            /* The process that opened the node, for traces. */
            if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0)
                c->file.pid = cr.pid;
            c->state = C_IDLE;
        }
        queue_result(c, r);
        return;
    }
    case SOCKPROTO_IOCTL:
        start(c, I2CEMU_I2CDEV_OP_IOCTL);
        return;
    case SOCKPROTO_READ:
        start(c, I2CEMU_I2CDEV_OP_READ);
        return;
    case SOCKPROTO_WRITE:
        start(c, I2CEMU_I2CDEV_OP_WRITE);
        return;
    case SOCKPROTO_MEM:
    case SOCKPROTO_MEMFAULT:
        if (!add_region(c, c->req.need.addr, c->req.need.len,
                        c->hdr.type == SOCKPROTO_MEM ? c->body : NULL)) {
            c->broken = true;
            return;
        }
        step(c);
        return;
    }
}

void sock_conn_input(struct conn *c)
{
    const size_t hl = sizeof c->hdr;

    for (unsigned batch = 0; batch < MAX_BATCH && !c->broken && !c->out_len;) {
        uint8_t *at = c->got < hl ? (uint8_t *)&c->hdr + c->got
                                  : c->body + (c->got - hl);
        size_t want = c->got < hl ? hl - c->got : hl + c->hdr.len - c->got;
        ssize_t n = recv(c->fd, at, want, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            /* EOF or error: the client is gone, whatever it was doing. */
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
                c->broken = true;
            return;
        }
        c->got += (size_t)n;
        if (c->got == hl && (!acceptable(c, &c->hdr) ||
                             !reserve(&c->body, &c->body_cap, c->hdr.len))) {
            c->broken = true;
            return;
        }
        if (c->got >= hl && c->got == hl + c->hdr.len) {
            c->got = 0;
            handle(c);
            shrink(&c->body, &c->body_cap, KEEP_IN);
            sock_conn_flush(c);
            batch++;
        }
        sock_server_check_stall(c);
    }
}

/* ---- life ---------------------------------------------------------- */

/* The HELLO's first bytes carry the shared arena's memfd (SCM_RIGHTS) to
 * a client of our own uid: another user served through a group socket
 * could corrupt every client's state with it (docs/protocol.md). */
static void send_share(struct conn *c)
{
    int fd = share_fd(c->board);
    struct ucred cr;
    socklen_t len = sizeof cr;
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } ctl;
    struct iovec iov = { c->out, c->out_len };
    struct msghdr m = {
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf,
    };
    struct cmsghdr *h;
    ssize_t n;

    if (fd < 0 || c->broken || !c->out_len ||
        getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 ||
        cr.uid != geteuid())
        return;
    memset(&ctl, 0, sizeof ctl);
    h = CMSG_FIRSTHDR(&m);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    h->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(h), &fd, sizeof fd);
    n = sendmsg(c->fd, &m, MSG_NOSIGNAL);
    if (n > 0) {
        c->out_sent = (size_t)n; /* the rest goes out as usual */
        c->shared = true;
        share_peer_add(c->board);
    }
}

void sock_conn_start(struct conn *c)
{
    c->umem.read = umem_read;
    i2cemu_timer_init(&c->answer, answer_cb, c);
    queue_hello(c);
    send_share(c);
    sock_conn_flush(c);
}

void sock_conn_free(struct conn *c)
{
    if (c->shared)
        share_peer_remove(c->board);
    i2cemu_watch_free(c->watch);
    close(c->fd);
    free(c->out);
    free(c->body);
    c->body = NULL;
    c->srv = NULL;
    if (c->state == C_BUSY) {
        /* The transfer ends now: req_done runs and frees c. */
        i2cemu_i2cdev_cancel(&c->req);
        return;
    }
    i2cemu_timer_stop(i2cemu_board_loop(c->board), &c->answer);
    i2cemu_i2cdev_req_release(&c->req);
    free(c->mem);
    free(c);
}
