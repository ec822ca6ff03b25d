/* SPDX-License-Identifier: MIT */
/*
 * The control socket: accepts connections from our own uid and root,
 * splits their input into lines and answers each request (request.c), all
 * on the board's loop without ever blocking it. A line longer than
 * CTL_MAX_LINE gets an error and the connection is dropped; a client that
 * stalls half-way through a line, or never reads its replies, holds only
 * its own connection.
 */
#include "control/control.h"
#include "control/request.h"
#include "control/trace_stream.h"
#include "frontends/sock_access.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 16
/* Replies not yet read by the client: past this, stop reading requests. */
#define OUT_HIGH (4 * CTL_MAX_LINE)
/* How often pending waits are re-checked. */
#define TICK_NS 10000000u

struct conn {
    struct ctl_server *s;
    struct conn *next;
    int fd;
    struct i2cemu_watch *watch;
    char *in;             /* received bytes not yet handled */
    size_t inlen, incap;
    char *out;            /* replies not yet sent */
    size_t outlen, outoff;
    bool waiting;         /* `wait` pending: later requests queue behind */
    struct ctl_wait wait;
    struct ctl_trace *trace; /* `trace` streaming to this client */
    bool eof;             /* the client sent all it will send */
    bool dead;            /* close at the next reap */
};

struct ctl_server {
    struct i2cemu_board *b;
    struct i2cemu_loop *loop;
    int fd;
    struct i2cemu_watch *watch;
    char *path;
    struct conn *conns;
    unsigned nconns;
    int tfd;                  /* wall-clock tick for pending waits */
    struct i2cemu_watch *tick;
    bool ticking;
    void (*quit)(void *opaque);
    void *quit_opaque;
    bool quitting;
    struct trace_fanout *traces; /* where `trace` attaches; may be NULL */
};

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

char *ctl_socket_path(const char *client_socket)
{
    char *p;

    return asprintf(&p, "%s.ctl", client_socket) < 0 ? NULL : p;
}

static void update_events(struct conn *c)
{
    int ev = 0;

    if (!c->eof && !c->dead && c->inlen <= CTL_MAX_LINE)
        ev |= POLLIN;
    if (c->outoff < c->outlen && !c->dead)
        ev |= POLLOUT;
    i2cemu_watch_set_events(c->watch, ev);
}

static void flush(struct conn *c)
{
    while (!c->dead && c->outoff < c->outlen) {
        ssize_t n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n <= 0) {
            c->dead = true;
            break;
        }
        c->outoff += (size_t)n;
    }
    if (c->outoff == c->outlen)
        c->outoff = c->outlen = 0;
}

/* Queue bytes for the client and try to send them at once. */
static void queue(struct conn *c, const char *buf, size_t len)
{
    char *out;

    if (c->dead)
        return;
    if (c->outoff) { /* keep the unsent part at the start */
        memmove(c->out, c->out + c->outoff, c->outlen - c->outoff);
        c->outlen -= c->outoff;
        c->outoff = 0;
    }
    if (!buf || !(out = realloc(c->out, c->outlen + len))) {
        c->dead = true; /* out of memory: the client would wait forever */
        return;
    }
    c->out = out;
    memcpy(c->out + c->outlen, buf, len);
    c->outlen += len;
    flush(c);
}

/* Queue a reply (and free it). */
static void reply(struct conn *c, json_t *r)
{
    size_t len = 0;
    char *line = r ? ctl_reply_line(r, &len) : NULL;

    json_decref(r);
    queue(c, line, len);
    free(line);
}

/* ---- `trace`: events queued as lines, within CTL_TRACE_QUEUE -------- */

static size_t trace_room(void *opaque)
{
    struct conn *c = opaque;
    size_t unsent = c->outlen - c->outoff;

    return c->dead || unsent >= CTL_TRACE_QUEUE ? 0
                                                : CTL_TRACE_QUEUE - unsent;
}

static void trace_put(void *opaque, const char *buf, size_t len)
{
    struct conn *c = opaque;

    queue(c, buf, len);
    if (!c->dead) /* what send() did not take goes when the socket can */
        update_events(c);
}

static void trace_end(struct conn *c, json_t *r)
{
    uint64_t lost = ctl_trace_stop(c->trace);

    c->trace = NULL;
    if (r)
        json_object_set_new(r, "dropped", json_integer((json_int_t)lost));
}

/* Start (CTL_TRACE) or stop the stream; sends the reply r. */
static void trace_request(struct conn *c, enum ctl_outcome out, json_t *r)
{
    struct ctl_trace_out to = { .room = trace_room, .put = trace_put,
                                .opaque = c };
    const char *refusal = NULL;

    if (out == CTL_TRACE && c->trace)
        refusal = "trace: this connection is tracing already";
    else if (out == CTL_TRACE && !c->s->traces)
        refusal = "trace: this daemon cannot trace";
    else if (out == CTL_TRACE_STOP && !c->trace)
        refusal = "trace: this connection is not tracing";
    if (refusal) {
        json_object_set_new(r, "ok", json_false());
        json_object_set_new(r, "error", json_string(refusal));
    } else if (out == CTL_TRACE_STOP) {
        trace_end(c, r);
    }
    reply(c, r);
    if (refusal || out != CTL_TRACE)
        return;
    /* After the reply, so the events follow it. */
    c->trace = ctl_trace_start(c->s->b, c->s->traces, c->wait.trace_bus,
                               &to);
    if (!c->trace)
        c->dead = true; /* out of memory: no stream will come */
}

