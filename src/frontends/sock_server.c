// SPDX-License-Identifier: MIT
/*
 * The daemon side of the preload frontend: the listening socket and its
 * connections (sock_conn.c), one per open file description of /dev/i2c-N.
 *
 * It runs on the board's loop and never blocks. Only the peers that
 * sock_access.h allows are served, at most SOCK_SERVER_MAX_CLIENTS at a
 * time. A client that breaks the protocol, goes away, or stalls halfway
 * through a message or before its OPEN is dropped, and a transfer it left
 * on the bus is cancelled.
 */
#include "frontends/sock_server.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/share.h"
#include "frontends/sock_conn.h"

struct sock_server {
    struct i2cemu_board *board;
    struct sock_server_opts opts;
    char *path;
    int fd;
    struct i2cemu_watch *watch;
    struct conn *clients;
    unsigned nclients;
    bool accept_paused;
    /* Stalled clients are dropped on the wall clock, whatever the board's
     * clock does: a timerfd armed for the earliest deadline. */
    int tfd;
    struct i2cemu_watch *twatch;
    bool stall_armed;
};

/* ---- stalls -------------------------------------------------------- */

static uint64_t monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t stall_ns(const struct sock_server *s)
{
    return (uint64_t)(s->opts.stall_ms ? s->opts.stall_ms
                                       : SOCK_SERVER_STALL_MS) * 1000000u;
}

static void arm_stall(struct sock_server *s, uint64_t deadline)
{
    struct itimerspec its = { .it_value = {
        .tv_sec = (time_t)(deadline / 1000000000u),
        .tv_nsec = (long)(deadline % 1000000000u),
    } };

    timerfd_settime(s->tfd, TFD_TIMER_ABSTIME, &its, NULL);
    s->stall_armed = true;
}

/* A client idle between requests costs nothing and may stay; one that owes
 * the rest of a message, or its OPEN, holds a slot for nothing. */
void sock_server_check_stall(struct conn *c)
{
    if (c->got == 0 && c->state != C_OPEN) {
        c->stall_since = 0;
    } else if (!c->stall_since) {
        c->stall_since = monotonic_ns();
        if (!c->srv->stall_armed)
            arm_stall(c->srv, c->stall_since + stall_ns(c->srv));
    }
}

static void stall_cb(struct i2cemu_watch *w, int fd, int revents,
                     void *opaque)
{
    struct sock_server *s = opaque;
    uint64_t n, now = monotonic_ns(), next = 0;

    (void)w;
    (void)revents;
    if (read(fd, &n, sizeof n) < 0) {
        /* EAGAIN: re-armed since it fired; the scan below is still right. */
    }
    s->stall_armed = false;
    for (struct conn *c = s->clients, *after; c; c = after) {
        uint64_t due = c->stall_since + stall_ns(s);

        after = c->next;
        if (!c->stall_since)
            continue;
        if (due <= now)
            sock_server_drop(c);
        else if (!next || due < next)
            next = due;
    }
    if (next)
        arm_stall(s, next);
}

/* ---- connections --------------------------------------------------- */

void sock_server_drop(struct conn *c)
{
    struct sock_server *s = c->srv;

    *c->pprev = c->next;
    if (c->next)
        c->next->pprev = c->pprev;
    s->nclients--;
    if (s->accept_paused) {
        i2cemu_watch_set_events(s->watch, POLLIN);
        s->accept_paused = false;
    }
    sock_conn_free(c);
}

static void conn_cb(struct i2cemu_watch *w, int fd, int revents, void *opaque)
{
    struct conn *c = opaque;

    (void)w;
    (void)fd;
    if (revents & (POLLIN | POLLHUP | POLLERR))
        sock_conn_input(c);
    sock_conn_flush(c);
    if (c->broken)
        sock_server_drop(c);
}

static void conn_new(struct sock_server *s, int fd)
{
    struct conn *c = calloc(1, sizeof *c);

    if (!c || !(c->watch = i2cemu_watch_new(i2cemu_board_loop(s->board), fd,
                                            POLLIN, conn_cb, c))) {
        free(c);
        close(fd);
        return;
    }
    c->srv = s;
    c->board = s->board;
    c->fd = fd;
    c->next = s->clients;
    if (c->next)
        c->next->pprev = &c->next;
    c->pprev = &s->clients;
    s->clients = c;
    s->nclients++;
    sock_server_check_stall(c); /* until its OPEN */
    sock_conn_start(c);
    if (c->broken)
        sock_server_drop(c);
}

