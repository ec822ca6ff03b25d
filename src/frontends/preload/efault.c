// SPDX-License-Identifier: MIT
/*
 * EFAULT on the fast path without a system call per copy
 * (docs/fastpath.md, "EFAULT"). A small per-process cache of pages proven
 * readable or writable: a copy whose pages are all known is a memcpy;
 * any other is done by process_vm_readv/writev, which fails where the
 * kernel's copy would (EFAULT), and its pages are then known.
 *
 * A page the cache vouches for can go away only by an unmap or a change
 * of protection. Those the program makes through libc's functions are
 * seen here (interposed below) and forget the whole cache. What is not
 * seen is libc returning memory inside free(): a later request with a
 * pointer into freed memory is undefined in C anyway. A wild or NULL
 * pointer was never proven and still gives EFAULT.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "frontends/preload/efault.h"
#include "frontends/preload/shim.h"

#define SLOTS EFAULT_SLOTS
#define PAGE EFAULT_PAGE
#define CAN_READ EFAULT_CAN_READ
#define CAN_WRITE EFAULT_CAN_WRITE

uintptr_t efault_slot[SLOTS];

static uintptr_t *slot_of(uintptr_t page)
{
    return &efault_slot[(page / PAGE) % SLOTS];
}

/* len > 0. */
static bool known(uint64_t addr, size_t len, unsigned can)
{
    uintptr_t p, last;

    if (addr > UINTPTR_MAX - len)
        return false;
    p = (uintptr_t)addr & ~(uintptr_t)(PAGE - 1);
    last = (uintptr_t)(addr + len - 1) & ~(uintptr_t)(PAGE - 1);
    for (;; p += PAGE) {
        uintptr_t s = __atomic_load_n(slot_of(p), __ATOMIC_RELAXED);

        if ((s & ~(uintptr_t)(PAGE - 1)) != p || !(s & can))
            return false;
        if (p == last)
            return true;
    }
}

static void learn(uint64_t addr, size_t len, unsigned can)
{
    uintptr_t first = (uintptr_t)addr & ~(uintptr_t)(PAGE - 1);

    for (uintptr_t p = first; p < addr + len; p += PAGE) {
        uintptr_t *s = slot_of(p);
        uintptr_t old = __atomic_load_n(s, __ATOMIC_RELAXED);

        __atomic_store_n(s, p | can |
                                ((old & ~(uintptr_t)(PAGE - 1)) == p
                                     ? (old & (CAN_READ | CAN_WRITE))
                                     : 0),
                         __ATOMIC_RELAXED);
    }
}

void efault_forget(void)
{
    for (unsigned i = 0; i < SLOTS; i++)
        __atomic_store_n(&efault_slot[i], 0, __ATOMIC_RELAXED);
}

bool efault_copy_in_slow(void *dst, uint64_t addr, size_t len)
{
    if (!len)
        return true;
    if (known(addr, len, CAN_READ)) {
        memcpy(dst, (const void *)(uintptr_t)addr, len);
        return true;
    }
    if (!shim_vm_copy(false, addr, dst, len))
        return false;
    learn(addr, len, CAN_READ);
    return true;
}

bool efault_copy_out_slow(uint64_t addr, const void *src, size_t len)
{
    if (!len)
        return true;
    if (known(addr, len, CAN_WRITE)) {
        memcpy((void *)(uintptr_t)addr, src, len);
        return true;
    }
    if (!shim_vm_copy(true, addr, (void *)src, len))
        return false;
    learn(addr, len, CAN_WRITE);
    return true;
}

/* ---- what may take a page away ---- */

EXPORT int munmap(void *addr, size_t len);
EXPORT void *mremap(void *old, size_t old_len, size_t new_len, int flags,
                    ...);
EXPORT int mprotect(void *addr, size_t len, int prot);
EXPORT int madvise(void *addr, size_t len, int advice);
EXPORT int brk(void *addr);
EXPORT void *sbrk(intptr_t inc);
EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
                  off_t off);
EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
                    off64_t off);
EXPORT int shmdt(const void *addr);

EXPORT int munmap(void *addr, size_t len)
{
    efault_forget();
    return REAL(munmap)(addr, len);
}

EXPORT void *mremap(void *old, size_t old_len, size_t new_len, int flags,
                    ...)
{
    void *new_addr = NULL;
    va_list ap;

    efault_forget();
    va_start(ap, flags);
    if (flags & MREMAP_FIXED)
        new_addr = va_arg(ap, void *);
    va_end(ap);
    return REAL(mremap)(old, old_len, new_len, flags, new_addr);
}

EXPORT int mprotect(void *addr, size_t len, int prot)
{
    efault_forget();
    return REAL(mprotect)(addr, len, prot);
}

/* MADV_DONTNEED and friends keep the mapping, but MADV_REMOVE or
 * MADV_FREE of a file page may make it fault: forget on any. */
EXPORT int madvise(void *addr, size_t len, int advice)
{
    efault_forget();
    return REAL(madvise)(addr, len, advice);
}

EXPORT int brk(void *addr)
{
    efault_forget();
    return REAL(brk)(addr);
}

EXPORT void *sbrk(intptr_t inc)
{
    if (inc < 0)
        efault_forget();
    return REAL(sbrk)(inc);
}

/* A fixed mapping replaces what was there. */
EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
                  off_t off)
{
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
        efault_forget();
    return REAL(mmap)(addr, len, prot, flags, fd, off);
}

EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
                    off64_t off)
{
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
        efault_forget();
    return REAL(mmap64)(addr, len, prot, flags, fd, off);
}

EXPORT int shmdt(const void *addr)
{
    efault_forget();
    return REAL(shmdt)(addr);
}
