/* SPDX-License-Identifier: MIT */
/* The preload shim makes one socket round trip per request, whatever its
 * type (docs/protocol.md): preload_trips, an uninstrumented program, makes
 * each request on a connection of its own through a proxy that counts the
 * messages the client sends; each connection must send three (OPEN,
 * I2C_SLAVE, the request), so no request needed a NEED round.
 *
 *   test_preload_trips CLIENT SHIM */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <i2cemu/i2cemu.h>

#include "frontends/sock_server.h"
#include "frontends/sockproto.h"

/* preload_trips.c's requests, in its order. */
static const char *const ops[] = {
    "SMBus write byte data", "SMBus read byte data", "SMBus write word",
    "SMBus read word", "I2C block write", "I2C block read",
    "I2C_RDWR write 1 + read 32", "I2C_RDWR of three messages", "write()",
    "read()", "I2C_RDWR, unreadable buffer", "SMBus write, unreadable data",
};
#define NOPS (sizeof ops / sizeof ops[0])

static const char *client, *shim;

/* ---- a proxy that counts the client's messages ---- */

struct pair {
    int c, s;
    uint8_t hdr[sizeof(struct sockproto_hdr)];
    size_t hgot;
    uint64_t skip; /* body bytes of the current message still to come */
    unsigned msgs;
};

static struct {
    int listen, stop[2];
    const char *server;
    struct pair p[NOPS + 4];
    unsigned n;
} px;

static int unix_socket(const char *path, bool listening)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    if (listening)
        assert_true(bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
                    listen(fd, 8) == 0);
    else
        assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

static void count(struct pair *p, const uint8_t *b, size_t n)
{
    while (n) {
        size_t k;

        if (p->skip) {
            k = n < p->skip ? n : (size_t)p->skip;
            p->skip -= k;
        } else {
            struct sockproto_hdr h;

            k = sizeof p->hdr - p->hgot < n ? sizeof p->hdr - p->hgot : n;
            memcpy(p->hdr + p->hgot, b, k);
            if ((p->hgot += k) == sizeof p->hdr) {
                memcpy(&h, p->hdr, sizeof h);
                p->skip = h.len;
                p->hgot = 0;
                p->msgs++;
            }
        }
        b += k;
        n -= k;
    }
}

/* Moves what from has to to: false at the end of either. */
static bool relay(int from, int to, struct pair *counted)
{
    uint8_t buf[65536];
    ssize_t n = read(from, buf, sizeof buf);

    if (n <= 0)
        return false;
    if (counted)
        count(counted, buf, (size_t)n);
    for (ssize_t done = 0, w; done < n; done += w)
        if ((w = write(to, buf + done, (size_t)(n - done))) <= 0)
            return false;
    return true;
}

static void *proxy(void *unused)
{
    (void)unused;
    for (;;) {
        struct pollfd fds[2 + 2 * (NOPS + 4)];
        unsigned nfds = 2;

        fds[0] = (struct pollfd){ px.stop[0], POLLIN, 0 };
        fds[1] = (struct pollfd){ px.listen, POLLIN, 0 };
        for (unsigned i = 0; i < px.n; i++) {
            fds[nfds++] = (struct pollfd){ px.p[i].c, POLLIN, 0 };
            fds[nfds++] = (struct pollfd){ px.p[i].s, POLLIN, 0 };
        }
        if (poll(fds, nfds, -1) < 0)
            continue;
        if (fds[0].revents)
            return NULL;
        if (fds[1].revents && px.n < NOPS + 4) {
            struct pair *p = &px.p[px.n++];

            *p = (struct pair){ .c = accept4(px.listen, NULL, NULL,
                                             SOCK_CLOEXEC),
                                .s = unix_socket(px.server, false) };
        }
        for (unsigned i = 0; i < px.n; i++) {
            struct pair *p = &px.p[i];
            short rc = fds[2 + 2 * i].revents, rs = fds[3 + 2 * i].revents;

            if (p->c < 0 || 2 + 2 * i >= nfds)
                continue;
            if ((rc && !relay(p->c, p->s, p)) ||
                (rs && !relay(p->s, p->c, NULL))) {
                close(p->c);
                close(p->s);
                p->c = p->s = -1; /* polling -1 is ignored */
            }
        }
    }
}

/* ---- the test ---- */

static void exited(struct i2cemu_watch *w, int fd, int revents, void *opaque)
{
    (void)w;
    (void)fd;
    (void)revents;
    *(bool *)opaque = true;
}

static void one_round_trip_per_request(void **state)
{
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b = i2cemu_board_new(loop);
    struct i2cemu_error err = { "" };
    char dir[] = "/tmp/test-trips-XXXXXX", path[64], front[64], env[2][128];
    char *envp[] = { env[0], env[1], NULL };
    char *argv[] = { (char *)client, NULL };
    struct sock_server *srv;
    struct i2cemu_watch *w;
    pthread_t t;
    bool done = false;
    pid_t pid;
    int pidfd, status;

    (void)state;
    assert_true(i2cemu_device_add(b, "regbank,addr=0x50", &err) >= 0);
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/sock", dir);
    snprintf(front, sizeof front, "%s/proxy", dir);
    srv = sock_server_new(b, path, &err);
    assert_non_null(srv);
    px.server = path;
    px.listen = unix_socket(front, true);
    assert_int_equal(pipe(px.stop), 0);
    assert_int_equal(pthread_create(&t, NULL, proxy, NULL), 0);

    snprintf(env[0], sizeof env[0], "LD_PRELOAD=%s", shim);
    snprintf(env[1], sizeof env[1], "I2CEMU_SOCKET=%s", front);
    assert_int_equal(posix_spawn(&pid, client, NULL, NULL, argv, envp), 0);
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    assert_true(pidfd >= 0);
    w = i2cemu_watch_new(loop, pidfd, POLLIN, exited, &done);
    while (!done)
        i2cemu_loop_run_once(loop, true);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    assert_int_equal(write(px.stop[1], "", 1), 1);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(px.n, NOPS);
    for (unsigned i = 0; i < NOPS; i++) {
        if (px.p[i].msgs != 3)
            print_error("%s: %u messages, not OPEN, I2C_SLAVE and itself\n",
                        ops[i], px.p[i].msgs);
        if (px.p[i].c >= 0) {
            close(px.p[i].c);
            close(px.p[i].s);
        }
    }
    for (unsigned i = 0; i < NOPS; i++)
        assert_int_equal(px.p[i].msgs, 3);

    close(px.listen);
    close(px.stop[0]);
    close(px.stop[1]);
    i2cemu_watch_free(w);
    close(pidfd);
    sock_server_free(srv);
    unlink(front);
    rmdir(dir);
    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_round_trip_per_request),
    };

    if (argc != 3) {
        fprintf(stderr, "usage: test_preload_trips CLIENT SHIM\n");
        return 2;
    }
    client = argv[1];
    shim = argv[2];
    return cmocka_run_group_tests(tests, NULL, NULL);
}