/* One client too many: a RESULT in place of the HELLO says why, and the
 * shim's open() fails with that errno. */
static void refuse(int fd, int err)
{
    struct {
        struct sockproto_hdr h;
        struct sockproto_result r;
    } m = { { SOCKPROTO_RESULT, sizeof m.r }, { .result = err } };

    if (send(fd, &m, sizeof m, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
        /* It went away already. */
    }
    close(fd);
}

static void accept_cb(struct i2cemu_watch *w, int fd, int revents,
                      void *opaque)
{
    struct sock_server *s = opaque;
    int cfd;

    (void)w;
    (void)revents;
    while ((cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
        uid_t uid;

        if (!sock_access_peer_ok(cfd, &s->opts.access, &uid)) {
            char group[32] = "";

            if (s->opts.access.group)
                snprintf(group, sizeof group, " and group %u",
                         (unsigned)s->opts.access.gid);
            fprintf(stderr, "i2cemu: %s: refused a client of uid %d (serving "
                    "only uid %d, root%s)\n", s->path, (int)uid,
                    (int)geteuid(), group);
            close(cfd);
        } else if (s->nclients >= SOCK_SERVER_MAX_CLIENTS) {
            refuse(cfd, -ENFILE);
        } else {
            conn_new(s, cfd);
        }
    }
    /* Out of fds, the waiting connection would wake us again at once:
     * wait for a client to leave. */
    if ((errno == EMFILE || errno == ENFILE) && s->nclients) {
        i2cemu_watch_set_events(s->watch, 0);
        s->accept_paused = true;
    }
}

struct sock_server *sock_server_new_with(struct i2cemu_board *b,
                                         const char *path,
                                         const struct sock_server_opts *o,
                                         struct i2cemu_error *err)
{
    struct i2cemu_loop *loop = i2cemu_board_loop(b);
    struct sockaddr_un sa;
    struct sock_server *s;
    struct i2cemu_error serr = { { 0 } };

    if (strlen(path) >= sizeof sa.sun_path) {
        i2cemu_error_set(err, "%s: socket path too long", path);
        return NULL;
    }
    if (!(s = calloc(1, sizeof *s)) || !(s->path = strdup(path))) {
        free(s);
        i2cemu_error_set(err, "out of memory");
        return NULL;
    }
    s->board = b;
    s->opts = *o;
    s->tfd = -1;
    /* The preload fast path (docs/fastpath.md); without it every request
     * goes through the socket, as it would anyway. */
    if (share_enable(b, &serr) < 0)
        fprintf(stderr, "i2cemu: %s: the preload fast path is off\n",
                serr.msg);
    s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->fd < 0 || sock_access_bind(s->fd, path, &o->access) < 0) {
        i2cemu_error_set(err, "%s: %s", path, strerror(errno));
        goto fail;
    }
    s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (s->tfd < 0 || listen(s->fd, SOMAXCONN) < 0 ||
        !(s->twatch = i2cemu_watch_new(loop, s->tfd, POLLIN, stall_cb, s)) ||
        !(s->watch = i2cemu_watch_new(loop, s->fd, POLLIN, accept_cb, s))) {
        i2cemu_error_set(err, "%s: %s", path, strerror(errno));
        unlink(path);
        goto fail;
    }
    return s;
fail:
    i2cemu_watch_free(s->twatch);
    if (s->tfd >= 0)
        close(s->tfd);
    if (s->fd >= 0)
        close(s->fd);
    free(s->path);
    free(s);
    return NULL;
}

struct sock_server *sock_server_new(struct i2cemu_board *b, const char *path,
                                    struct i2cemu_error *err)
{
    const struct sock_server_opts defaults = { .stall_ms = 0 };

    return sock_server_new_with(b, path, &defaults, err);
}

void sock_server_free(struct sock_server *s)
{
    if (!s)
        return;
    while (s->clients)
        sock_server_drop(s->clients);
    i2cemu_watch_free(s->watch);
    i2cemu_watch_free(s->twatch);
    close(s->tfd);
    close(s->fd);
    unlink(s->path);
    free(s->path);
    free(s);
}
