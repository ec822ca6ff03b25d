// SPDX-License-Identifier: MIT
/*
 * Which descriptors are emulated /dev/i2c-N files. The table maps an fd
 * number to its file; a number is checked against the socket's inode on
 * every use, so an fd closed by a route the shim does not see (a raw
 * syscall, libc's own close) and reused never reaches the daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "frontends/preload/shim.h"

#define FD_MAX 65536
/* Not a file: an fd known not to be ours. NULL: not looked at yet. */
#define OTHER ((struct efile *)1)

static struct efile *table[FD_MAX];
static int high = -1; /* the highest fd ever ours: bounds the scans */

static struct efile *load(int fd)
{
    return __atomic_load_n(&table[fd], __ATOMIC_ACQUIRE);
}

static bool is_file(const struct efile *f)
{
    return f && f != OTHER;
}

static bool in_table(const struct efile *f)
{
    int top = __atomic_load_n(&high, __ATOMIC_RELAXED);

    for (int i = 0; i <= top; i++)
        if (load(i) == f)
            return true;
    return false;
}

/* Serialises the "was that its last fd?" decisions, so that two threads
 * closing two copies of one file do not both unmap it. Taken with signals
 * blocked and cancellation off: a handler that closes an fd cannot find
 * its own thread in, and a cancelled thread cannot leave it held. */
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static void reinit_in_child(void)
{
    pthread_mutex_init(&table_lock, NULL);
}

__attribute__((constructor)) static void init(void)
{
    pthread_atfork(NULL, NULL, reinit_in_child);
}

/* Unmaps f unless a thread is in an exchange on it: then the page is left
 * (closing an fd another thread is using is the program's race). */
static void unmap(struct efile *f)
{
    int e = pthread_mutex_trylock(&f->lock);

    if (e == EOWNERDEAD)
        pthread_mutex_consistent(&f->lock);
    if (e == 0 || e == EOWNERDEAD) {
        pthread_mutex_unlock(&f->lock);
        munmap(f, sizeof *f);
    }
}

/* Sets fd's entry; unmaps the file it replaces if no fd has it now. */
static void set(int fd, struct efile *f)
{
    uint64_t mask;
    struct efile *old;
    int cancel;

    if (fd < 0 || fd >= FD_MAX)
        return;
    if (!is_file(f) && !is_file(load(fd))) {
        __atomic_store_n(&table[fd], f, __ATOMIC_RELEASE);
        return;
    }
    shim_sigblock(~0ull, &mask);
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel);
    pthread_mutex_lock(&table_lock);
    if (is_file(f) && fd > high)
        __atomic_store_n(&high, fd, __ATOMIC_RELAXED);
    old = __atomic_exchange_n(&table[fd], f, __ATOMIC_ACQ_REL);
    if (is_file(old) && old != f && !in_table(old))
        unmap(old);
    pthread_mutex_unlock(&table_lock);
    pthread_setcancelstate(cancel, NULL);
    shim_sigrestore(&mask);
}

/* On every request (the fast path's one system call). glibc's fstat()
 * is newfstatat(fd, "", AT_EMPTY_PATH), which Linux serves through a path
 * walk; the fstat system call is a plain descriptor look-up, several
 * times cheaper in a TCG guest (docs/benchmarks.md). x86-64's struct
 * stat is the kernel's; elsewhere, glibc's call. */
static ino_t inode(int fd)
{
    struct stat st;
#ifdef __x86_64__
    int r = (int)syscall(SYS_fstat, fd, &st);
#else
    int r = REAL(fstat)(fd, &st);
#endif

    return r == 0 && S_ISSOCK(st.st_mode) ? st.st_ino : 0;
}

static struct efile *new_file(int fd, int number, int flags)
{
    struct efile *f = mmap(NULL, sizeof *f, PROT_READ | PROT_WRITE,
                           MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t a;

    if (f == MAP_FAILED)
        return NULL;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&f->lock, &a);
    pthread_mutexattr_destroy(&a);
    f->ino = inode(fd);
    f->number = number;
    f->accmode = flags & O_ACCMODE;
    f->timeout_ms = SHIM_DEFAULT_TIMEOUT_MS;
    return f;
}

bool fdt_add(int fd, int number, int flags)
{
    struct efile *f;

    if (fd >= FD_MAX) {
        errno = EMFILE;
        return false;
    }
    if (!(f = new_file(fd, number, flags)))
        return false;
    set(fd, f);
    return true;
}

struct efile *fdt_get(int fd)
{
    struct efile *f;
    int saved = errno;

    if (fd < 0 || fd >= FD_MAX)
        return NULL;
    f = load(fd);
    if (f == OTHER)
        return NULL;
    if (f && f->ino && f->ino == inode(fd)) {
        errno = saved;
        return f;
    }
    /* Not looked at yet, or the number was reused. An fd inherited across
     * exec, or passed over a socket, is ours if its peer is the daemon;
     * its bus number is not known. */
    f = client_peer_is_daemon(fd) ? new_file(fd, -1, O_RDWR) : NULL;
    set(fd, f ? f : OTHER);
    errno = saved;
    return f;
}

struct efile *fdt_peek(int fd)
{
    struct efile *f = fd >= 0 && fd < FD_MAX ? load(fd) : NULL;

    return is_file(f) && f->ino ? f : NULL;
}

void fdt_other(int fd)
{
    set(fd, OTHER);
}

void fdt_forget(int fd)
{
    set(fd, NULL);
}

void fdt_forget_range(unsigned first, unsigned last)
{
    for (unsigned i = first; i <= last && i < FD_MAX; i++)
        set((int)i, NULL);
}

bool fdt_copy(int from, int to)
{
    struct efile *f = fdt_get(from);

    if (f && to >= FD_MAX) /* it would be a bare socket */
        return false;
    set(to, f ? f : OTHER);
    return true;
}
