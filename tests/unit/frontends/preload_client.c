/* SPDX-License-Identifier: MIT */
/* A client program for test_preload: plain libc calls on /dev/i2c-1, run
 * with libi2cemu-preload.so preloaded against a board with register banks
 * at 0x50 and 0x51. Built without sanitizers, like the programs the shim
 * is for. Prints each failed check; exits 0 when all passed.
 *
 *   preload_client            the checks
 *   preload_client FD         an exec'd child: FD was inherited open */
#include <errno.h>
#include <fcntl.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define CLIENT_NAME "preload_client"
#include "shim_client.h"

static void file_operations(uint8_t *bad, uint8_t *ro)
{
    int fd = open("/dev/i2c-1", O_RDWR);
    uint8_t buf[16];
    unsigned long funcs;
    struct pollfd p;

    CHECK(fd >= 0);
    /* I2C_FUNCS writes exactly an unsigned long. */
    memset(buf, 0xAA, sizeof buf);
    CHECK(ioctl(fd, I2C_FUNCS, buf) == 0);
    memcpy(&funcs, buf, sizeof funcs);
    CHECK(funcs & I2C_FUNC_I2C);
    CHECK(buf[8] == 0xAA && buf[15] == 0xAA);
    FAILS(ioctl(fd, I2C_FUNCS, NULL), EFAULT);
    FAILS(ioctl(fd, I2C_FUNCS, ro), EFAULT);
    FAILS(ioctl(fd, 0x0709, 0), ENOTTY);
    CHECK(!isatty(fd));
    FAILS(lseek(fd, 0, SEEK_SET), ESPIPE);
    p = (struct pollfd){ fd, POLLIN | POLLOUT, 0 };
    CHECK(poll(&p, 1, 0) == 1 && p.revents == (POLLIN | POLLOUT));

    /* SMBus, and the EFAULTs of its argument and its data. */
    CHECK(ioctl(fd, I2C_SLAVE, 0x50) == 0);
    CHECK(write_byte_data(fd, 0x10, 0x5a) == 0);
    CHECK(read_byte_data(fd, 0x10) == 0x5a);
    FAILS(ioctl(fd, I2C_SMBUS, bad), EFAULT);
    FAILS(smbus(fd, I2C_SMBUS_READ, 0x10, I2C_SMBUS_BYTE_DATA,
                (union i2c_smbus_data *)bad), EFAULT);
    FAILS(smbus(fd, I2C_SMBUS_READ, 0x10, I2C_SMBUS_BYTE_DATA,
                (union i2c_smbus_data *)ro), EFAULT);
    CHECK(ioctl(fd, I2C_SLAVE, 0x40) == 0);
    CHECK(read_byte_data(fd, 0x10) == -ENXIO);

    /* I2C_RDWR: write a register, read it back. */
    {
        uint8_t w[] = { 0x20, 0x77 }, r = 0;
        struct i2c_msg m1[] = { { 0x51, 0, 2, w } };
        struct i2c_msg m2[] = { { 0x51, 0, 1, w }, { 0x51, I2C_M_RD, 1, &r } };
        struct i2c_rdwr_ioctl_data a1 = { m1, 1 }, a2 = { m2, 2 };

        CHECK(ioctl(fd, I2C_RDWR, &a1) == 1);
        CHECK(ioctl(fd, I2C_RDWR, &a2) == 2 && r == 0x77);
        m2[1].buf = bad;
        FAILS(ioctl(fd, I2C_RDWR, &a2), EFAULT);

        /* A block read whose count byte is 0: the daemon's EPROTO, and
         * the file goes on working. */
        uint8_t blk[33] = { 1 };
        m2[0].buf = (uint8_t[]){ 0x60 };
        m2[1] = (struct i2c_msg){ 0x51, I2C_M_RD | I2C_M_RECV_LEN, 33, blk };
        FAILS(ioctl(fd, I2C_RDWR, &a2), EPROTO);
        CHECK(ioctl(fd, I2C_RDWR, &a1) == 1);
    }

    /* read() and write(), and their faults. */
    CHECK(ioctl(fd, I2C_SLAVE, 0x51) == 0);
    CHECK(write(fd, "\x20", 1) == 1);
    CHECK(read(fd, buf, 1) == 1 && buf[0] == 0x77);
    FAILS(write(fd, bad, 1), EFAULT);
    FAILS(read(fd, bad, 1), EFAULT);
    FAILS(read(fd, ro, 1), EFAULT);
    /* pread() and pwrite() are read() and write(): the offset is ignored. */
    buf[0] = 0;
    CHECK(pwrite(fd, "\x20", 1, 1234) == 1);
    CHECK(pread(fd, buf, 1, 99) == 1 && buf[0] == 0x77);
    CHECK(pwrite64(fd, "\x20", 1, 5) == 1);
    CHECK(pread64(fd, buf, 1, 7) == 1 && buf[0] == 0x77);
    CHECK(close(fd) == 0);

    fd = open("/dev/i2c-1", O_RDONLY | O_CLOEXEC);
    CHECK(fd >= 0);
    FAILS(write(fd, buf, 1), EBADF);
    CHECK(close(fd) == 0);
    /* Like udev systems: /dev/i2c/N only where /dev/i2c is a directory. */
    if (access("/dev/i2c", F_OK) != 0)
        FAILS(open("/dev/i2c/1", O_RDWR), ENOENT);
    FAILS(open("/dev/i2c-9", O_RDWR), ENOENT);
}

