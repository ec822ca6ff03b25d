/* SPDX-License-Identifier: MIT */
#include "cli/options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <i2cemu/device.h>

const char cli_usage[] =
    "Usage: i2cemu [OPTION]... [run]\n"
    "       i2cemu [OPTION]... -- COMMAND [ARG]...\n"
    "       i2cemu devices\n"
    "       i2cemu ctl COMMAND...   (see i2cemu ctl --help)\n"
    "       i2cemu record -o FILE -- COMMAND [ARG]...\n"
    "\n"
    "Emulate I2C buses and devices that unmodified programs reach at\n"
    "/dev/i2c-N.\n"
    "\n"
    "  run                  serve the board until SIGINT or SIGTERM (default)\n"
    "  -- COMMAND [ARG]...  serve the board while COMMAND runs, then exit\n"
    "                       with its status\n"
    "  devices              list device types and their properties\n"
    "  record               record COMMAND's transfers on /dev/i2c-N for the\n"
    "                       replay device type (i2cemu record --help)\n"
    "\n"
    "Options:\n"
    "  -d, --device SPEC    add a device: TYPE,addr=ADDR[,bus=N][,PROP=VALUE]...\n"
    "  -f, --file FILE      add the buses and devices of a board file\n"
    "                       (-: standard input)\n"
    "  -F, --fault SPEC     inject faults: KIND[,dev=DEV][,reg=R][,TRIGGER]...\n"
    "                       (docs/faults.md); repeatable\n"
    "      --allow-empty    accept a board file without buses or devices\n"
    "      --snapshot FILE  restore a snapshot (i2cemu ctl snapshot save)\n"
    "                       over the board built from -d and -f\n"
    "      --clock MODE     fast (default): transfers take no wall-clock time;\n"
    "                       realtime: they take as long as on a real bus\n"
    "      --socket PATH    where clients connect (default: a new private\n"
    "                       directory under $XDG_RUNTIME_DIR or /tmp)\n"
    "      --socket-mode MODE   socket permissions, octal (0600)\n"
    "      --socket-group GROUP socket group, whose members are served too\n"
    "  -v, --verbose        print the bus traffic on stderr\n"
    "      --trace FORMAT:FILE[,bus=N]\n"
    "                       also write the traffic of bus N (default: all)\n"
    "                       to FILE as text, json (lines), vcd (SCL and SDA\n"
    "                       of one bus) or pcap (Wireshark); FILE - is\n"
    "                       stdout for text and json. Repeatable\n"
    "      --cuse           also serve each bus as a real character device\n"
    "                       /dev/i2c-N through CUSE (root, modprobe cuse);\n"
    "                       a COMMAND then runs without the preload shim.\n"
    "                       Default: `run` does when /dev/cuse is usable\n"
    "      --no-cuse        never use CUSE\n"
    "      --cuse-name PREFIX   node names: PREFIX + bus number (i2c-)\n"
    "      --cuse-mode MODE     node permissions, octal (0600)\n"
    "      --cuse-owner USER    node owner (root)\n"
    "      --cuse-group GROUP   node group (root)\n"
    "      --vhost-user BUS=PATH  serve bus BUS to a QEMU guest as a\n"
    "                       virtio-i2c adapter: listen on PATH for\n"
    "                       -device vhost-user-i2c-pci (repeatable)\n"
    "  -h, --help           print this help and exit\n"
    "  -V, --version        print the version and exit\n"
    "\n"
    "Without -d or -f, a demo board is served: bus 1 with a 24c02 EEPROM at\n"
    "0x50, a tmp102 at 0x48, an lm75 at 0x49 and a register bank at 0x52.\n"
    "\n"
    "Examples:\n"
    "  i2cemu -d 24c02,addr=0x50 -- i2cdump -y 1 0x50\n"
    "  i2cemu -f board.cfg run\n"
    "\n"
    "See i2cemu(1).\n";

enum {
    OPT_CLOCK = 256,
    OPT_SOCKET,
    OPT_SOCKET_MODE,
    OPT_SOCKET_GROUP,
    OPT_CUSE,
    OPT_NO_CUSE,
    OPT_CUSE_NAME,
    OPT_CUSE_MODE,
    OPT_CUSE_OWNER,
    OPT_CUSE_GROUP,
    OPT_ALLOW_EMPTY,
    OPT_TRACE,
    OPT_VHOST_USER,
    OPT_SNAPSHOT,
};

