/* SPDX-License-Identifier: MIT */
/*
 * EFAULT for the fast path's copies (efault.c; docs/fastpath.md,
 * "EFAULT"). The common case, a copy within one page the cache vouches
 * for, is inline: a byte read makes two copies, and a call each would be
 * a tenth of its cost.
 */
#ifndef I2CEMU_PRELOAD_EFAULT_H
#define I2CEMU_PRELOAD_EFAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define EFAULT_SLOTS 64u /* direct-mapped by page number */
#define EFAULT_PAGE  4096u
enum { EFAULT_CAN_READ = 1, EFAULT_CAN_WRITE = 2 };

/* A page's address with its EFAULT_CAN_* bits; 0: empty. */
extern uintptr_t efault_slot[EFAULT_SLOTS];

/* Client memory in or out: false where the kernel's copy would fault. */
bool efault_copy_in_slow(void *dst, uint64_t addr, size_t len);
bool efault_copy_out_slow(uint64_t addr, const void *src, size_t len);
void efault_forget(void);

/* [addr, addr + len) is non-empty, within one page, and that page is known
 * to allow `can`. */
static inline bool efault_known_in_page(uint64_t addr, size_t len,
                                        unsigned can)
{
    uintptr_t page = (uintptr_t)addr & ~(uintptr_t)(EFAULT_PAGE - 1);
    uintptr_t s;

    if (addr > UINTPTR_MAX ||
        len - 1 >= EFAULT_PAGE - ((uintptr_t)addr & (EFAULT_PAGE - 1)))
        return false;
    s = __atomic_load_n(&efault_slot[page / EFAULT_PAGE % EFAULT_SLOTS],
                        __ATOMIC_RELAXED);
    return (s & ~(uintptr_t)(EFAULT_PAGE - 1)) == page && (s & can);
}

static inline bool efault_copy_in(void *dst, uint64_t addr, size_t len)
{
    if (efault_known_in_page(addr, len, EFAULT_CAN_READ)) {
        memcpy(dst, (const void *)(uintptr_t)addr, len);
        return true;
    }
    return efault_copy_in_slow(dst, addr, len);
}

static inline bool efault_copy_out(uint64_t addr, const void *src, size_t len)
{
    if (efault_known_in_page(addr, len, EFAULT_CAN_WRITE)) {
        memcpy((void *)(uintptr_t)addr, src, len);
        return true;
    }
    return efault_copy_out_slow(addr, src, len);
}

#endif
