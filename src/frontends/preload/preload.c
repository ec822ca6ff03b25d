// SPDX-License-Identifier: MIT
/*
 * libi2cemu-preload.so: /dev/i2c-N of the buses an i2cemu daemon emulates,
 * for unmodified programs (i2c-dev-abi.md section 7.2).
 *
 * open() of /dev/i2c-N or /dev/i2c/N connects to the daemon's socket
 * ($I2CEMU_SOCKET) and returns the connected socket as the file: one
 * connection per open file description, so dup() and fork() share it and
 * its state lives in the daemon. ioctl(), read() and write() on such an fd
 * become requests (sockproto.h), and so do pread() and pwrite(), which
 * i2c-dev serves like read() and write(); lseek() on a socket already
 * fails with ESPIPE. The caller's memory is touched only through
 * process_vm_readv and process_vm_writev on our own pid, so a bad pointer
 * gives EFAULT where the kernel would, never a crash. fopen("/proc/bus/i2c")
 * lists the emulated buses and the machine's own (section 5.6). Every
 * other path and fd goes straight to libc.
 *
 * Built without sanitizers and linked with libc only: it is loaded into
 * programs that are not instrumented.
 */

/* We define both open and open64 (fopen and fopen64...): keep the headers
 * from renaming one into the other. */
#undef _FILE_OFFSET_BITS
/* Fortified headers define read() and friends inline. */
#undef _FORTIFY_SOURCE

#include <ctype.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "frontends/sockproto.h"

#define EXPORT __attribute__((visibility("default")))

/* ---- the real libc functions ----------------------------------------- */

static void *resolve(void **slot, const char *name)
{
    void *p = __atomic_load_n(slot, __ATOMIC_RELAXED);

    if (!p) {
        p = dlsym(RTLD_NEXT, name);
        __atomic_store_n(slot, p, __ATOMIC_RELAXED);
    }
    return p;
}