static const struct option long_options[] = {
    { "device", required_argument, NULL, 'd' },
    { "fault", required_argument, NULL, 'F' },
    { "file", required_argument, NULL, 'f' },
    { "clock", required_argument, NULL, OPT_CLOCK },
    { "socket", required_argument, NULL, OPT_SOCKET },
    { "socket-mode", required_argument, NULL, OPT_SOCKET_MODE },
    { "socket-group", required_argument, NULL, OPT_SOCKET_GROUP },
    { "verbose", no_argument, NULL, 'v' },
    { "trace", required_argument, NULL, OPT_TRACE },
    { "cuse", no_argument, NULL, OPT_CUSE },
    { "no-cuse", no_argument, NULL, OPT_NO_CUSE },
    { "cuse-name", required_argument, NULL, OPT_CUSE_NAME },
    { "cuse-mode", required_argument, NULL, OPT_CUSE_MODE },
    { "cuse-owner", required_argument, NULL, OPT_CUSE_OWNER },
    { "cuse-group", required_argument, NULL, OPT_CUSE_GROUP },
    { "allow-empty", no_argument, NULL, OPT_ALLOW_EMPTY },
    { "vhost-user", required_argument, NULL, OPT_VHOST_USER },
    { "snapshot", required_argument, NULL, OPT_SNAPSHOT },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

/* "+": stop at the first word, so that COMMAND's own options are left
 * alone; ":": report a missing argument apart from an unknown option. */
static const char short_options[] = "+:d:f:F:vhV";

/* The option getopt just rejected, as the user typed it. */
static void bad_option(struct i2cemu_error *err, char **argv, const char *what)
{
    const char *arg = argv[optind - 1];

    if (strncmp(arg, "--", 2) == 0)
        i2cemu_error_set(err, "%s '%s'", what, arg);
    else
        i2cemu_error_set(err, "%s '-%c'", what, optopt);
}

/* --vhost-user BUS=PATH */
static int parse_vhost_user(struct cli_options *o, const char *arg,
                            struct i2cemu_error *err)
{
    char *end;
    long bus = strtol(arg, &end, 10);

    if (end == arg || *end != '=' || bus < 0 || bus > 0xffff || !end[1]) {
        i2cemu_error_set(err, "--vhost-user %s: expected BUS=PATH, such as "
                         "1=/tmp/vi2c.sock", arg);
        return -1;
    }
    o->vhost_user[o->nvhost_user++] =
        (struct cli_vhost_user){ .bus = (int)bus, .path = end + 1 };
    return 0;
}

static int parse_verb(struct cli_options *o, const char *verb, bool *seen,
                      struct i2cemu_error *err)
{
    if (*seen) {
        i2cemu_error_set(err, "unexpected argument '%s'", verb);
        return -1;
    }
    if (strcmp(verb, "run") == 0) {
        o->action = CLI_SERVE;
    } else if (strcmp(verb, "devices") == 0) {
        o->action = CLI_DEVICES;
    } else {
        i2cemu_error_set(err, "unknown command '%s' (to run a program, "
                         "put it after --)", verb);
        return -1;
    }
    *seen = true;
    return 0;
}

static int parse_command(struct cli_options *o, int argc, char **argv, int i,
                         bool verb_seen, struct i2cemu_error *err)
{
    if (verb_seen) {
        i2cemu_error_set(err, "'--' cannot follow a command word: "
                         "use 'i2cemu [OPTION]... -- COMMAND'");
        return -1;
    }
    if (i + 1 >= argc) {
        i2cemu_error_set(err, "'--' must be followed by a command to run");
        return -1;
    }
    o->action = CLI_EXEC;
    o->command = argv + i + 1;
    return 0;
}

int cli_options_parse(struct cli_options *o, int argc, char **argv,
                      struct i2cemu_error *err)
{
    bool verb_seen = false;

    *o = (struct cli_options){ .action = CLI_SERVE,
                               .clock = I2CEMU_CLOCK_FAST };
    o->sources = calloc(argc, sizeof(*o->sources));
    o->traces = calloc(argc, sizeof(*o->traces));
    o->faults = calloc(argc, sizeof(*o->faults));
    o->vhost_user = calloc(argc, sizeof(*o->vhost_user));
    if (!o->sources || !o->traces || !o->faults || !o->vhost_user) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }

    optind = 0; /* glibc: start afresh, as this may be called more than once */
    opterr = 0;
    for (;;) {
        /* getopt would swallow "--" silently: catch it first. Inside a
         * cluster such as "-vd", argv[optind] is the cluster, not "--". */
        int i = optind ? optind : 1;

        if (i < argc && strcmp(argv[i], "--") == 0)
            return parse_command(o, argc, argv, i, verb_seen, err);

        int c = getopt_long(argc, argv, short_options, long_options, NULL);

        switch (c) {
        case -1:
            if (optind >= argc)
                return 0;
            if (parse_verb(o, argv[optind], &verb_seen, err) < 0)
                return -1;
            optind++;
            break;
        case 'd':
        case 'f':
            o->sources[o->nsources++] =
                (struct cli_source){ .file = c == 'f', .arg = optarg };
            break;
        case 'F': {
            /* Checked now; added once the board has its devices. */
            struct i2cemu_fault f;
            struct i2cemu_error e;
            if (i2cemu_fault_parse(optarg, &f, &e) < 0) {
                i2cemu_error_set(err, "-F %s: %s", optarg, e.msg);
                return -1;
            }
            o->faults[o->nfaults++] = optarg;
            break;
        }
        case OPT_CLOCK:
            if (strcmp(optarg, "fast") == 0) {
                o->clock = I2CEMU_CLOCK_FAST;
            } else if (strcmp(optarg, "realtime") == 0) {
                o->clock = I2CEMU_CLOCK_REALTIME;
            } else {
                i2cemu_error_set(err, "--clock %s: unknown mode "
                                 "(fast or realtime)", optarg);
                return -1;
            }
            break;
        case OPT_SOCKET:
            o->socket = optarg;
            break;
        case OPT_SOCKET_MODE: {
            /* The daemon's own user must keep read and write. */
            char *end;
            unsigned long mode = strtoul(optarg, &end, 8);
            if (!*optarg || *end || mode > 0777 || (mode & 0600) != 0600) {
                i2cemu_error_set(err, "--socket-mode %s: expected octal "
                                 "permissions with 0600, such as 0660",
                                 optarg);
                return -1;
            }
            o->socket_mode = (unsigned)mode;
            break;
        }
        case OPT_SOCKET_GROUP:
            o->socket_group = optarg;
            break;
        case 'v':
            o->trace = true;
            break;
        case OPT_TRACE:
            if (trace_spec_parse(optarg, &o->traces[o->ntraces], err) < 0)
                return -1;
            o->ntraces++;
            break;
        case OPT_CUSE:
            o->cuse = CLI_CUSE_ON;
            break;
        case OPT_NO_CUSE:
            o->cuse = CLI_CUSE_OFF;
            break;
        case OPT_CUSE_NAME:
            /* The node is /dev/PREFIXN: no directories, nothing empty. */
            if (!*optarg || strchr(optarg, '/')) {
                i2cemu_error_set(err, "--cuse-name %s: expected a name "
                                 "without '/', such as i2c-", optarg);
                return -1;
            }
            o->cuse_name = optarg;
            break;
        case OPT_CUSE_MODE: {
            char *end;
            unsigned long mode = strtoul(optarg, &end, 8);
            if (!*optarg || *end || mode > 0777 || mode == 0) {
                i2cemu_error_set(err, "--cuse-mode %s: expected octal "
                                 "permissions such as 0660", optarg);
                return -1;
            }
            o->cuse_mode = (unsigned)mode;
            break;
        }
        case OPT_CUSE_OWNER:
            o->cuse_owner = optarg;
            break;
        case OPT_CUSE_GROUP:
            o->cuse_group = optarg;
            break;
        case OPT_ALLOW_EMPTY:
            o->allow_empty = true;
            break;
        case OPT_VHOST_USER:
            if (parse_vhost_user(o, optarg, err) < 0)
                return -1;
            break;
        case OPT_SNAPSHOT:
            o->snapshot = optarg;
            break;
        case 'h':
            o->action = CLI_HELP;
            return 0;
        case 'V':
            o->action = CLI_VERSION;
            return 0;
        case ':':
            bad_option(err, argv, "missing argument to option");
            return -1;
        default:
            bad_option(err, argv, "unknown option");
            return -1;
        }
    }
}

void cli_options_free(struct cli_options *o)
{
    free(o->sources);
    o->sources = NULL;
    free(o->faults);
    o->faults = NULL;
    o->nfaults = 0;
    for (unsigned i = 0; i < o->ntraces; i++)
        trace_spec_fini(&o->traces[i]);
    free(o->traces);
    o->traces = NULL;
    o->ntraces = 0;
    free(o->vhost_user);
    o->vhost_user = NULL;
}
