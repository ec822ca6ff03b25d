/* SPDX-License-Identifier: MIT */
/* The preload frontend's socket server: who may connect (the socket's
 * mode, peer credentials) and fairness (stalled and greedy clients). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/i2c-dev.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sock_rig.h"

/* The rig's server again, with these options. */
static void restart(struct rig *r, const struct sock_server_opts *o)
{
    sock_server_free(r->srv);
    r->srv = sock_server_new_with(r->b, r->path, o, &r->err);
    assert_non_null(r->srv);
}

static void socket_has_its_mode_whatever_the_umask(void **state)
{
    struct rig *r = *state;
    struct sock_server_opts o = { .access = { .group = true,
                                              .gid = getegid() } };
    mode_t old = umask(0);
    struct stat st;

    restart(r, &(struct sock_server_opts){ .stall_ms = 0 });
    assert_int_equal(stat(r->path, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);

    restart(r, &o); /* a group: 0660 by default */
    assert_int_equal(stat(r->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0660);
    assert_int_equal(st.st_gid, getegid());
    o.access.mode = 0640;
    umask(0077);
    restart(r, &o);
    assert_int_equal(stat(r->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    umask(old);
}

/* In a child as uid 65534 with these groups: 1 if the server sent its
 * HELLO, 0 if it closed the connection at once. */
static int connect_as_nobody(struct rig *r, gid_t gid, gid_t extra)
{
    pid_t pid = fork();
    int status;

    assert_true(pid >= 0);
    if (pid == 0) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        struct sockproto_hdr h;
        int fd;

        strcpy(sa.sun_path, r->path);
        if (setgroups(1, &extra) < 0 || setgid(gid) < 0 || setuid(65534) < 0)
            _exit(2);
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
            _exit(3);
        _exit(recv(fd, &h, sizeof h, MSG_WAITALL) == sizeof h &&
               h.type == SOCKPROTO_HELLO ? 1 : 0);
    }
    while (waitpid(pid, &status, WNOHANG) == 0) {
        pump(r);
        usleep(1000);
    }
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void only_our_uid_root_and_the_group_are_served(void **state)
{
    struct rig *r = *state;
    struct sock_server_opts o = { .access = { .mode = 0666 } };

    if (geteuid() != 0)
        skip(); /* another uid is needed */
    /* The filesystem lets everyone in: the credentials decide. */
    assert_int_equal(chmod(r->dir, 0711), 0);
    restart(r, &o);
    assert_int_equal(connect_as_nobody(r, 65534, 65534), 0);
    o.access.group = true;
    o.access.gid = 65534;
    restart(r, &o);
    assert_int_equal(connect_as_nobody(r, 65534, 65534), 1);
    /* A supplementary group counts too. */
    assert_int_equal(connect_as_nobody(r, 65533, 65534), 1);
    assert_int_equal(connect_as_nobody(r, 65533, 65533), 0);
}

/* Run the loop for ms of wall-clock time. */
static void pump_for(struct rig *r, unsigned ms)
{
    struct timespec t0, t;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        pump(r);
        usleep(2000);
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while ((t.tv_sec - t0.tv_sec) * 1000 +
                 (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

static void stalled_clients_are_dropped_idle_ones_kept(void **state)
{
    struct rig *r = *state;
    struct sockproto_hdr h = { SOCKPROTO_IOCTL, sizeof(struct sockproto_ioctl) };
    int half, idle, mute;

    restart(r, &(struct sock_server_opts){ .stall_ms = 200 });
    half = open_bus(r, O_RDWR);
    idle = open_bus(r, O_RDWR);
    mute = connect_only(r); /* never sends its OPEN */
    skip_hello(r, mute);
    tx_raw(half, &h, 4);
    pump_for(r, 100);
    assert_true(quiet(r, half) && quiet(r, idle) && quiet(r, mute));
    pump_for(r, 200);
    assert_true(dropped(r, half));
    assert_true(dropped(r, mute));
    /* Idle between requests for as long as it likes. */
    assert_true(quiet(r, idle));
    assert_int_equal(do_ioctl(r, idle, I2C_SLAVE, 0x50, NULL, NULL), 0);
    close(half);
    close(idle);
    close(mute);
}

static void stalled_clients_cannot_lock_others_out(void **state)
{
    struct rig *r = *state;
    struct sockproto_hdr h = { SOCKPROTO_OPEN, sizeof(struct sockproto_open) };
    int fd[SOCK_SERVER_MAX_CLIENTS], late, next;

    restart(r, &(struct sock_server_opts){ .stall_ms = 200 });
    for (unsigned i = 0; i < SOCK_SERVER_MAX_CLIENTS; i++) {
        fd[i] = connect_only(r);
        tx_raw(fd[i], &h, 4); /* half a header, and no more */
    }
    late = connect_only(r);
    assert_refused(r, late);
    pump_for(r, 300);
    next = open_bus(r, O_RDWR);
    assert_int_equal(do_ioctl(r, next, I2C_SLAVE, 0x50, NULL, NULL), 0);
    for (unsigned i = 0; i < SOCK_SERVER_MAX_CLIENTS; i++) {
        assert_true(dropped(r, fd[i]));
        close(fd[i]);
    }
    close(late);
    close(next);
}

/* A client that sends requests and reads no answer is not dropped: the
 * server holds one answer and reads nothing more until it is sent. */
static void unread_answers_stop_the_input(void **state)
{
    struct rig *r = *state;
    int fd = open_bus(r, O_RDWR);
    struct {
        struct sockproto_hdr h;
        struct sockproto_ioctl io;
    } m = { { SOCKPROTO_IOCTL, sizeof m.io }, { .cmd = I2C_FUNCS, .arg = 0x4000 } };
    unsigned sent = 0;
    int stuck = 0;

    /* The server used to queue 1 MiB of answers (over 20000) and then
     * drop the client. */
    while (sent < 50000 && stuck < 3) {
        ssize_t n = send(fd, &m, sizeof m, MSG_DONTWAIT | MSG_NOSIGNAL);

        if (n < 0) {
            assert_int_equal(errno, EAGAIN);
            pump(r);
            stuck++;
            continue;
        }
        assert_int_equal(n, sizeof m);
        sent++;
        stuck = 0;
    }
    assert_true(sent < 50000);
    for (unsigned i = 0; i < sent; i++) {
        struct sockproto_hdr h;
        struct reply rep;

        rx(r, fd, &h, sizeof h);
        assert_int_equal(h.type, SOCKPROTO_RESULT);
        rx_result(r, fd, h.len, &rep);
        assert_int_equal(rep.result, 0);
        assert_int_equal(rep.out[0].addr, 0x4000);
    }
    assert_true(quiet(r, fd));
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) \
    cmocka_unit_test_setup_teardown(f, sock_rig_setup, sock_rig_teardown)
        T(socket_has_its_mode_whatever_the_umask),
        T(only_our_uid_root_and_the_group_are_served),
        T(stalled_clients_are_dropped_idle_ones_kept),
        T(stalled_clients_cannot_lock_others_out),
        T(unread_answers_stop_the_input),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
