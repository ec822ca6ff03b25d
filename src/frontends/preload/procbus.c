// SPDX-License-Identifier: MIT
/*
 * /proc/bus/i2c as Linux 2.4 had it, which i2c-tools read before sysfs
 * (i2c-dev-abi.md section 5.6): the emulated buses and the machine's own.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "frontends/preload/shim.h"

/* i2c-tools' names for an adapter's functionality (i2cbusses.c). */
static void adapter_type(uint32_t funcs, const char **type, const char **algo)
{
    if (funcs & I2C_FUNC_I2C) {
        *type = "i2c";
        *algo = "I2C adapter";
    } else if (funcs & (I2C_FUNC_SMBUS_BYTE | I2C_FUNC_SMBUS_BYTE_DATA |
                        I2C_FUNC_SMBUS_WORD_DATA)) {
        *type = "smbus";
        *algo = "SMBus adapter";
    } else {
        *type = "dummy";
        *algo = "Dummy bus";
    }
}

/* A real bus as i2c-tools describes it from sysfs. */
static void real_type(int nr, const char *name, const char **type,
                      const char **algo)
{
    char dev[32];
    unsigned long funcs;
    int fd;

    if (!strncmp(name, "ISA ", 4)) {
        *type = "isa";
        *algo = "ISA bus";
        return;
    }
    snprintf(dev, sizeof dev, "/dev/i2c/%d", nr);
    fd = REAL(open)(dev, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        snprintf(dev, sizeof dev, "/dev/i2c-%d", nr);
        fd = REAL(open)(dev, O_RDWR | O_CLOEXEC);
    }
    if (fd >= 0 && REAL(ioctl)(fd, I2C_FUNCS, &funcs) == 0) {
        adapter_type((uint32_t)funcs, type, algo);
    } else {
        *type = "unknown";
        *algo = "N/A";
    }
    if (fd >= 0)
        REAL(close)(fd);
}

static bool read_line(const char *path, char *buf, size_t size)
{
    int fd = REAL(open)(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : REAL(read)(fd, buf, size - 1);

    if (fd >= 0)
        REAL(close)(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return true;
}

/* The machine's own buses, unless an emulated one took the number. */
static void list_real(int out, const struct sockproto_bus *emu, unsigned n)
{
    DIR *d = opendir("/sys/class/i2c-dev");
    struct dirent *e;

    while (d && (e = readdir(d))) {
        char path[300], name[128];
        const char *type, *algo;
        bool taken = false;
        int nr;

        if (sscanf(e->d_name, "i2c-%d", &nr) != 1)
            continue;
        for (unsigned i = 0; i < n; i++)
            taken |= emu[i].number == nr;
        snprintf(path, sizeof path, "/sys/class/i2c-dev/%s/name", e->d_name);
        if (taken || !read_line(path, name, sizeof name))
            continue;
        real_type(nr, name, &type, &algo);
        dprintf(out, "i2c-%d\t%s\t%s\t%s\n", nr, type, name, algo);
    }
    if (d)
        closedir(d);
}

int procbus_open(bool cloexec)
{
    struct sockproto_bus *b;
    unsigned n;
    int fd, memfd, s = client_connect(true);

    if (s < 0)
        return errno == EACCES ? -1 : SHIM_PASS;
    b = client_hello(s, &n, &memfd);
    REAL(close)(s);
    if (memfd >= 0)
        REAL(close)(memfd);
    if (!b)
        return -1;
    fd = memfd_create("proc-bus-i2c", cloexec ? MFD_CLOEXEC : 0);
    if (fd >= 0) {
        for (unsigned i = 0; i < n; i++) {
            const char *type, *algo;

            /* A tab or newline in the name would break the format. */
            for (char *c = b[i].name; *c; c++)
                if (*c == '\t' || *c == '\n')
                    *c = ' ';
            adapter_type(b[i].funcs, &type, &algo);
            dprintf(fd, "i2c-%d\t%s\t%s\t%s\n", b[i].number, type, b[i].name,
                    algo);
        }
        list_real(fd, b, n);
        lseek(fd, 0, SEEK_SET);
        fdt_other(fd);
    }
    free(b);
    return fd;
}
