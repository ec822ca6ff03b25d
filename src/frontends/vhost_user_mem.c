// SPDX-License-Identifier: MIT
/*
 * Guest memory as the vhost-user front end shares it (SET_MEM_TABLE): up to
 * VU_MAX_REGIONS regions, each a file mapped here, known by its guest
 * physical address (descriptors) and by its address in the front end
 * (rings). A translation succeeds only when one region holds the whole
 * range; the checks cannot overflow.
 */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "frontends/vhost_user_priv.h"

static uint8_t *translate(const struct vu_mem *m, uint64_t addr, uint64_t len,
                          bool qva)
{
    for (unsigned i = 0; i < m->n; i++) {
        const struct vu_region *r = &m->r[i];
        uint64_t base = qva ? r->qva : r->gpa;

        if (addr >= base && addr - base < r->size &&
            len <= r->size - (addr - base))
            return r->host + (addr - base);
    }
    return NULL;
}

uint8_t *vu_mem_gpa(const struct vu_mem *m, uint64_t gpa, uint64_t len)
{
    return translate(m, gpa, len, false);
}

uint8_t *vu_mem_qva(const struct vu_mem *m, uint64_t qva, uint64_t len)
{
    return translate(m, qva, len, true);
}

void vu_mem_unmap(struct vu_mem *m)
{
    for (unsigned i = 0; i < m->n; i++)
        if (m->r[i].map)
            munmap(m->r[i].map, m->r[i].map_len);
    m->n = 0;
}

/* The file must hold all of the region, or a later access would be a
 * SIGBUS. */
bool vu_mem_map(struct vu_region *r, uint64_t gpa, uint64_t size,
                uint64_t qva, uint64_t offset, int fd)
{
    struct stat st;
    uint64_t end = offset + size;
    void *p;

    if (!size || end < size || gpa + size < gpa || qva + size < qva ||
        end > SIZE_MAX || fstat(fd, &st) < 0 || (uint64_t)st.st_size < end)
        return false;
    p = mmap(NULL, (size_t)end, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        return false;
    *r = (struct vu_region){ .gpa = gpa, .size = size, .qva = qva,
                             .host = (uint8_t *)p + offset, .map = p,
                             .map_len = (size_t)end };
    return true;
}

