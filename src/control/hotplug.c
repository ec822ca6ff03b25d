/* SPDX-License-Identifier: MIT */
/* The ops that change the board's shape or its whole state: add, del,
 * reset, snapshot. docs/control.md. */
#include "control/request.h"

#include <stdlib.h>
#include <string.h>

#include <i2cemu/master.h>

#include "control/snapshot.h"

json_t *ctl_op_add(struct i2cemu_board *b, const json_t *req)
{
    static const char *const keys[] = { "spec", NULL };
    json_t *fail = ctl_check_keys(req, "add", keys);
    const char *spec = json_string_value(json_object_get(req, "spec"));
    struct i2cemu_error err;
    char name[64];
    int dev;

    if (fail)
        return fail;
    if (!spec)
        return ctl_fail("add: \"spec\" must be a device string such as "
                        "tmp102,addr=0x48");
    /* i2cemu_device_add leaves the board as it was when it fails. */
    if ((dev = i2cemu_device_add(b, spec, &err)) < 0)
        return ctl_fail("add: %s", err.msg);
    ctl_device_name(b, (unsigned)dev, name, sizeof(name));
    return json_pack("{sbss}", "ok", 1, "dev", name);
}

json_t *ctl_op_del(struct i2cemu_board *b, const json_t *req,
                   struct ctl_wait *wait)
{
    static const char *const keys[] = { "dev", NULL };
    json_t *fail = ctl_check_keys(req, "del", keys);
    struct i2cemu_error err;
    int dev, rc;

    if (fail)
        return fail;
    if ((dev = ctl_device_lookup(b, json_object_get(req, "dev"), &fail)) < 0)
        return fail;
    rc = i2cemu_device_remove(b, (unsigned)dev, &err);
    if (rc < 0)
        return ctl_fail("del: %s", err.msg);
    if (rc == 0)
        return ctl_ok();
    /* A transfer holds its bus: the reply waits until it has ended and
     * the device is gone (ctl_wait_poll). */
    *wait = (struct ctl_wait){ .dev = (unsigned)dev, .removal = true };
    return NULL;
}

json_t *ctl_op_reset(struct i2cemu_board *b, const json_t *req)
{
    static const char *const keys[] = { "bus", NULL };
    json_t *fail = ctl_check_keys(req, "reset", keys);
    const json_t *bus = json_object_get(req, "bus");
    int idx;

    if (fail)
        return fail;
    if (!json_is_integer(bus))
        return ctl_fail("reset: \"bus\" must be a bus number");
    if (json_integer_value(bus) < 0 || json_integer_value(bus) > 0xFFFF ||
        (idx = i2cemu_bus_find(b, (int)json_integer_value(bus))) < 0)
        return ctl_fail("reset: there is no bus %" JSON_INTEGER_FORMAT,
                        json_integer_value(bus));
    i2cemu_bus_reset(b, (unsigned)idx);
    return ctl_ok();
}

json_t *ctl_op_snapshot(struct i2cemu_board *b, const json_t *req)
{
    static const char *const keys[] = { "action", "file", NULL };
    json_t *fail = ctl_check_keys(req, "snapshot", keys);
    const char *action = json_string_value(json_object_get(req, "action"));
    const char *file = json_string_value(json_object_get(req, "file"));
    struct i2cemu_error err;
    int rc;

    if (fail)
        return fail;
    if (!action || (strcmp(action, "save") != 0 && strcmp(action, "load")))
        return ctl_fail("snapshot: \"action\" must be \"save\" or \"load\"");
    /* The daemon's working directory is not the client's. */
    if (!file || file[0] != '/')
        return ctl_fail("snapshot: \"file\" must be an absolute path");
    if (strcmp(action, "save") == 0)
        rc = ctl_snapshot_save(b, file, &err);
    else
        rc = ctl_snapshot_load(b, file, &err);
    return rc < 0 ? ctl_fail("snapshot %s: %s", action, err.msg) : ctl_ok();
}