/* Address and flags belong to the open file description. */
static void shared_state(void)
{
    int a = open("/dev/i2c-1", O_RDWR), b = open("/dev/i2c-1", O_RDWR);
    int c, d, pid, status;

    CHECK(ioctl(a, I2C_SLAVE, 0x50) == 0);
    CHECK(ioctl(b, I2C_SLAVE, 0x51) == 0);
    CHECK(write_byte_data(a, 0x30, 0x01) == 0);
    CHECK(write_byte_data(b, 0x30, 0x02) == 0);
    CHECK(read_byte_data(a, 0x30) == 0x01);
    c = dup(a);
    d = fcntl(a, F_DUPFD_CLOEXEC, 100);
    CHECK(c >= 0 && d >= 100);
    CHECK(ioctl(c, I2C_SLAVE, 0x51) == 0);
    CHECK(read_byte_data(a, 0x30) == 0x02);
    CHECK(read_byte_data(d, 0x30) == 0x02);
    CHECK(dup2(b, c) == c);
    CHECK(ioctl(c, I2C_SLAVE, 0x50) == 0);
    CHECK(read_byte_data(b, 0x30) == 0x01);

    /* A fork()ed child shares it too. */
    pid = fork();
    if (pid == 0)
        _exit(ioctl(a, I2C_SLAVE, 0x50) == 0 ? 0 : 1);
    CHECK(waitpid(pid, &status, 0) == pid && status == 0);
    CHECK(read_byte_data(a, 0x30) == 0x01);
    close(a);
    close(b);
    close(c);
    close(d);
}

/* The shim caches its pid for process_vm_readv() and process_vm_writev():
 * a fork()ed child's requests must move its own memory, not its
 * parent's, which holds other bytes at the same address. */
static union i2c_smbus_data forked;

static void fork_moves_the_childs_memory(void)
{
    int fd = open("/dev/i2c-1", O_RDWR), pid, status;

    CHECK(ioctl(fd, I2C_SLAVE, 0x50) == 0);
    forked.byte = 0x11;
    CHECK(smbus(fd, I2C_SMBUS_WRITE, 0x60, I2C_SMBUS_BYTE_DATA, &forked) ==
          0);
    pid = fork();
    if (pid == 0) {
        forked.byte = 0x22;
        if (smbus(fd, I2C_SMBUS_WRITE, 0x60, I2C_SMBUS_BYTE_DATA, &forked))
            _exit(2);
        forked.byte = 0;
        if (smbus(fd, I2C_SMBUS_READ, 0x60, I2C_SMBUS_BYTE_DATA, &forked))
            _exit(3);
        _exit(forked.byte == 0x22 ? 0 : 1);
    }
    CHECK(waitpid(pid, &status, 0) == pid && status == 0);
    CHECK(forked.byte == 0x11);
    CHECK(read_byte_data(fd, 0x60) == 0x22);
    close(fd);
}

/* An fd inherited across exec() is recognised by its peer. */
static void exec_inherits(const char *self)
{
    int fd = open("/dev/i2c-1", O_RDWR), pid, status;
    char arg[16];

    CHECK(ioctl(fd, I2C_SLAVE, 0x51) == 0);
    snprintf(arg, sizeof arg, "%d", fd);
    pid = fork();
    if (pid == 0) {
        execl(self, self, arg, (char *)NULL);
        _exit(127);
    }
    CHECK(waitpid(pid, &status, 0) == pid && status == 0);
    close(fd);
}

static int exec_child(int fd)
{
    CHECK(read_byte_data(fd, 0x30) == 0x02); /* still at 0x51 */
    return failed;
}

/* i2cdetect -l's source, generated. */
static void proc_bus_i2c(void)
{
    FILE *f = fopen("/proc/bus/i2c", "r");
    char line[120];

    CHECK(f != NULL);
    if (!f)
        return;
    CHECK(fgets(line, sizeof line, f) != NULL);
    CHECK(!strncmp(line, "i2c-1\ti2c\t", 10));
    CHECK(strstr(line, "\tI2C adapter\n") != NULL);
    fclose(f);
}

int main(int argc, char **argv)
{
    long page = sysconf(_SC_PAGESIZE);
    uint8_t *bad = mmap(NULL, (size_t)page, PROT_NONE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint8_t *ro = mmap(NULL, (size_t)page, PROT_READ,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (argc > 1)
        return exec_child(atoi(argv[1]));
    file_operations(bad, ro);
    shared_state();
    fork_moves_the_childs_memory();
    exec_inherits(argv[0]);
    proc_bus_i2c();
    return failed;
}
