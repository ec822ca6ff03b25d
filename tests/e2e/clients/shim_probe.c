/* SPDX-License-Identifier: MIT */
/*
 * A C client for test_preload_hardening.py, run with the preload shim
 * against a board (24c02 at 0x50 whose cell i holds i, regbank at 0x51)
 * or against tests/e2e/scripts/fake_daemon.py. Built without sanitizers,
 * like the programs the shim is for. Prints each failed check; exits 0
 * when all passed.
 *
 *   shim_probe stdio|vectored|lifetime|share|signals   on the board
 *   shim_probe hostile-read|hostile-ioctl|open|silent  on a fake daemon
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CLIENT_NAME "shim_probe"
#include "shim_client.h"

static int open_at(int flags, int addr)
{
    int fd = open("/dev/i2c-1", flags);

    CHECK(fd >= 0);
    CHECK(ioctl(fd, I2C_SLAVE, addr) == 0);
    return fd;
}

/* Sets the EEPROM's address pointer, polling while it is busy writing. */
static void eeprom_seek(int fd, uint8_t at)
{
    for (int i = 0; i < 1000 && write(fd, &at, 1) != 1; i++)
        usleep(1000);
}

static void print_bytes(const char *what, const uint8_t *b, size_t n)
{
    printf("%s", what);
    for (size_t i = 0; i < n; i++)
        printf(" %02x", b[i]);
    printf("\n");
}

/* ---- on the board ---- */

static void stdio_calls(void)
{
    uint8_t b[4];
    FILE *r = fopen("/dev/i2c-1", "re"), *w = fopen("/dev/i2c-1", "w");
    struct stat st;
    struct statx sx;
    int fd;

    CHECK(r && w);
    if (!r || !w)
        return;
    CHECK(ioctl(fileno(r), I2C_SLAVE, 0x50) == 0);
    CHECK(ioctl(fileno(w), I2C_SLAVE, 0x50) == 0);
    /* A flush is one write(): one message, an EEPROM page write. */
    CHECK(fwrite("\x20\xaa\xbb", 1, 3, w) == 3 && fflush(w) == 0);
    eeprom_seek(fileno(w), 0x1f);
    CHECK(fread(b, 1, 3, r) == 3);
    print_bytes("fread", b, 3);
    FAILS(write(fileno(r), "\x20", 1), EBADF);
    CHECK(fstat(fileno(r), &st) == 0 && S_ISCHR(st.st_mode) &&
          major(st.st_rdev) == 89 && minor(st.st_rdev) == 1);
    CHECK(statx(fileno(w), "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx) == 0 &&
          S_ISCHR(sx.stx_mode) && sx.stx_rdev_major == 89 &&
          sx.stx_rdev_minor == 1);
    CHECK(fclose(r) == 0 && fclose(w) == 0);

    /* fopen64, fdopen, freopen. */
    CHECK((w = fopen64("/dev/i2c-1", "r+")) != NULL);
    CHECK(w && fclose(w) == 0);
    fd = open("/dev/i2c-1", O_RDONLY);
    CHECK(fdopen(fd, "w") == NULL && errno == EINVAL);
    CHECK((r = fdopen(fd, "r")) != NULL && fileno(r) == fd);
    CHECK(r && ioctl(fileno(r), I2C_SLAVE, 0x50) == 0);
    fd = open_at(O_WRONLY, 0x50);
    eeprom_seek(fd, 0x42);
    CHECK(r && fread(b, 1, 1, r) == 1 && b[0] == 0x42);
    CHECK(r && fclose(r) == 0);
    CHECK(freopen("/dev/i2c-1", "r", stdin) == stdin && fileno(stdin) == 0);
    CHECK(ioctl(0, I2C_SLAVE, 0x50) == 0);
    eeprom_seek(fd, 0x33);
    CHECK(fread(b, 1, 2, stdin) == 2 && b[0] == 0x33 && b[1] == 0x34);
    close(fd);
}

static void vectored_calls(void)
{
    int fd = open_at(O_RDWR, 0x50), rb = open_at(O_RDWR, 0x51), ep;
    uint8_t a[2], b[3], c[1];
    struct iovec w1[] = { { "\x40\x01\x02", 3 }, { NULL, 0 } };
    struct iovec rd[] = { { a, 2 }, { NULL, 0 }, { b, 3 } };
    struct iovec w2[] = { { "\x10\xa1", 2 }, { "\x11\xa2", 2 } };
    struct iovec r2[] = { { c, 1 } };
    struct pollfd p = { fd, POLLIN | POLLOUT | POLLPRI, 0 };
    struct epoll_event ev = { .events = EPOLLIN };
    fd_set rs, ws, es;
    struct timeval tv = { 5, 0 };

    /* One segment, one message; empty ones after it are skipped. */
    CHECK(writev(fd, w1, 2) == 3);
    eeprom_seek(fd, 0x3f);
    CHECK(readv(fd, rd, 3) == 5);
    print_bytes("readv", a, 2);
    print_bytes("readv", b, 3);
    /* Two segments, two messages (regbank: no write cycle). */
    CHECK(pwritev(rb, w2, 2, 77) == 4);
    CHECK(read_byte_data(rb, 0x10) == 0xa1 && read_byte_data(rb, 0x11) == 0xa2);
    CHECK(write(rb, "\x11", 1) == 1);
    CHECK(preadv(rb, r2, 1, 5) == 1 && c[0] == 0xa2);
    FAILS(preadv(rb, r2, 1, -1), EINVAL);
    FAILS(preadv2(rb, r2, 1, -1, RWF_NOWAIT), EOPNOTSUPP);
    /* Through volatiles: the compiler would refuse them. */
    struct iovec *volatile unmapped = (struct iovec *)8;
    volatile int negative = -1;
    FAILS(readv(rb, unmapped, 1), EFAULT);
    FAILS(readv(rb, r2, negative), EINVAL);

    /* Always ready, never exceptional; epoll refuses the file. */
    CHECK(poll(&p, 1, 5000) == 1 && p.revents == (POLLIN | POLLOUT));
    FD_ZERO(&rs);
    FD_ZERO(&ws);
    FD_ZERO(&es);
    FD_SET(fd, &rs);
    FD_SET(fd, &ws);
    FD_SET(fd, &es);
    CHECK(select(fd + 1, &rs, &ws, &es, &tv) == 2 && FD_ISSET(fd, &rs) &&
          FD_ISSET(fd, &ws) && !FD_ISSET(fd, &es));
    ep = epoll_create1(0);
    FAILS(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), EPERM);
    close(ep);
    close(fd);
    close(rb);
}

