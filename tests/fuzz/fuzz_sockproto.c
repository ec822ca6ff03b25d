/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the preload frontend's socket server
 * (src/frontends/sock_server.c, sockproto.h): a real server on a unix
 * socket in a private temporary directory, one client that writes the
 * fuzz input as its byte stream (in chunks, with loop iterations in
 * between), a bounded number of loop iterations, then the client goes
 * away and the server is freed.
 *
 * Input: [chunk][flags] then the client's byte stream.
 *   chunk  0: write everything at once; else bytes per write().
 *   flags  bit 0: a second client sends the same stream, interleaved (two
 *                 open files, transfers queued behind each other);
 *          bit 1: VIRTUAL clock and bus 1 held by "another master", so
 *                 transfers stay on the bus and the client can leave
 *                 mid-transfer; bit 2: step the clock before leaving;
 *          bit 3: shutdown(SHUT_WR) and read the answers before closing;
 *          bit 4: the clients never read (the server's queue backs up);
 *          bit 5: free the server while the clients are still connected.
 *
 * Invariants: the server survives and frees everything (ASan, LSan); what
 * it sends parses: one HELLO with the magic and at most 256 buses first,
 * then only NEED (1..8192 bytes) and RESULT (nout <= 43 regions of
 * 1..8192 bytes whose sizes add up to the header's length).
 */
#include <errno.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "frontends/sock_server.h"
#include "frontends/sockproto.h"

static char dir[64], path[96];

static void cleanup(void)
{
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/i2cemu-fuzz-sock-XXXXXX");
    FUZZ_CHECK(mkdtemp(dir), "mkdtemp");
    snprintf(path, sizeof path, "%s/sock", dir);
    atexit(cleanup);
    return 0;
}

/* ---- what the client receives --------------------------------------- */

#define RX_MAX (4u << 20)

struct rx {
    uint8_t *buf;
    size_t len, cap;
};

static void rx_drain(int fd, struct rx *rx)
{
    uint8_t tmp[65536];
    ssize_t n;

    if (fd < 0)
        return;
    while ((n = recv(fd, tmp, sizeof tmp, MSG_DONTWAIT)) > 0) {
        if (rx->len + (size_t)n > RX_MAX)
            continue; /* keep the first 4 MiB */
        if (rx->len + (size_t)n > rx->cap) {
            size_t cap = rx->cap ? rx->cap * 2 : 65536;
            while (cap < rx->len + (size_t)n)
                cap *= 2;
            rx->buf = realloc(rx->buf, cap);
            FUZZ_CHECK(rx->buf, "realloc");
            rx->cap = cap;
        }
        memcpy(rx->buf + rx->len, tmp, (size_t)n);
        rx->len += (size_t)n;
    }
}

static void rx_check(const struct rx *rx)
{
    size_t off = 0;
    bool hello = false;

    while (off + sizeof(struct sockproto_hdr) <= rx->len) {
        struct sockproto_hdr h;
        memcpy(&h, rx->buf + off, sizeof h);
        off += sizeof h;
        if (rx->len - off < h.len)
            return; /* cut at the 4 MiB mark, or by the close */
        const uint8_t *body = rx->buf + off;
        off += h.len;

        if (!hello) {
            struct sockproto_hello m;
            FUZZ_CHECK(h.type == SOCKPROTO_HELLO, "first message type %u",
                       h.type);
            FUZZ_CHECK(h.len >= sizeof m, "hello len %u", h.len);
            memcpy(&m, body, sizeof m);
            FUZZ_CHECK(m.magic == SOCKPROTO_MAGIC &&
                           m.version == SOCKPROTO_VERSION &&
                           m.nbuses <= SOCKPROTO_MAX_BUSES &&
                           h.len == sizeof m + m.nbuses *
                                                   sizeof(struct sockproto_bus),
                       "bad hello");
            hello = true;
            continue;
        }
        switch (h.type) {
        case SOCKPROTO_NEED: {
            struct sockproto_need m;
            FUZZ_CHECK(h.len == sizeof m, "need len %u", h.len);
            memcpy(&m, body, sizeof m);
            FUZZ_CHECK(m.len >= 1 && m.len <= SOCKPROTO_MAX_REGION,
                       "need.len %u", m.len);
            break;
        }
        case SOCKPROTO_RESULT: {
            struct sockproto_result m;
            FUZZ_CHECK(h.len >= sizeof m, "result len %u", h.len);
            memcpy(&m, body, sizeof m);
            FUZZ_CHECK(m.nout <= SOCKPROTO_MAX_OUT, "nout %u", m.nout);
            FUZZ_CHECK(m.result >= -4095 && m.result <= 8192,
                       "result %lld", (long long)m.result);
            FUZZ_CHECK(m.result >= 0 || m.nout == 0, "regions after an error");
            size_t p = sizeof m;
            for (uint32_t i = 0; i < m.nout; i++) {
                struct sockproto_out o;
                FUZZ_CHECK(p + sizeof o <= h.len, "result truncated");
                memcpy(&o, body + p, sizeof o);
                FUZZ_CHECK(o.len >= 1 && o.len <= SOCKPROTO_MAX_REGION,
                           "out.len %u", o.len);
                p += sizeof o + o.len;
                FUZZ_CHECK(p <= h.len, "result region overruns");
            }
            FUZZ_CHECK(p == h.len, "result len %u, regions %zu", h.len, p);
            break;
        }
        default:
            FUZZ_CHECK(0, "server sent type %u", h.type);
        }
    }
}

/* ---- the run -------------------------------------------------------- */

static int client_connect(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

    FUZZ_CHECK(fd >= 0, "socket");
    strcpy(sa.sun_path, path);
    FUZZ_CHECK(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0,
               "connect: %s", strerror(errno));
    return fd;
}

struct client {
    int fd;
    struct fin in; /* what it still has to send */
    struct rx rx;
};

static bool no_read;

static void spin(struct i2cemu_loop *loop, struct client *c, int nc, int n)
{
    for (int i = 0; i < n; i++) {
        i2cemu_loop_run_once(loop, false);
        for (int k = 0; k < nc && !no_read; k++)
            rx_drain(c[k].fd, &c[k].rx);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin in = { data, size };
    struct i2cemu_error err = { "" };
    struct client cl[2];

    if (size > 65536)
        return -1;
    size_t chunk = fin_u8(&in);
    uint8_t flags = fin_u8(&in);
    bool virt = flags & 2;
    int nc = flags & 1 ? 2 : 1;
    no_read = flags & 16;

    struct i2cemu_loop *loop =
        i2cemu_loop_new(virt ? I2CEMU_CLOCK_VIRTUAL : I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b = fuzz_board_new(loop);
    if (virt)
        i2cemu_bus_inject_hold(b, (unsigned)i2cemu_bus_find(b, FUZZ_BUS_I2C),
                               50000000u);
    struct sock_server *srv = sock_server_new(b, path, &err);
    FUZZ_CHECK(srv, "sock_server_new: %s", err.msg);

    for (int k = 0; k < nc; k++) {
        cl[k] = (struct client){ .fd = client_connect(), .in = in };
    }
    spin(loop, cl, nc, 2);

    if (!chunk)
        chunk = in.n ? in.n : 1;
    for (int stalls = 0; stalls < 64;) {
        bool more = false;
        for (int k = 0; k < nc; k++) {
            struct fin *f = &cl[k].in;
            if (!f->n || cl[k].fd < 0)
                continue;
            size_t want = chunk < f->n ? chunk : f->n;
            ssize_t n = send(cl[k].fd, f->p, want, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                f->n = 0; /* the server dropped this client */
                continue;
            }
            if (n < 0) {
                stalls++;
            } else {
                f->p += n;
                f->n -= (size_t)n;
            }
            more |= f->n > 0;
        }
        spin(loop, cl, nc, 2);
        if (!more)
            break;
    }
    spin(loop, cl, nc, 8);
    if (flags & 4)
        i2cemu_loop_advance(loop, 100000000u); /* past the hold */
    spin(loop, cl, nc, 4);
    if (flags & 8) {
        for (int k = 0; k < nc; k++)
            shutdown(cl[k].fd, SHUT_WR);
        spin(loop, cl, nc, 8);
    }
    for (int k = 0; k < nc; k++)
        rx_check(&cl[k].rx);

    if (!(flags & 32)) {
        for (int k = 0; k < nc; k++)
            close(cl[k].fd);
        spin(loop, cl, 0, 4);
    }
    sock_server_free(srv);
    if (flags & 32)
        for (int k = 0; k < nc; k++)
            close(cl[k].fd);
    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
    for (int k = 0; k < nc; k++)
        free(cl[k].rx.buf);
    return 0;
}