static void set_ticking(struct ctl_server *s)
{
    bool any = false;
    struct itimerspec its = { .it_value.tv_sec = 0 };

    for (struct conn *c = s->conns; c; c = c->next)
        any = any || c->waiting;
    if (any == s->ticking)
        return;
    if (any)
        its.it_interval.tv_nsec = its.it_value.tv_nsec = TICK_NS;
    timerfd_settime(s->tfd, 0, &its, NULL);
    s->ticking = any;
}

static bool backed_up(const struct conn *c)
{
    return c->outlen - c->outoff >= OUT_HIGH;
}

/* Answer complete lines until a wait is pending or replies back up.
 * Returns true if any request was answered. */
static bool handle_lines(struct conn *c)
{
    struct ctl_server *s = c->s;
    size_t done = 0;
    bool answered = false;

    while (c->inlen > done && !c->dead && !c->waiting && !s->quitting &&
           !backed_up(c)) {
        char *nl = memchr(c->in + done, '\n', c->inlen - done);
        size_t len = nl ? (size_t)(nl - (c->in + done)) : c->inlen - done;
        json_t *r;
        enum ctl_outcome out;

        /* At the end of the input, the last line needs no newline. */
        if ((!nl && !(c->eof && len)) || len > CTL_MAX_LINE)
            break;
        switch (out = ctl_request(s->b, c->in + done, len, now_ns(), &r,
                                  &c->wait)) {
        case CTL_WAIT:
            c->waiting = true;
            break;
        case CTL_QUIT:
            s->quitting = true;
            reply(c, r);
            break;
        case CTL_REPLY:
            reply(c, r);
            break;
        case CTL_TRACE:
        case CTL_TRACE_STOP:
            trace_request(c, out, r);
            break;
        }
        answered = true;
        done += len + (nl ? 1 : 0);
    }
    if (done) {
        memmove(c->in, c->in + done, c->inlen - done);
        c->inlen -= done;
    }
    return answered;
}

/* Answer every wait whose condition holds. Returns true if any was. */
static bool poll_waits(struct ctl_server *s)
{
    uint64_t now = now_ns();
    bool answered = false;

    for (struct conn *c = s->conns; c; c = c->next) {
        json_t *r;
        if (!c->waiting || c->dead ||
            !(r = ctl_wait_poll(s->b, &c->wait, now)))
            continue;
        ctl_wait_clear(&c->wait);
        c->waiting = false;
        reply(c, r);
        answered = true;
    }
    return answered;
}

/* Until nothing changes: answer the waits that hold (a set may be what
 * another client waits for), then the requests queued behind them. */
static void run(struct ctl_server *s)
{
    bool progress;

    do {
        progress = poll_waits(s);
        for (struct conn *c = s->conns; c; c = c->next)
            progress = handle_lines(c) || progress;
    } while (progress);
}

/* The first buffered line, newline excluded, is over CTL_MAX_LINE. */
static bool line_too_long(const struct conn *c)
{
    return c->inlen > CTL_MAX_LINE && !memchr(c->in, '\n', CTL_MAX_LINE + 1);
}

static void conn_input(struct conn *c)
{
    /* Read at most one line's worth ahead: a client cannot make us hold
     * more than CTL_MAX_LINE + 1 bytes of its input. */
    while (!c->eof && !c->dead && c->inlen <= CTL_MAX_LINE) {
        if (c->inlen == c->incap) {
            size_t cap = c->incap ? c->incap * 2 : 4096;
            char *in;
            if (cap > CTL_MAX_LINE + 1)
                cap = CTL_MAX_LINE + 1;
            if (!(in = realloc(c->in, cap))) {
                c->dead = true;
                return;
            }
            c->in = in;
            c->incap = cap;
        }
        ssize_t n = recv(c->fd, c->in + c->inlen, c->incap - c->inlen,
                         MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n <= 0) {
            c->eof = true;
            c->dead = n < 0;
            break;
        }
        c->inlen += (size_t)n;
        handle_lines(c);
    }
    if (line_too_long(c)) {
        /* While a wait is pending an error now would answer out of
         * order: then the connection is just dropped. */
        if (!c->waiting)
            reply(c, ctl_fail("request longer than %d bytes: connection "
                              "dropped", CTL_MAX_LINE));
        else
            c->dead = true;
        c->eof = true;
        c->inlen = 0;
    }
}

static void conn_close(struct conn *c)
{
    struct ctl_server *s = c->s;
    struct conn **pp = &s->conns;

    while (*pp != c)
        pp = &(*pp)->next;
    *pp = c->next;
    s->nconns--;
    if (c->trace)
        trace_end(c, NULL);
    i2cemu_watch_free(c->watch);
    close(c->fd);
    ctl_wait_clear(&c->wait);
    free(c->in);
    free(c->out);
    free(c);
}

