# SPDX-License-Identifier: MIT
"""24Cxx `image=`: a dump served read-only (an IPMI FRU in a 24c02)."""
import expect


def test_fru_image_served_write_protected(emu, tmp_path):
    fru = bytes((i * 7) & 0xFF for i in range(128))
    (tmp_path / "fru.bin").write_bytes(fru)
    r = emu("-d", "24c02,addr=0x50,wp=on,image=fru.bin",
            cmd="i2cdump -y 1 0x50 b && i2cset -y 1 0x50 0x05 0x00 && "
                "i2cget -y 1 0x50 0x05")
    assert (r.status, r.err) == (0, ""), r
    # The 128 bytes, then erased cells; the write was dropped.
    assert r.out == expect.dump_bytes(list(fru) + [0xFF] * 128) + "0x23\n", r
    assert (tmp_path / "fru.bin").read_bytes() == fru


def test_image_and_file_refused(emu, tmp_path):
    (tmp_path / "fru.bin").write_bytes(b"\0" * 16)
    r = emu("-d", "24c02,addr=0x50,image=fru.bin,file=ee.bin", cmd="true")
    assert r.status != 0, r
    assert "file= and image= are mutually exclusive" in r.err, r
