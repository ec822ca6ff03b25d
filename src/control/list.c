/* SPDX-License-Identifier: MIT */
/* The "list" op: the board's buses and devices. */
#include "control/request.h"

static const char *profile_name(enum i2cemu_profile p)
{
    return p == I2CEMU_PROFILE_STUB ? "stub" : "i2c";
}

json_t *ctl_op_list(const struct i2cemu_board *b, const json_t *req)
{
    json_t *fail = ctl_check_keys(req, "list", NULL);
    json_t *buses, *devs, *r;

    if (fail)
        return fail;
    r = json_pack("{sbs[]s[]}", "ok", 1, "buses", "devices");
    if (!r)
        return NULL;
    buses = json_object_get(r, "buses");
    devs = json_object_get(r, "devices");
    for (unsigned i = 0; i < i2cemu_bus_count(b); i++)
        if (json_array_append_new(buses, json_pack(
                "{sisosssI}", "number", i2cemu_bus_number(b, i),
                "name", ctl_string(i2cemu_bus_name(b, i)),
                "profile", profile_name(i2cemu_bus_profile(b, i)),
                "speed_hz", (json_int_t)i2cemu_bus_speed_hz(b, i))) < 0)
            goto oom;
    for (unsigned d = 0; d < i2cemu_device_count(b); d++) {
        char name[64];
        if (!i2cemu_device_present(b, d))
            continue;
        ctl_device_name(b, d, name, sizeof(name));
        if (json_array_append_new(devs, json_pack(
                "{sssssisiss}", "name", name,
                "type", i2cemu_device_type_of(b, d)->name,
                "bus", i2cemu_bus_number(b, i2cemu_device_bus(b, d)),
                "addr", (int)i2cemu_device_addr(b, d),
                "id", i2cemu_device_id(b, d))) < 0)
            goto oom;
    }
    return r;
oom:
    json_decref(r);
    return NULL;
}
