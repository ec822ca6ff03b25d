/* SPDX-License-Identifier: MIT */
/*
 * The i2cemu command line, parsed into plain values without side effects
 * (no printing, no exit), so that it can be unit-tested.
 */
#ifndef I2CEMU_CLI_OPTIONS_H
#define I2CEMU_CLI_OPTIONS_H

#include <i2cemu/fault.h>
#include <i2cemu/loop.h>
#include <i2cemu/types.h>

#include "trace/sink.h"

enum cli_action {
    CLI_SERVE,   /* `run`, the default: serve until SIGINT or SIGTERM */
    CLI_EXEC,    /* -- COMMAND: serve while COMMAND runs */
    CLI_DEVICES, /* list the device types */
    CLI_HELP,
    CLI_VERSION,
};

/* Whether each bus is also served as a real /dev/i2c-N through CUSE. */
enum cli_cuse {
    CLI_CUSE_AUTO, /* `run`: when /dev/cuse is usable; -- COMMAND: no */
    CLI_CUSE_ON,   /* --cuse: or fail */
    CLI_CUSE_OFF,  /* --no-cuse */
};

/* A -d SPEC or -f FILE argument. They build the board in the order given. */
struct cli_source {
    bool file;
    const char *arg; /* points into argv */
};

/* --vhost-user BUS=PATH: bus N served to a QEMU guest (vhost-user-i2c). */
struct cli_vhost_user {
    int bus;
    const char *path; /* points into argv */
};

struct cli_options {
    enum cli_action action;
    enum i2cemu_clock_mode clock;
    const char *socket; /* NULL: a path of our own choosing */
    unsigned socket_mode;     /* --socket-mode: 0 for the default */
    const char *socket_group; /* --socket-group: a name or id */
    bool trace;              /* -v: the text trace on stderr */
    unsigned ntraces;        /* --trace FORMAT:FILE[,bus=N], in order */
    struct trace_spec *traces;
    enum cli_cuse cuse;
    const char *cuse_name;   /* --cuse-name: node prefix; NULL: "i2c-" */
    unsigned cuse_mode;      /* --cuse-mode: 0 for the default, 0600 */
    const char *cuse_owner;  /* --cuse-owner, --cuse-group: names or ids */
    const char *cuse_group;
    bool allow_empty; /* --allow-empty: a board file may add nothing */
    const char *snapshot; /* --snapshot FILE: restored over the board */
    unsigned nsources;
    struct cli_source *sources;
    unsigned nfaults;     /* -F SPEC, in order: added after the board */
    const char **faults;  /* point into argv */
    unsigned nvhost_user;
    struct cli_vhost_user *vhost_user;
    char **command; /* CLI_EXEC: COMMAND and its arguments, NULL-terminated */
};

/* Returns 0, or -1 with the offending argument named in err. */
int cli_options_parse(struct cli_options *o, int argc, char **argv,
                      struct i2cemu_error *err);
void cli_options_free(struct cli_options *o);

extern const char cli_usage[];

#endif
