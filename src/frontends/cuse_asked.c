// SPDX-License-Identifier: MIT
/* What each thread's last ioctl retry asked for: cuse_asked.h. */
#include "frontends/cuse_asked.h"
#include "core/hot.h"

#include <string.h>

static bool same(const struct cuse_asked_key *a, const struct cuse_asked_key *b)
{
    return a->tid == b->tid && a->fh == b->fh && a->arg == b->arg &&
           a->cmd == b->cmd;
}

I2CEMU_HOT
void *cuse_asked_set(struct cuse_asked *a, const struct cuse_asked_key *k,
                     const struct iovec *iov, unsigned n, void *kept)
{
    void *old;
    unsigned i;

    /* The thread's entry, whatever ioctl it was for: a thread makes one
     * call at a time. */
    for (i = 0; i < CUSE_ASKED_THREADS && a->t[i].key.tid != k->tid; i++)
        ;
    if (i == CUSE_ASKED_THREADS) {
        i = a->next;
        a->next = (a->next + 1) % CUSE_ASKED_THREADS;
    }
    old = a->t[i].kept;
    a->t[i].kept = kept;
    a->t[i].key = *k;
    a->t[i].n = n;
    a->t[i].size = 0;
    for (unsigned j = 0; j < n; j++) {
        a->t[i].iov[j] = iov[j];
        a->t[i].size += iov[j].iov_len;
    }
    return old;
}

I2CEMU_HOT
unsigned cuse_asked_map(struct cuse_asked *a, const struct cuse_asked_key *k,
                        size_t in_size, struct iovec *iov, size_t *size,
                        void **kept)
{
    for (unsigned i = 0; i < CUSE_ASKED_THREADS; i++) {
        if (!a->t[i].key.tid || !same(&a->t[i].key, k) ||
            a->t[i].size != in_size)
            continue;
        memcpy(iov, a->t[i].iov, a->t[i].n * sizeof(*iov));
        *size = in_size;
        *kept = a->t[i].kept;
        a->t[i].kept = NULL;
        return a->t[i].n;
    }
    return 0;
}