/* Close what is finished, then maybe quit. Called last by every callback:
 * nothing touches a connection after this. */
static void reap(struct ctl_server *s)
{
    struct conn *c, *next;
    bool quit = s->quitting;

    for (c = s->conns; c; c = next) {
        next = c->next;
        if (c->eof && c->trace) /* the client is gone: so is its trace */
            trace_end(c, NULL);
        if (c->eof && !c->waiting && c->outoff == c->outlen && !c->inlen)
            c->dead = true; /* all answered */
        if (c->dead)
            conn_close(c);
        else
            update_events(c);
    }
    set_ticking(s);
    if (quit && s->quit) {
        s->quit(s->quit_opaque);
        s->quit = NULL;
    }
}

static void conn_cb(struct i2cemu_watch *w, int fd, int revents,
                    void *opaque)
{
    struct conn *c = opaque;

    (void)w;
    (void)fd;
    if (revents & (POLLIN | POLLHUP | POLLERR))
        conn_input(c);
    flush(c);
    /* Requests queued behind a full output or a wait may go on now. */
    run(c->s);
    reap(c->s);
}

static void tick_cb(struct i2cemu_watch *w, int fd, int revents,
                    void *opaque)
{
    struct ctl_server *s = opaque;
    uint64_t n;

    (void)w;
    (void)revents;
    if (read(fd, &n, sizeof(n)) < 0) {
        /* EAGAIN: nothing expired; re-check anyway. */
    }
    run(s);
    reap(s);
}

/* Our own uid and root, and nobody else, may steer the board: a socket
 * of mode 0600 and no group. */
static const struct sock_access owner_only;

static void refuse(int fd, const char *why)
{
    json_t *r = ctl_fail("%s", why);
    size_t len;
    char *line = r ? ctl_reply_line(r, &len) : NULL;

    if (line && send(fd, line, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
        /* Best effort: the connection is closed either way. */
    }
    free(line);
    json_decref(r);
    close(fd);
}

static void conn_new(struct ctl_server *s, int fd)
{
    struct conn *c;
    uid_t uid;

    if (!sock_access_peer_ok(fd, &owner_only, &uid)) {
        close(fd);
        return;
    }
    if (s->nconns >= MAX_CONNS) {
        refuse(fd, "too many control connections");
        return;
    }
    c = calloc(1, sizeof(*c));
    if (!c || !(c->watch = i2cemu_watch_new(s->loop, fd, POLLIN, conn_cb,
                                            c))) {
        free(c);
        close(fd);
        return;
    }
    c->s = s;
    c->fd = fd;
    c->next = s->conns;
    s->conns = c;
    s->nconns++;
}

static void accept_cb(struct i2cemu_watch *w, int fd, int revents,
                      void *opaque)
{
    struct ctl_server *s = opaque;
    int cfd;

    (void)w;
    (void)revents;
    while ((cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
        conn_new(s, cfd);
}

struct ctl_server *ctl_server_new(struct i2cemu_board *b, const char *path,
                                  void (*quit)(void *opaque), void *opaque,
                                  struct i2cemu_error *err)
{
    struct sockaddr_un sa;
    struct ctl_server *s;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        i2cemu_error_set(err, "%s: control socket path too long", path);
        return NULL;
    }
    if (!(s = calloc(1, sizeof(*s))) || !(s->path = strdup(path))) {
        free(s);
        i2cemu_error_set(err, "out of memory");
        return NULL;
    }
    s->b = b;
    s->loop = i2cemu_board_loop(b);
    s->quit = quit;
    s->quit_opaque = opaque;
    s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->tfd < 0 || s->fd < 0) {
        i2cemu_error_set(err, "%s: %s", path, strerror(errno));
        goto fail;
    }
    /* Created 0600, so there is no moment when others may connect. */
    if (sock_access_bind(s->fd, path, &owner_only) < 0) {
        i2cemu_error_set(err, "%s: %s", path, strerror(errno));
        goto fail;
    }
    if (listen(s->fd, 16) < 0 ||
        !(s->watch = i2cemu_watch_new(s->loop, s->fd, POLLIN, accept_cb,
                                      s)) ||
        !(s->tick = i2cemu_watch_new(s->loop, s->tfd, POLLIN, tick_cb, s))) {
        i2cemu_error_set(err, "%s: %s", path,
                         errno ? strerror(errno) : "out of memory");
        i2cemu_watch_free(s->watch);
        unlink(path);
        goto fail;
    }
    return s;
fail:
    if (s->fd >= 0)
        close(s->fd);
    if (s->tfd >= 0)
        close(s->tfd);
    free(s->path);
    free(s);
    return NULL;
}

void ctl_server_set_traces(struct ctl_server *s, struct trace_fanout *f)
{
    s->traces = f;
}

void ctl_server_free(struct ctl_server *s)
{
    if (!s)
        return;
    while (s->conns)
        conn_close(s->conns);
    i2cemu_watch_free(s->tick);
    i2cemu_watch_free(s->watch);
    close(s->tfd);
    close(s->fd);
    unlink(s->path);
    free(s->path);
    free(s);
}
