/* SPDX-License-Identifier: MIT */
/* What CUSE keeps between an ioctl's rounds (cuse_asked.c): the regions
 * the last retry of each thread asked for, mapped onto the next round's
 * bytes, and the call that asked, handed over once to that round and
 * handed back for freeing when the entry is reused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "frontends/cuse_asked.h"

static int call_a, call_b, call_c; /* stand-ins for kept calls */

static const struct iovec two[2] = { { (void *)0x1000, 12 },
                                     { (void *)0x2000, 4 } };

/* The regions come back in the order asked, adding up to the round's
 * input. */
static unsigned map(struct cuse_asked *a, const struct cuse_asked_key *k,
                    size_t in_size, void **kept)
{
    struct iovec iov[CUSE_MAX_REGIONS];
    size_t size = 0, sum = 0;
    unsigned n = cuse_asked_map(a, k, in_size, iov, &size, kept);

    for (unsigned i = 0; i < n; i++)
        sum += iov[i].iov_len;
    if (n) {
        assert_int_equal(size, in_size);
        assert_int_equal(sum, in_size);
        assert_ptr_equal(iov[0].iov_base, (void *)0x1000);
    }
    return n;
}

/* The next round of the same ioctl gets the regions and the call, once. */
static void the_next_round_takes_the_call(void **state)
{
    struct cuse_asked a = { 0 };
    const struct cuse_asked_key k = { 100, 7, 0x1000, 0x720 };
    uint8_t in[16];
    void *kept = NULL;

    (void)state;
    assert_null(cuse_asked_set(&a, &k, two, 2, &call_a));
    assert_int_equal(map(&a, &k, sizeof in, &kept), 2);
    assert_ptr_equal(kept, &call_a);
    /* Handed over: a second look finds the regions, but no call. */
    kept = &call_b;
    assert_int_equal(map(&a, &k, sizeof in, &kept), 2);
    assert_null(kept);
}

/* Another ioctl, another size, or another thread: no call. */
static void only_that_ioctl_takes_it(void **state)
{
    struct cuse_asked a = { 0 };
    const struct cuse_asked_key k = { 100, 7, 0x1000, 0x720 };
    struct cuse_asked_key other = k;
    uint8_t in[16];
    void *kept = NULL;

    (void)state;
    cuse_asked_set(&a, &k, two, 2, &call_a);
    assert_int_equal(map(&a, &k, 12, &kept), 0);
    other.arg = 0x3000;
    assert_int_equal(map(&a, &other, sizeof in, &kept), 0);
    other = k;
    other.tid = 101;
    assert_int_equal(map(&a, &other, sizeof in, &kept), 0);
    other = k;
    other.fh = 8;
    assert_int_equal(map(&a, &other, sizeof in, &kept), 0);
    assert_null(kept);
    /* Still there for the right one. */
    assert_int_equal(map(&a, &k, sizeof in, &kept), 2);
    assert_ptr_equal(kept, &call_a);
}

/* A thread's new retry replaces its entry: the call kept there before (an
 * ioctl the kernel gave up, on EFAULT) comes back to be freed. So does a
 * thread's, when a fifth thread takes its entry. */
static void a_replaced_call_comes_back(void **state)
{
    struct cuse_asked a = { 0 };
    struct cuse_asked_key k = { 100, 7, 0x1000, 0x720 };
    void *kept = NULL;

    (void)state;
    cuse_asked_set(&a, &k, two, 2, &call_a);
    k.arg = 0x5000;
    assert_ptr_equal(cuse_asked_set(&a, &k, two, 1, &call_b), &call_a);
    assert_int_equal(map(&a, &k, 12, &kept), 1);
    assert_ptr_equal(kept, &call_b);

    /* Four threads fill the entries; a fifth replaces the oldest. */
    for (pid_t t = 1; t <= CUSE_ASKED_THREADS; t++) {
        k.tid = t;
        assert_null(cuse_asked_set(&a, &k, two, 2,
                                   t == 1 ? (void *)&call_c : NULL));
    }
    k.tid = CUSE_ASKED_THREADS + 1;
    assert_ptr_equal(cuse_asked_set(&a, &k, two, 2, NULL), &call_c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_next_round_takes_the_call),
        cmocka_unit_test(only_that_ioctl_takes_it),
        cmocka_unit_test(a_replaced_call_comes_back),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
