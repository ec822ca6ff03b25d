/* SPDX-License-Identifier: MIT */
/*
 * The in-process API: build a board, run transfers and SMBus operations
 * from C, with the same results and errno as /dev/i2c-N on Linux. For
 * people who unit-test driver code by linking libi2cemu.
 *
 *   struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
 *   struct i2cemu_board *b = i2cemu_board_new(loop);
 *   i2cemu_device_add(b, "tmp102,addr=0x48,temperature=41.5", &err);
 *   struct i2cemu_i2cdev_file f;
 *   i2cemu_i2cdev_open(&f, b, 1, O_RDWR);
 *   i2cemu_smbus_set_addr(&f, 0x48);
 *   int v = i2cemu_smbus_read_word_data(&f, 0x00);
 *
 * The SMBus helpers mirror libi2c's i2c_smbus_* (value, or -errno).
 */
#ifndef I2CEMU_I2CEMU_H
#define I2CEMU_I2CEMU_H

#include <i2cemu/board.h>
#include <i2cemu/device.h>
#include <i2cemu/fault.h>
#include <i2cemu/i2cdev.h>
#include <i2cemu/loop.h>
#include <i2cemu/master.h>
#include <i2cemu/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* I2C_SLAVE: 0 or -errno. */
int i2cemu_smbus_set_addr(struct i2cemu_i2cdev_file *f, uint16_t addr);
/* I2C_SMBUS with this fd: 0 or -errno. */
int i2cemu_smbus_access(struct i2cemu_i2cdev_file *f, char read_write, uint8_t command,
                        int size, union i2c_smbus_data *data);
int i2cemu_smbus_write_quick(struct i2cemu_i2cdev_file *f, uint8_t value);
int i2cemu_smbus_read_byte(struct i2cemu_i2cdev_file *f);
int i2cemu_smbus_write_byte(struct i2cemu_i2cdev_file *f, uint8_t value);
int i2cemu_smbus_read_byte_data(struct i2cemu_i2cdev_file *f, uint8_t command);
int i2cemu_smbus_write_byte_data(struct i2cemu_i2cdev_file *f, uint8_t command,
                                 uint8_t value);
int i2cemu_smbus_read_word_data(struct i2cemu_i2cdev_file *f, uint8_t command);
int i2cemu_smbus_write_word_data(struct i2cemu_i2cdev_file *f, uint8_t command,
                                 uint16_t value);
int i2cemu_smbus_read_i2c_block_data(struct i2cemu_i2cdev_file *f, uint8_t command,
                                     uint8_t len, uint8_t *values);
int i2cemu_smbus_write_i2c_block_data(struct i2cemu_i2cdev_file *f, uint8_t command,
                                      uint8_t len, const uint8_t *values);
/* I2C_RDWR: nmsgs, or -errno. */
int i2cemu_rdwr(struct i2cemu_i2cdev_file *f, struct i2c_msg *msgs, unsigned nmsgs);

#ifdef __cplusplus
}
#endif
#endif
