/* SPDX-License-Identifier: MIT */
/* Loop services for the core only. */
#ifndef I2CEMU_CORE_LOOP_INTERNAL_H
#define I2CEMU_CORE_LOOP_INTERNAL_H

#include <i2cemu/loop.h>

/* FAST mode: move virtual time forward to t_ns (a transfer's end) without
 * firing timers here; they run on the loop's next turn. Other modes: no-op. */
void i2cemu_loop_bump(struct i2cemu_loop *l, uint64_t t_ns);

#endif