#define REAL(fn)                                                              \
    ((__typeof__(fn) *)resolve(&real_##fn, #fn))

static void *real_open, *real_open64, *real_openat, *real_openat64,
    *real___open_2, *real___open64_2, *real___openat_2, *real___openat64_2,
    *real_fopen, *real_fopen64, *real_ioctl, *real_read, *real_write,
    *real_close, *real_dup, *real_dup2, *real_dup3, *real_fcntl,
    *real_fcntl64, *real_poll, *real_pread, *real_pread64, *real_pwrite,
    *real_pwrite64;

/* Our own exported functions, for REAL()'s types. */
EXPORT int open(const char *path, int flags, ...);
EXPORT int open64(const char *path, int flags, ...);
EXPORT int openat(int dirfd, const char *path, int flags, ...);
EXPORT int openat64(int dirfd, const char *path, int flags, ...);
EXPORT int __open_2(const char *path, int flags);
EXPORT int __open64_2(const char *path, int flags);
EXPORT int __openat_2(int dirfd, const char *path, int flags);
EXPORT int __openat64_2(int dirfd, const char *path, int flags);
EXPORT FILE *fopen(const char *path, const char *mode);
EXPORT FILE *fopen64(const char *path, const char *mode);
EXPORT int ioctl(int fd, unsigned long request, ...);
EXPORT ssize_t read(int fd, void *buf, size_t count);
EXPORT ssize_t write(int fd, const void *buf, size_t count);
EXPORT ssize_t pread(int fd, void *buf, size_t count, off_t offset);
EXPORT ssize_t pread64(int fd, void *buf, size_t count, off64_t offset);
EXPORT ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset);
EXPORT ssize_t pwrite64(int fd, const void *buf, size_t count,
                        off64_t offset);
EXPORT int close(int fd);
EXPORT int dup(int fd);
EXPORT int dup2(int fd, int fd2);
EXPORT int dup3(int fd, int fd2, int flags);
EXPORT int fcntl(int fd, int cmd, ...);
EXPORT int fcntl64(int fd, int cmd, ...);
EXPORT int poll(struct pollfd *fds, nfds_t nfds, int timeout);

/* ---- which fds are ours ---------------------------------------------- */

#define FD_MAX 65536

enum { FD_UNKNOWN, FD_OTHER, FD_OURS };
static unsigned char fd_kind[FD_MAX];

static void set_kind(int fd, unsigned char k)
{
    if (fd >= 0 && fd < FD_MAX)
        __atomic_store_n(&fd_kind[fd], k, __ATOMIC_RELAXED);
}

/* An fd we did not open: ours if it is connected to the daemon (inherited
 * across exec, or passed over a socket). */
static bool peer_is_daemon(int fd)
{
    const char *path = getenv("I2CEMU_SOCKET");
    struct sockaddr_un a;
    socklen_t n = sizeof a;

    if (!path || getpeername(fd, (struct sockaddr *)&a, &n) < 0 ||
        a.sun_family != AF_UNIX || n <= offsetof(struct sockaddr_un, sun_path))
        return false;
    return strncmp(a.sun_path, path, sizeof a.sun_path) == 0;
}

static bool ours(int fd)
{
    unsigned char k;

    if (fd < 0 || fd >= FD_MAX)
        return false;
    k = __atomic_load_n(&fd_kind[fd], __ATOMIC_RELAXED);
    if (k == FD_UNKNOWN) {
        int saved = errno;

        k = peer_is_daemon(fd) ? FD_OURS : FD_OTHER;
        errno = saved;
        set_kind(fd, k);
    }
    return k == FD_OURS;
}

/* ---- talking to the daemon ------------------------------------------- */

/* One request at a time on the process's connections; the buffers below
 * belong to whoever holds it. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t txbuf[sizeof(struct sockproto_hdr) +
                     sizeof(struct sockproto_write) + SOCKPROTO_MAX_REGION];
static uint8_t membuf[SOCKPROTO_MAX_REGION];

/* A fork() must not copy the lock held by another thread mid-request. */
static void fork_prepare(void) { pthread_mutex_lock(&lock); }
static void fork_done(void) { pthread_mutex_unlock(&lock); }

__attribute__((constructor)) static void init(void)
{
    pthread_atfork(fork_prepare, fork_done, fork_done);
}

static void close_keep_errno(int fd)
{
    int saved = errno;

    REAL(close)(fd);
    errno = saved;
}

/* The program may have made the fd non-blocking (FIONBIO, F_SETFL): the
 * shim still waits, as the kernel's transfer would. */
static bool wait_fd(int fd, short events)
{
    struct pollfd p = { fd, events, 0 };

    return REAL(poll)(&p, 1, -1) >= 0 || errno == EINTR;
}

static bool send_all(int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n < 0) {
            if (errno == EINTR ||
                ((errno == EAGAIN || errno == EWOULDBLOCK) &&
                 wait_fd(fd, POLLOUT)))
                continue;
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool recv_all(int fd, void *buf, size_t len)
{
    uint8_t *p = buf;

    while (len) {
        ssize_t n = recv(fd, p, len, 0);

        if (n < 0) {
            if (errno == EINTR ||
                ((errno == EAGAIN || errno == EWOULDBLOCK) &&
                 wait_fd(fd, POLLIN)))
                continue;
            return false;
        }
        if (n == 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* Under lock: header, body and optional data in one send. */
static bool send_msg(int fd, uint32_t type, const void *body, size_t len,
                     const void *data, size_t dlen)
{
    struct sockproto_hdr h = { type, (uint32_t)(len + dlen) };

    memcpy(txbuf, &h, sizeof h);
    if (len)
        memcpy(txbuf + sizeof h, body, len);
    if (dlen)
        memcpy(txbuf + sizeof h + len, data, dlen);
    return send_all(fd, txbuf, sizeof h + len + dlen);
}

/* The caller's memory, through the kernel's checks instead of ours. */
static bool vm_copy(bool to_client, uint64_t addr, void *buf, size_t len)
{
    struct iovec local = { buf, len };
    struct iovec remote = { (void *)(uintptr_t)addr, len };
    ssize_t n = to_client
                    ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0)
                    : process_vm_readv(getpid(), &local, 1, &remote, 1, 0);

    return n == (ssize_t)len;
}

/* A RESULT's body: false if malformed. */
static bool recv_result(int fd, uint32_t len, long *result)
{
    struct sockproto_result r;

    if (len < sizeof r || !recv_all(fd, &r, sizeof r) ||
        r.nout > SOCKPROTO_MAX_OUT)
        return false;
    len -= (uint32_t)sizeof r;
    *result = (long)r.result;
    for (uint32_t i = 0; i < r.nout; i++) {
        struct sockproto_out o;

        if (len < sizeof o || !recv_all(fd, &o, sizeof o) ||
            o.len > SOCKPROTO_MAX_REGION || len - sizeof o < o.len ||
            !recv_all(fd, membuf, o.len))
            return false;
        len -= (uint32_t)sizeof o + o.len;
        /* Like the kernel, stop copying out at the first fault: the
         * transfer has happened all the same. */
        if (*result >= 0 && !vm_copy(true, o.addr, membuf, o.len))
            *result = -EFAULT;
    }
    return len == 0;
}

/* Under lock: one request, its NEED/MEM rounds and its RESULT. Returns the
 * result, or -errno. A broken connection stays broken: -EIO from then on. */
static long rpc_locked(int fd, uint32_t type, const void *body, size_t len,
                       const void *data, size_t dlen)
{
    struct sockproto_hdr h;
    struct sockproto_need need;
    long r;

    if (!send_msg(fd, type, body, len, data, dlen))
        return -EIO;
    for (;;) {
        if (!recv_all(fd, &h, sizeof h))
            break;
        if (h.type == SOCKPROTO_RESULT) {
            if (!recv_result(fd, h.len, &r))
                break;
            return r;
        }
        if (h.type != SOCKPROTO_NEED || h.len != sizeof need ||
            !recv_all(fd, &need, sizeof need) ||
            need.len > SOCKPROTO_MAX_REGION)
            break;
        if (vm_copy(false, need.addr, membuf, need.len)) {
            if (!send_msg(fd, SOCKPROTO_MEM, membuf, need.len, NULL, 0))
                break;
        } else if (!send_msg(fd, SOCKPROTO_MEMFAULT, NULL, 0, NULL, 0)) {
            break;
        }
    }
    shutdown(fd, SHUT_RDWR);
    return -EIO;
}

/* A result as the system call returns it. */
static long syscall_result(long r)
{
    if (r >= 0)
        return r;
    errno = (int)-r;
    return -1;
}

static long rpc(int fd, uint32_t type, const void *body, size_t len,
                const void *data, size_t dlen)
{
    long r;

    pthread_mutex_lock(&lock);
    r = rpc_locked(fd, type, body, len, data, dlen);
    pthread_mutex_unlock(&lock);
    return syscall_result(r);
}

/* A new connection, or -1 when there is no daemon to talk to. */
static int connect_daemon(bool cloexec)
{
    const char *path = getenv("I2CEMU_SOCKET");
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (!path || !*path || strlen(path) >= sizeof sa.sun_path)
        return -1;
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | (cloexec ? SOCK_CLOEXEC : 0), 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        close_keep_errno(fd);
        fd = -1;
    }
    return fd;
}

/* The HELLO every connection starts with: the bus list (free it), or
 * NULL when the daemon speaks another protocol. */
static struct sockproto_bus *recv_hello(int fd, unsigned *nbuses)
{
    struct sockproto_hdr h;
    struct sockproto_hello hello;
    struct sockproto_bus *b;

    if (!recv_all(fd, &h, sizeof h) || h.type != SOCKPROTO_HELLO ||
        h.len < sizeof hello || !recv_all(fd, &hello, sizeof hello) ||
        hello.magic != SOCKPROTO_MAGIC || hello.version != SOCKPROTO_VERSION ||
        hello.nbuses > SOCKPROTO_MAX_BUSES ||
        h.len != sizeof hello + hello.nbuses * sizeof *b ||
        !(b = malloc(hello.nbuses * sizeof *b + 1)))
        return NULL;
    if (!recv_all(fd, b, hello.nbuses * sizeof *b)) {
        free(b);
        return NULL;
    }
    for (unsigned i = 0; i < hello.nbuses; i++)
        b[i].name[SOCKPROTO_NAME_LEN - 1] = '\0';
    *nbuses = hello.nbuses;
    return b;
}

/* ---- open ------------------------------------------------------------ */

#define PASS (-2) /* not for us: let libc open it */

/* i2c-tools try /dev/i2c/N before /dev/i2c-N. That layout exists only
 * where something made a /dev/i2c directory (devfs-style systems); udev
 * systems such as Debian have only /dev/i2c-N. Serving /dev/i2c/N only
 * where the directory exists keeps the names tools print the same as on
 * the real system. */
static bool slash_layout(void)
{
    struct stat st;

    return stat("/dev/i2c", &st) == 0 && S_ISDIR(st.st_mode);
}

/* N of /dev/i2c-N or /dev/i2c/N, as the kernel names them; or -1. */
static int dev_number(const char *path)
{
    const char *p;
    long n = 0;

    if (strncmp(path, "/dev/i2c-", 9) &&
        (strncmp(path, "/dev/i2c/", 9) || !slash_layout()))
        return -1;
    p = path + 9;
    if (!isdigit((unsigned char)*p) || (p[0] == '0' && p[1]))
        return -1;
    for (; *p; p++) {
        if (!isdigit((unsigned char)*p) || n > 0xFFFFF)
            return -1;
        n = n * 10 + (*p - '0');
    }
    return (int)n;
}

static int open_emulated(int number, int flags)
{
    struct sockproto_open m = { number, flags };
    struct sockproto_bus *b;
    unsigned n;
    bool found = false;
    int fd = connect_daemon(flags & O_CLOEXEC);

    if (fd < 0)
        return PASS;
    if (!(b = recv_hello(fd, &n))) {
        REAL(close)(fd);
        errno = EPROTO;
        return -1;
    }
    for (unsigned i = 0; i < n; i++)
        found |= b[i].number == number;
    free(b);
    if (!found) {
        REAL(close)(fd);
        return PASS;
    }
    if (fd >= FD_MAX) {
        REAL(close)(fd);
        errno = EMFILE;
        return -1;
    }
    if (rpc(fd, SOCKPROTO_OPEN, &m, sizeof m, NULL, 0) < 0) {
        close_keep_errno(fd);
        return -1;
    }
    set_kind(fd, FD_OURS);
    return fd;
}

/* i2c-tools' names for an adapter's functionality (i2cbusses.c). */
static void adapter_type(uint32_t funcs, const char **type, const char **algo)
{
    if (funcs & I2C_FUNC_I2C) {
        *type = "i2c";
        *algo = "I2C adapter";
    } else if (funcs & (I2C_FUNC_SMBUS_BYTE | I2C_FUNC_SMBUS_BYTE_DATA |
                        I2C_FUNC_SMBUS_WORD_DATA)) {
        *type = "smbus";
        *algo = "SMBus adapter";
    } else {
        *type = "dummy";
        *algo = "Dummy bus";
    }
}

/* A real bus as i2c-tools describes it from sysfs. */
static void real_type(int nr, const char *name, const char **type,
                      const char **algo)
{
    char dev[32];
    unsigned long funcs;
    int fd;

    if (!strncmp(name, "ISA ", 4)) {
        *type = "isa";
        *algo = "ISA bus";
        return;
    }
    snprintf(dev, sizeof dev, "/dev/i2c/%d", nr);
    fd = REAL(open)(dev, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        snprintf(dev, sizeof dev, "/dev/i2c-%d", nr);
        fd = REAL(open)(dev, O_RDWR | O_CLOEXEC);
    }
    if (fd >= 0 && REAL(ioctl)(fd, I2C_FUNCS, &funcs) == 0) {
        adapter_type((uint32_t)funcs, type, algo);
    } else {
        *type = "unknown";
        *algo = "N/A";
    }
    if (fd >= 0)
        REAL(close)(fd);
}

static bool read_line(const char *path, char *buf, size_t size)
{
    int fd = REAL(open)(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : REAL(read)(fd, buf, size - 1);

    if (fd >= 0)
        REAL(close)(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return true;
}

/* The machine's own buses, unless an emulated one took the number. */
static void list_real(int out, const struct sockproto_bus *emu, unsigned n)
{
    DIR *d = opendir("/sys/class/i2c-dev");
    struct dirent *e;

    while (d && (e = readdir(d))) {
        char path[300], name[128];
        const char *type, *algo;
        bool taken = false;
        int nr;

        if (sscanf(e->d_name, "i2c-%d", &nr) != 1)
            continue;
        for (unsigned i = 0; i < n; i++)
            taken |= emu[i].number == nr;
        snprintf(path, sizeof path, "/sys/class/i2c-dev/%s/name", e->d_name);
        if (taken || !read_line(path, name, sizeof name))
            continue;
        real_type(nr, name, &type, &algo);
        dprintf(out, "i2c-%d\t%s\t%s\t%s\n", nr, type, name, algo);
    }
    if (d)
        closedir(d);
}

/* /proc/bus/i2c as Linux 2.4 had it, which i2c-tools read before sysfs:
 * a memfd to read, -1 with errno, or PASS when there is no daemon. */
static int proc_bus_i2c(bool cloexec)
{
    struct sockproto_bus *b;
    unsigned n;
    int fd, s = connect_daemon(true);

    if (s < 0)
        return PASS;
    b = recv_hello(s, &n);
    REAL(close)(s);
    if (!b) {
        errno = EPROTO;
        return -1;
    }
    fd = memfd_create("proc-bus-i2c", cloexec ? MFD_CLOEXEC : 0);
    if (fd >= 0) {
        for (unsigned i = 0; i < n; i++) {
            const char *type, *algo;

            /* A tab or newline in the name would break the format. */
            for (char *c = b[i].name; *c; c++)
                if (*c == '\t' || *c == '\n')
                    *c = ' ';
            adapter_type(b[i].funcs, &type, &algo);
            dprintf(fd, "i2c-%d\t%s\t%s\t%s\n", b[i].number, type, b[i].name,
                    algo);
        }
        list_real(fd, b, n);
        lseek(fd, 0, SEEK_SET);
        set_kind(fd, FD_OTHER);
    }
    free(b);
    return fd;
}

/* Our fd, -1 with errno, or PASS. */
static int open_hook(const char *path, int flags)
{
    int number;

    if (!path)
        return PASS;
    if (!strcmp(path, "/proc/bus/i2c"))
        return (flags & O_ACCMODE) == O_RDONLY
                   ? proc_bus_i2c(flags & O_CLOEXEC)
                   : PASS;
    number = dev_number(path);
    return number < 0 ? PASS : open_emulated(number, flags);
}

/* An fd libc opened is not ours, whatever had that number before. */
static int opened(int fd)
{
    set_kind(fd, FD_OTHER);
    return fd;
}

/* open(2) reads a mode only for these. */
#define MODE_ARG(flags)                                                       \
    mode_t mode = 0;                                                          \
    if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {              \
        va_list ap;                                                           \
        va_start(ap, flags);                                                  \
        mode = va_arg(ap, mode_t);                                            \
        va_end(ap);                                                           \
    }

EXPORT int open(const char *path, int flags, ...)
{
    int fd = open_hook(path, flags);
    MODE_ARG(flags);
    return fd != PASS ? fd : opened(REAL(open)(path, flags, mode));
}

EXPORT int open64(const char *path, int flags, ...)
{
    int fd = open_hook(path, flags);
    MODE_ARG(flags);
    return fd != PASS ? fd : opened(REAL(open64)(path, flags, mode));
}

EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
    int fd = open_hook(path, flags);
    MODE_ARG(flags);
    return fd != PASS ? fd : opened(REAL(openat)(dirfd, path, flags, mode));
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
    int fd = open_hook(path, flags);
    MODE_ARG(flags);
    return fd != PASS ? fd
                      : opened(REAL(openat64)(dirfd, path, flags, mode));
}

/* _FORTIFY_SOURCE's variants, without a mode. */
EXPORT int __open_2(const char *path, int flags)
{
    int fd = open_hook(path, flags);
    return fd != PASS ? fd : opened(REAL(__open_2)(path, flags));
}

EXPORT int __open64_2(const char *path, int flags)
{
    int fd = open_hook(path, flags);
    return fd != PASS ? fd : opened(REAL(__open64_2)(path, flags));
}

EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
    int fd = open_hook(path, flags);
    return fd != PASS ? fd : opened(REAL(__openat_2)(dirfd, path, flags));
}

EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
    int fd = open_hook(path, flags);
    return fd != PASS ? fd : opened(REAL(__openat64_2)(dirfd, path, flags));
}

/* fopen("/proc/bus/i2c", "r"): true with *f set (NULL and errno on
 * failure), or false to let libc open the path. */
static bool fopen_hook(const char *path, const char *mode, FILE **f)
{
    int fd;

    if (!path || !mode || strcmp(path, "/proc/bus/i2c") || mode[0] != 'r' ||
        strchr(mode, '+'))
        return false;
    fd = proc_bus_i2c(strchr(mode, 'e') != NULL);
    if (fd == PASS)
        return false;
    *f = fd < 0 ? NULL : fdopen(fd, mode);
    if (fd >= 0 && !*f)
        close_keep_errno(fd);
    return true;
}

EXPORT FILE *fopen(const char *path, const char *mode)
{
    FILE *f;
    return fopen_hook(path, mode, &f) ? f : REAL(fopen)(path, mode);
}

EXPORT FILE *fopen64(const char *path, const char *mode)
{
    FILE *f;
    return fopen_hook(path, mode, &f) ? f : REAL(fopen64)(path, mode);
}

/* ---- file operations ------------------------------------------------- */

EXPORT int ioctl(int fd, unsigned long request, ...)
{
    unsigned int cmd = (unsigned int)request; /* what the syscall takes */
    va_list ap;
    void *arg;

    va_start(ap, request);
    arg = va_arg(ap, void *);
    va_end(ap);
    /* The VFS answers these itself, for any file (fs/ioctl.c): let the
     * socket take them. */
    if (!ours(fd) || cmd == FIOCLEX || cmd == FIONCLEX || cmd == FIONBIO ||
        cmd == FIOASYNC)
        return REAL(ioctl)(fd, request, arg);

    struct sockproto_ioctl m = {
        .cmd = cmd,
        .compat = sizeof(long) < 8,
        .arg = (uintptr_t)arg,
    };
    uint8_t peek[SOCKPROTO_IOCTL_PEEK];
    bool peeked = vm_copy(false, m.arg, peek, sizeof peek);

    return (int)rpc(fd, SOCKPROTO_IOCTL, &m, sizeof m, peeked ? peek : NULL,
                    peeked ? sizeof peek : 0);
}

EXPORT ssize_t read(int fd, void *buf, size_t count)
{
    if (!ours(fd))
        return REAL(read)(fd, buf, count);

    struct sockproto_read m = { (uintptr_t)buf, count };
    return rpc(fd, SOCKPROTO_READ, &m, sizeof m, NULL, 0);
}

EXPORT ssize_t write(int fd, const void *buf, size_t count)
{
    if (!ours(fd))
        return REAL(write)(fd, buf, count);

    /* Send the bytes the kernel would copy (at most one message) with the
     * request; whether a fault matters is the daemon's call. */
    struct sockproto_write m = { (uintptr_t)buf, count, 0, 0 };
    size_t n = count < SOCKPROTO_MAX_REGION ? count : SOCKPROTO_MAX_REGION;
    long r;

    pthread_mutex_lock(&lock);
    m.fault = !vm_copy(false, m.addr, membuf, n);
    r = rpc_locked(fd, SOCKPROTO_WRITE, &m, sizeof m, membuf,
                   m.fault ? 0 : n);
    pthread_mutex_unlock(&lock);
    return syscall_result(r);
}

/* i2c-dev is not a stream file: pread() and pwrite() reach its read and
 * write handlers, which ignore the offset (i2c-dev-abi.md section 1). On
 * the socket they would fail with ESPIPE. */
EXPORT ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
    return ours(fd) ? read(fd, buf, count)
                    : REAL(pread)(fd, buf, count, offset);
}

EXPORT ssize_t pread64(int fd, void *buf, size_t count, off64_t offset)
{
    return ours(fd) ? read(fd, buf, count)
                    : REAL(pread64)(fd, buf, count, offset);
}

EXPORT ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
    return ours(fd) ? write(fd, buf, count)
                    : REAL(pwrite)(fd, buf, count, offset);
}

