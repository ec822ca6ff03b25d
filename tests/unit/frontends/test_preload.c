/* SPDX-License-Identifier: MIT */
/* The shim for real: serve a board on a socket and run preload_client, an
 * uninstrumented program, with libi2cemu-preload.so preloaded.
 *
 *   test_preload CLIENT SHIM */
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <i2cemu/i2cemu.h>

#include "frontends/sock_server.h"

static const char *client, *shim;

static void exited(struct i2cemu_watch *w, int fd, int revents, void *opaque)
{
    (void)w;
    (void)fd;
    (void)revents;
    *(bool *)opaque = true;
}

static void client_passes_its_checks(void **state)
{
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b = i2cemu_board_new(loop);
    struct i2cemu_error err = { "" };
    char dir[] = "/tmp/test-preload-XXXXXX", path[64], env[2][128];
    char *envp[] = { env[0], env[1], NULL };
    char *argv[] = { (char *)client, NULL };
    struct sock_server *srv;
    struct i2cemu_watch *w;
    bool done = false;
    pid_t pid;
    int pidfd, status;

    (void)state;
    assert_true(i2cemu_device_add(b, "regbank,addr=0x50", &err) >= 0);
    assert_true(i2cemu_device_add(b, "regbank,addr=0x51", &err) >= 0);
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/sock", dir);
    srv = sock_server_new(b, path, &err);
    assert_non_null(srv);

    snprintf(env[0], sizeof env[0], "LD_PRELOAD=%s", shim);
    snprintf(env[1], sizeof env[1], "I2CEMU_SOCKET=%s", path);
    assert_int_equal(posix_spawn(&pid, client, NULL, NULL, argv, envp), 0);
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    assert_true(pidfd >= 0);
    w = i2cemu_watch_new(loop, pidfd, POLLIN, exited, &done);
    while (!done)
        i2cemu_loop_run_once(loop, true);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    i2cemu_watch_free(w);
    close(pidfd);
    sock_server_free(srv);
    rmdir(dir);
    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(client_passes_its_checks),
    };

    if (argc != 3) {
        fprintf(stderr, "usage: test_preload CLIENT SHIM\n");
        return 2;
    }
    client = argv[1];
    shim = argv[2];
    return cmocka_run_group_tests(tests, NULL, NULL);
}
