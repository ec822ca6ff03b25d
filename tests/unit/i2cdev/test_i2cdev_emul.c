// SPDX-License-Identifier: MIT
/* The SMBus emulation module on its own (i2c-dev-abi.md 4.2 to 4.4): what
 * the master cannot produce, such as a partial message count. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "i2cdev/i2cdev_priv.h"
#include "i2cdev/smbus_emul.h"

/* Fewer messages than sent is EIO (4.4). */
static void emul_partial_transfer_is_eio(void **state)
{
    struct i2cdev_smbus_emul e;
    union i2c_smbus_data d = { 0 };

    (void)state;
    assert_int_equal(i2cdev_smbus_emul_build(&e, 0x50, 0, I2C_SMBUS_READ, 0x10,
                                             I2C_SMBUS_BYTE_DATA, &d), 0);
    assert_int_equal(e.nmsgs, 2);
    assert_int_equal(i2cdev_smbus_emul_finish(&e, 1, &d), -EIO);
    assert_int_equal(i2cdev_smbus_emul_finish(&e, -ENXIO, &d), -ENXIO);
}

/* With PEC a block read's RECV_LEN message starts at 2 bytes before the
 * data (count and PEC), and a write+read pair carries the partial PEC. */
static void emul_pec_block_read_lengths(void **state)
{
    struct i2cdev_smbus_emul e;
    union i2c_smbus_data d = { 0 };

    (void)state;
    assert_int_equal(i2cdev_smbus_emul_build(&e, 0x50, I2CDEV_CLIENT_PEC,
                                             I2C_SMBUS_READ, 0x20,
                                             I2C_SMBUS_BLOCK_DATA, &d), 0);
    assert_int_equal(e.msg[0].len, 1);
    assert_int_equal(e.msg[1].flags, I2C_M_RD | I2C_M_RECV_LEN);
    assert_int_equal(e.msg[1].len, 2);
    /* PEC over A0 20 (the read part follows on completion). */
    assert_true(e.pec);
    assert_int_equal(e.pec_part, 0xF8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(emul_partial_transfer_is_eio),
        cmocka_unit_test(emul_pec_block_read_lengths),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
