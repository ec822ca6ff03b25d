# SPDX-License-Identifier: MIT
"""The Bosch BMP280 / BME280 through the real i2c-tools: an i2cdump of
the power-on state (id, trimming NVM, data registers), the Linux
driver's probe, and a runtime temperature read back and compensated
here with the datasheet's integer formula."""
import pytest

import expect

# BMP280 datasheet 3.12's trimming set, as the NVM holds it (LE words).
TP = [27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500,
      -14600, 6000]
NVM = [b for w in TP for b in ((w & 0xFFFF) & 0xFF, (w & 0xFFFF) >> 8)]


def power_on(bme):
    regs = [0] * 256
    regs[0x88:0x88 + 24] = NVM
    regs[0xD0] = 0x60 if bme else 0x58
    regs[0xF7] = regs[0xFA] = 0x80
    if bme:
        regs[0xA1] = 75
        regs[0xE1:0xE8] = [0x6A, 0x01, 0x00, 0x13, 0x29, 0x03, 0x1E]
        regs[0xFD] = 0x80
    return regs


def comp_t(adc):
    """BMP280 datasheet 3.11.3, in 0.01 °C."""
    t1, t2, t3 = TP[:3]
    var1 = (((adc >> 3) - (t1 << 1)) * t2) >> 11
    var2 = (((((adc >> 4) - t1) * ((adc >> 4) - t1)) >> 12) * t3) >> 14
    return ((var1 + var2) * 5 + 128) >> 8


def test_power_on_dump(emu):
    r = emu("-d", "bmp280,addr=0x76", "-d", "bme280,addr=0x77",
            cmd="i2cdump -y 1 0x76 b; i2cdump -y 1 0x77 b")
    assert (r.status, r.out) == (
        0, expect.dump_bytes(power_on(False)) +
        expect.dump_bytes(power_on(True))), r


def test_linux_probe(emu):
    """bmp280_common_probe(): id, soft reset, status (im_update clear),
    ctrl_meas and config read-modify-write, the trimming burst."""
    r = emu("-d", "bmp280,addr=0x77",
            cmd="i2ctransfer -y 1 w1@0x77 0xd0 r1 && "
                "i2ctransfer -y 1 w2@0x77 0xe0 0xb6 && "
                "i2ctransfer -y 1 w1@0x77 0xf3 r1 && "
                "i2ctransfer -y 1 w1@0x77 0xf4 r1 w2@0x77 0xf4 0x57 && "
                "i2ctransfer -y 1 w1@0x77 0xf5 r1 w2@0x77 0xf5 0x10 && "
                "i2ctransfer -y 1 w1@0x77 0xf4 r2 && "
                "i2ctransfer -y 1 w1@0x77 0x88 r24")
    want = ("0x58\n0x00\n0x00\n0x00\n0x57 0x10\n" +
            " ".join(f"0x{b:02x}" for b in NVM) + "\n")
    assert (r.status, r.out, r.err) == (0, want, ""), r


# `i2cemu ctl` from the command: the VM suite's I2CEMU_BIN is a --cuse
# wrapper that does not take `ctl`, so this one runs under the shim only.
@pytest.mark.preload
def test_runtime_temperature(emu, i2cemu_bin):
    """ctl set, a forced measurement (pairs written in one message), the
    20-bit reading compensated by the datasheet's formula."""
    ctl = f"env -u LD_PRELOAD {i2cemu_bin} ctl"
    r = emu("-d", "bmp280,addr=0x76",
            cmd=f"{ctl} set 1-0076 temperature=-12.34 && "
                "i2ctransfer -y 1 w4@0x76 0xf5 0x00 0xf4 0xb5 && "
                "i2cget -y 1 0x76 0xf4 && "
                "i2cget -y 1 0x76 0xfa && i2cget -y 1 0x76 0xfb && "
                "i2cget -y 1 0x76 0xfc")
    assert r.status == 0, r
    mode, msb, lsb, xlsb = (int(v, 16) for v in r.out.split())
    assert mode == 0xb4  # back to sleep after the forced measurement
    assert comp_t(msb << 12 | lsb << 4 | xlsb >> 4) == -1234