/* After fd was closed by some route, a pipe at that number is a pipe. */
static void reused_is_plain(int fd)
{
    int p[2];
    char c = 0;

    CHECK(pipe(p) == 0);
    if (p[0] != fd)
        CHECK(dup2(p[0], fd) == fd && close(p[0]) == 0);
    CHECK(write(p[1], "x", 1) == 1);
    CHECK(read(fd, &c, 1) == 1 && c == 'x');
    close(p[1]);
    close(fd);
}

static void lifetime(const char *self)
{
    int fd, s[2], pid, status;
    char buf[16], arg[16];

    /* fclose() of a stream on it, and a socket reusing the number: the
     * socket gets the bytes written, not a protocol frame. */
    fd = open_at(O_RDWR, 0x51);
    CHECK(fclose(fdopen(fd, "r+")) == 0);
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0);
    if (s[0] != fd)
        CHECK(dup2(s[0], fd) == fd && close(s[0]) == 0);
    CHECK(write(fd, "\x30", 1) == 1);
    CHECK(recv(s[1], buf, sizeof buf, MSG_DONTWAIT) == 1 && buf[0] == 0x30);
    close(fd);
    close(s[1]);

    fd = open_at(O_RDWR, 0x51);
    CHECK(syscall(SYS_close, fd) == 0); /* a route the shim cannot see */
    reused_is_plain(fd);
    fd = open_at(O_RDWR, 0x51);
    CHECK(close_range((unsigned)fd, (unsigned)fd, 0) == 0);
    reused_is_plain(fd);
    fd = open_at(O_RDWR, 0x51);
    closefrom(fd);
    reused_is_plain(fd);
    fd = open_at(O_RDWR, 0x51);
    reused_is_plain(fd); /* dup2() over it */

    /* O_CLOEXEC: gone in the exec'd program. */
    fd = open("/dev/i2c-1", O_RDWR | O_CLOEXEC);
    CHECK(fd >= 0);
    snprintf(arg, sizeof arg, "%d", fd);
    pid = fork();
    if (pid == 0) {
        execl(self, self, "lifetime-exec", arg, (char *)NULL);
        _exit(127);
    }
    CHECK(waitpid(pid, &status, 0) == pid && status == 0);
    close(fd);
}

static int lifetime_exec(int fd)
{
    FAILS(fcntl(fd, F_GETFD), EBADF);
    reused_is_plain(fd);
    return failed;
}

/* Each writes its own register and reads it back, many times. */
static int hammer(int fd, uint8_t reg, int n)
{
    for (int i = 0; i < n; i++)
        if (write_byte_data(fd, reg, (uint8_t)i) != 0 ||
            read_byte_data(fd, reg) != (uint8_t)i)
            return 1;
    return 0;
}

