/* SPDX-License-Identifier: MIT */
/* The example of docs/library.md, verbatim between the markers, so the doc
 * stays true (tests/install checks that the two are the same). */
/* --- docs/library.md example begins --- */
/* A driver function and its test, with cmocka. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <i2cemu/i2cemu.h>

/* The code under test: a driver function that reads a TMP102 in °C. */
static int tmp102_read_celsius(struct i2cemu_i2cdev_file *f, double *out)
{
    int w = i2cemu_smbus_read_word_data(f, 0x00);
    if (w < 0)
        return w;
    /* SMBus words are LSB first; the TMP102 sends its MSB first. */
    int16_t raw = (int16_t)(((w & 0xFF) << 8) | (w >> 8));
    *out = (raw >> 4) * 0.0625;
    return 0;
}

static void driver_reads_the_temperature(void **state)
{
    (void)state;
    struct i2cemu_error err;
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b = i2cemu_board_new(loop);
    int dev = i2cemu_device_add(b, "tmp102,addr=0x48,temperature=41.5", &err);
    assert_true(dev >= 0);

    struct i2cemu_i2cdev_file f;
    assert_int_equal(i2cemu_i2cdev_open(&f, b, 1, O_RDWR), 0); /* /dev/i2c-1 */
    assert_int_equal(i2cemu_smbus_set_addr(&f, 0x48), 0);
    double c;
    assert_int_equal(tmp102_read_celsius(&f, &c), 0);
    assert_true(c == 41.5);

    /* Change the world under the driver, as a test does. */
    assert_int_equal(i2cemu_device_set(b, (unsigned)dev, "temperature",
                                       "-10.25", &err), 0);
    assert_int_equal(tmp102_read_celsius(&f, &c), 0);
    assert_true(c == -10.25);

    /* Nobody at 0x49: the same errno as a real adapter. */
    assert_int_equal(i2cemu_smbus_set_addr(&f, 0x49), 0);
    assert_int_equal(tmp102_read_celsius(&f, &c), -ENXIO);

    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(driver_reads_the_temperature),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
/* --- docs/library.md example ends --- */
