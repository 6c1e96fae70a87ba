# SPDX-License-Identifier: GPL-2.0
"""topo.py: the differential test's network, in one place.

The generator, the runner and the shell script (`topo.py shell`) all take the
addresses from here. The MACs are fixed so that the frames, and the DUT's
EUI-64 link-local addresses, are the same on every run.
"""
import ipaddress
import sys

DUT_MAC = "02:d0:00:00:00:01"   # the DUT's veth
GEN_MAC = "02:d0:00:00:00:02"   # the generator's veth
IFB_MAC = "02:d0:00:00:05:01"   # the DUT's second interface (an ifb: no dummy here)
OTHER_MAC = "02:d0:00:00:00:99" # a unicast MAC that is nobody's

DUT4, GEN4 = "198.18.0.1", "198.18.0.2"
DUT6, GEN6 = "2001:2::1", "2001:2::2"
IFB4, IFB6 = "198.18.5.1", "2001:2:5::1"
GEN_LL = "fe80::2"              # the generator's link-local (a static neighbour only)


def eui64_ll(mac):
    b = bytearray(int(x, 16) for x in mac.split(":"))
    b[0] ^= 2
    iid = bytes(b[:3]) + b"\xff\xfe" + bytes(b[3:])
    return str(ipaddress.IPv6Address(b"\xfe\x80" + b"\0" * 6 + iid))


DUT_LL = eui64_ll(DUT_MAC)
IFB_LL = eui64_ll(IFB_MAC)

# On-link sources the generator uses: each a permanent neighbour on the DUT,
# at GEN_MAC, so that the kernel never resolves anything (its replies would
# wait, and its retransmissions would land in later frames' windows).
NEIGH4 = [GEN4, "198.18.0.3", "198.18.0.200", "198.18.0.0"]
NEIGH6 = [GEN6, "2001:2::3", "2001:2::99", GEN_LL, "fe80::99", IFB_LL]
# Off-link, through the default route via GEN4 / GEN6.
OFFLINK4 = ["198.19.0.7", "198.18.77.9"]
OFFLINK6 = ["2001:2:9::9", "2001:2:77::5"]

SENTINEL_ID = 0xD1F5            # the ICMP identifier no generated frame uses
SENTINEL_MAGIC = b"xdpong-diff-sentinel"


def shell():
    for k, v in sorted(globals().items()):
        if k.isupper() and isinstance(v, str):
            print(f"T_{k}='{v}'")
        elif k.isupper() and isinstance(v, list):
            print(f"T_{k}='{' '.join(v)}'")


if __name__ == "__main__":
    if sys.argv[1:] == ["shell"]:
        shell()