struct job {
    int fd;
    uint8_t reg;
    int bad;
};

static void *hammer_thread(void *p)
{
    struct job *j = p;

    j->bad = hammer(j->fd, j->reg, 300);
    return NULL;
}

static void share(void)
{
    int fd = open_at(O_RDWR, 0x51), pid, status;
    pthread_t t[3];
    struct job j[3];

    /* A fork()ed pair on one open file description. */
    pid = fork();
    if (pid == 0)
        _exit(hammer(fd, 0x40, 500));
    CHECK(hammer(fd, 0x41, 500) == 0);
    CHECK(waitpid(pid, &status, 0) == pid && status == 0);
    /* Threads of one process. */
    for (int i = 0; i < 3; i++) {
        j[i] = (struct job){ fd, (uint8_t)(0x50 + i), 0 };
        pthread_create(&t[i], NULL, hammer_thread, &j[i]);
    }
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        CHECK(j[i].bad == 0);
    }
    close(fd);
}

static int sig_fd;
static volatile sig_atomic_t sig_ok, sig_busy, sig_bad;

static void on_alarm(int sig)
{
    int saved = errno, r = read_byte_data(sig_fd, 0x30);

    (void)sig;
    if (r == 0x5a)
        sig_ok++;
    else if (r == -EAGAIN)
        sig_busy++;
    else
        sig_bad++;
    errno = saved;
}

static void *forever(void *p)
{
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    for (;;)
        read_byte_data(*(int *)p, 0x30);
    return NULL;
}

static void signals(void)
{
    struct itimerval it = { { 0, 500 }, { 0, 500 } };
    struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
    int fd = open_at(O_RDWR, 0x51);
    pthread_t t;

    CHECK(write_byte_data(fd, 0x30, 0x5a) == 0);
    /* I2C calls from a signal handler, on the fd this thread is using. */
    sig_fd = fd;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    for (int i = 0; i < 2000; i++)
        CHECK(read_byte_data(fd, 0x30) == 0x5a);
    setitimer(ITIMER_REAL, &(struct itimerval){ 0 }, NULL);
    printf("handler: %d ok, %d EAGAIN, %d other\n", sig_ok, sig_busy,
           sig_bad);
    CHECK(sig_ok + sig_busy > 0 && sig_bad == 0);

    /* A thread cancelled at any instruction of its I2C calls. */
    for (int i = 0; i < 20; i++) {
        CHECK(pthread_create(&t, NULL, forever, &fd) == 0);
        usleep(2000 + 500 * i);
        pthread_cancel(t);
        pthread_join(t, NULL);
        CHECK(read_byte_data(fd, 0x30) == 0x5a);
    }
    close(fd);
}

/* ---- on a fake daemon ---- */

/* buf, then a canary the daemon must not write and a secret it must not
 * read (fake_daemon.py aims at them). */
static struct {
    uint8_t buf[16];
    uint8_t canary[16];
    uint8_t secret[16];
} mem;

static void report(const char *what, long r)
{
    static const uint8_t canary[16] = "canary-canary-ca";

    printf("%s=%ld errno=%s canary=%s\n", what, r,
           r < 0 ? strerrorname_np(errno) : "0",
           memcmp(mem.canary, canary, 16) ? "BROKEN" : "intact");
}

static int on_fake(const char *mode)
{
    int fd;

    memcpy(mem.canary, "canary-canary-ca", 16);
    memcpy(mem.secret, "secret-secret-se", 16);
    fd = open("/dev/i2c-1", O_RDWR);
    report("open", fd);
    if (fd < 0)
        return 0;
    if (!strcmp(mode, "hostile-ioctl")) {
        struct i2c_msg m = { 0x50, I2C_M_RD, 16, mem.buf };
        struct i2c_rdwr_ioctl_data a = { &m, 1 };

        report("ioctl", ioctl(fd, I2C_RDWR, &a));
        report("again", ioctl(fd, I2C_RDWR, &a));
    } else {
        report("read", read(fd, mem.buf, sizeof mem.buf));
        report("again", read(fd, mem.buf, sizeof mem.buf));
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(mode, "stdio"))
        stdio_calls();
    else if (!strcmp(mode, "vectored"))
        vectored_calls();
    else if (!strcmp(mode, "lifetime"))
        lifetime(argv[0]);
    else if (!strcmp(mode, "lifetime-exec") && argc > 2)
        return lifetime_exec(atoi(argv[2]));
    else if (!strcmp(mode, "share"))
        share();
    else if (!strcmp(mode, "signals"))
        signals();
    else if (!strncmp(mode, "hostile", 7) || !strcmp(mode, "open") ||
             !strcmp(mode, "silent"))
        return on_fake(mode);
    else
        return 2;
    return failed;
}
