/* SPDX-License-Identifier: MIT */
/* The "fault" request: add, list, delete and clear fault rules
 * (docs/control.md, docs/faults.md). */
#include "control/request.h"

#include <string.h>

#include <i2cemu/fault.h>

static json_t *fault_list(const struct i2cemu_board *b)
{
    json_t *list = json_array();
    const struct i2cemu_fault *f;
    char spec[512];

    for (unsigned i = 0; list && (f = i2cemu_fault_at(b, i)); i++) {
        i2cemu_fault_format(f, spec, sizeof(spec));
        json_array_append_new(list, json_pack(
            "{sIsosssIsI}", "id", (json_int_t)f->id, "spec", ctl_string(spec),
            "kind", i2cemu_fault_kind_name(f->kind), "matched",
            (json_int_t)f->matched, "hits", (json_int_t)f->hits));
    }
    return list ? json_pack("{sbso}", "ok", 1, "faults", list) : NULL;
}

json_t *ctl_op_fault(struct i2cemu_board *b, const json_t *req)
{
    static const char *const keys[] = { "action", "spec", "fault", NULL };
    json_t *fail = ctl_check_keys(req, "fault", keys);
    const char *action = json_string_value(json_object_get(req, "action"));
    const json_t *spec = json_object_get(req, "spec");
    /* "id" is the envelope's: the rule's id is "fault". */
    const json_t *id = json_object_get(req, "fault");
    struct i2cemu_error err;

    if (fail)
        return fail;
    if (!action)
        return ctl_fail("fault: \"action\" must be add, list, del or clear");
    if (strcmp(action, "add") == 0) {
        if ((fail = ctl_check_keys(req, "fault add", (const char *[]){
                                       "action", "spec", NULL })))
            return fail;
        if (!json_is_string(spec))
            return ctl_fail("fault add: \"spec\" must be a string such as "
                            "\"addr-nack,dev=1-0050,once\"");
        int n = i2cemu_fault_add(b, json_string_value(spec), &err);
        if (n < 0)
            return ctl_fail("%s", err.msg);
        return json_pack("{sbsi}", "ok", 1, "fault", n);
    }
    if (strcmp(action, "list") == 0 || strcmp(action, "clear") == 0) {
        if ((fail = ctl_check_keys(req, action[0] == 'l' ? "fault list"
                                                         : "fault clear",
                                   (const char *[]){ "action", NULL })))
            return fail;
        if (action[0] == 'l')
            return fault_list(b);
        i2cemu_fault_clear(b);
        return ctl_ok();
    }
    if (strcmp(action, "del") == 0) {
        if ((fail = ctl_check_keys(req, "fault del", (const char *[]){
                                       "action", "fault", NULL })))
            return fail;
        if (!json_is_integer(id) || json_integer_value(id) <= 0 ||
            json_integer_value(id) > UINT32_MAX)
            return ctl_fail("fault del: \"fault\" must be a rule's id, "
                            "from fault list");
        if (i2cemu_fault_del(b, (unsigned)json_integer_value(id)) < 0)
            return ctl_fail("fault del: there is no rule %" JSON_INTEGER_FORMAT,
                            json_integer_value(id));
        return ctl_ok();
    }
    return ctl_fail("fault: unknown action '%s' (add, list, del or clear)",
                    action);
}