EXPORT ssize_t pwrite64(int fd, const void *buf, size_t count,
                        off64_t offset)
{
    return ours(fd) ? write(fd, buf, count)
                    : REAL(pwrite64)(fd, buf, count, offset);
}

EXPORT int close(int fd)
{
    int r = REAL(close)(fd);

    set_kind(fd, FD_UNKNOWN);
    return r;
}

/* A new fd for the same open file description is ours if the old one is. */
static int copied(int from, int fd)
{
    if (fd >= 0)
        set_kind(fd, ours(from) ? FD_OURS : FD_OTHER);
    return fd;
}

EXPORT int dup(int fd)
{
    return copied(fd, REAL(dup)(fd));
}

EXPORT int dup2(int fd, int fd2)
{
    return copied(fd, REAL(dup2)(fd, fd2));
}

EXPORT int dup3(int fd, int fd2, int flags)
{
    return copied(fd, REAL(dup3)(fd, fd2, flags));
}

#define FCNTL(real)                                                           \
    do {                                                                      \
        va_list ap;                                                           \
        void *arg;                                                            \
        int r;                                                                \
        va_start(ap, cmd);                                                    \
        arg = va_arg(ap, void *);                                             \
        va_end(ap);                                                           \
        r = real(fd, cmd, arg);                                               \
        return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC ? copied(fd, r) : r;  \
    } while (0)

EXPORT int fcntl(int fd, int cmd, ...)
{
    FCNTL(REAL(fcntl));
}

EXPORT int fcntl64(int fd, int cmd, ...)
{
    FCNTL(REAL(fcntl64));
}

/* i2c-dev has no poll method: the file is always readable and writable. */
EXPORT int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
    struct pollfd *rest;
    int ready = 0, r;
    nfds_t i;

    for (i = 0; i < nfds && !ours(fds[i].fd); i++)
        ;
    if (i == nfds)
        return REAL(poll)(fds, nfds, timeout);
    /* Answer for ours, and ask the kernel about the rest. */
    if (!(rest = malloc(nfds * sizeof *rest)))
        return -1;
    for (i = 0; i < nfds; i++) {
        rest[i] = fds[i];
        if (ours(fds[i].fd)) {
            rest[i].fd = -1;
            fds[i].revents = fds[i].events &
                             (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
            ready += fds[i].revents != 0;
        }
    }
    r = REAL(poll)(rest, nfds, ready ? 0 : timeout);
    for (i = 0; r >= 0 && i < nfds; i++)
        if (rest[i].fd >= 0)
            fds[i].revents = rest[i].revents;
    free(rest);
    return r < 0 ? r : r + ready;
}
