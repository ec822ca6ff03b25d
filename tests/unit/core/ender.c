// SPDX-License-Identifier: MIT
/* test-ender (ender.h). */
#include "ender.h"

#include "core/board_internal.h"

void ender_at(struct i2cemu_dev *d, enum ender_site here)
{
    struct ender_state *s = d->state;
    s->calls++;
    if (s->fired && here != AT_FINISH)
        s->after++;
    if (s->at != here || s->fired)
        return;
    s->fired = true;
    unsigned bus = i2cemu_device_bus(d->board, d->index);
    if (s->abort)
        i2cemu_transfer_abort(d->board->rt[bus].owner);
    else
        i2cemu_bus_reset(d->board, bus);
}

enum i2cemu_result ender_event(struct i2cemu_dev *d, enum i2cemu_event ev)
{
    static const uint8_t site[] = {
        [I2CEMU_EV_START_SEND] = AT_START_SEND,
        [I2CEMU_EV_START_RECV] = AT_START_RECV,
        [I2CEMU_EV_DESELECT] = AT_DESELECT, [I2CEMU_EV_NACK] = AT_NACK,
        [I2CEMU_EV_FINISH] = AT_FINISH,
    };
    ender_at(d, site[ev]);
    return I2CEMU_ACK;
}

static enum i2cemu_result ender_send(struct i2cemu_dev *d, uint8_t byte)
{
    (void)byte;
    ender_at(d, AT_SEND);
    return I2CEMU_ACK;
}

static void ender_send_async(struct i2cemu_dev *d, uint8_t byte)
{
    (void)byte;
    ender_at(d, AT_SEND_ASYNC);
}

static uint8_t ender_recv(struct i2cemu_dev *d)
{
    ender_at(d, AT_RECV);
    return ((struct ender_state *)d->state)->count;
}

static int ender_smbus(struct i2cemu_dev *d, uint16_t flags, char rw,
                       uint8_t command, int size, union i2c_smbus_data *data)
{
    (void)flags, (void)rw, (void)command, (void)size;
    ender_at(d, AT_SMBUS);
    data->byte = 0x42;
    return 0;
}

const struct i2cemu_device_type test_ender = {
    .name = "test-ender",
    .help = "resets the bus or aborts the transfer from a callback",
    .state_size = sizeof(struct ender_state),
    .event = ender_event,
    .send = ender_send,
    .recv = ender_recv,
    .smbus_xfer = ender_smbus,
};

const struct i2cemu_device_type test_ender_async = {
    .name = "test-ender-async",
    .help = "stretches on every byte; may end the transfer meanwhile",
    .state_size = sizeof(struct ender_state),
    .event = ender_event,
    .send_async = ender_send_async,
};
