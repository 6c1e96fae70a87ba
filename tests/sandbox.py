#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""sandbox.py UNIT CAPS -- CMD...: run CMD confined as the [Service] section
of the systemd unit UNIT confines its service, for tests on a machine with no
systemd as PID 1 (tests/test_unit.sh). What it reads from UNIT:

  CapabilityBoundingSet=  every other capability is dropped from the bounding
                          set, so root's exec gets only these (CAPS other than
                          '-' replaces the list: CAP_A,CAP_B)
  NoNewPrivileges=yes     PR_SET_NO_NEW_PRIVS
  SystemCallFilter=       an allow list of system calls, @groups expanded by
                          `systemd-analyze syscall-filter`, others failing with
  SystemCallErrorNumber=  this errno
  RestrictAddressFamilies= socket() of another family fails (EAFNOSUPPORT)
  MemoryDenyWriteExecute= mmap of writable and executable memory, mprotect
                          and pkey_mprotect to executable, shmat(SHM_EXEC):
                          EPERM

as systemd does (seccomp filters: Python's libseccomp binding, Debian's
python3-seccomp). The file system part (ProtectSystem=, ReadWritePaths=) is
the caller's, with mounts. Then it execs CMD.
"""
import ctypes
import errno
import os
import re
import socket
import subprocess
import sys

import seccomp

PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PROT_WRITE, PROT_EXEC = 0x2, 0x4
SHM_EXEC = 0o100000


def service_options(path):
    opts, section = {}, None
    for line in open(path):
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = line
            continue
        if section == "[Service]":
            key, _, value = line.partition("=")
            opts.setdefault(key, []).append(value)
    return opts


def capability_numbers():
    caps = {}
    with open("/usr/include/linux/capability.h") as f:
        for m in re.finditer(r"#define\s+(CAP_[A-Z_]+)\s+(\d+)\s*$", f.read(), re.M):
            caps[m.group(1)] = int(m.group(2))
    return caps


def expand(group, seen):
    """The system calls of a systemd @group, nested groups included."""
    if group in seen:
        return set()
    seen.add(group)
    out = subprocess.run(["systemd-analyze", "syscall-filter", group], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    calls = set()
    for line in out[1:]:
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        calls |= expand(word, seen) if word.startswith("@") else {word}
    return calls


def add_filter(defaction, rules):
    f = seccomp.SyscallFilter(defaction=defaction)
    for action, name, args in rules:
        try:
            f.add_rule(action, name, *args)
        except (RuntimeError, ValueError, OSError):
            pass  # not a system call of this architecture
    f.load()


def main():
    unit, caps_arg, sep, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    assert sep == "--" and cmd, __doc__
    opts = service_options(unit)
    libc = ctypes.CDLL(None, use_errno=True)

    # Capabilities: only the unit's in the bounding set.
    numbers = capability_numbers()
    keep = (" ".join(opts.get("CapabilityBoundingSet", [])).split() if caps_arg == "-"
            else caps_arg.split(","))
    keep = {numbers[c] for c in keep if c}
    last = int(open("/proc/sys/kernel/cap_last_cap").read())
    for cap in range(last + 1):
        if cap not in keep and libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0):
            sys.exit("can't drop capability %d: %s" % (cap, os.strerror(ctypes.get_errno())))
    if opts.get("NoNewPrivileges", ["no"])[-1] == "yes":
        libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)

    # MemoryDenyWriteExecute=.
    if opts.get("MemoryDenyWriteExecute", ["no"])[-1] == "yes":
        both = PROT_WRITE | PROT_EXEC
        add_filter(seccomp.ALLOW, [
            (seccomp.ERRNO(errno.EPERM), "mmap", [seccomp.Arg(2, seccomp.MASKED_EQ, both, both)]),
            (seccomp.ERRNO(errno.EPERM), "mprotect",
             [seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, PROT_EXEC)]),
            (seccomp.ERRNO(errno.EPERM), "pkey_mprotect",
             [seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, PROT_EXEC)]),
            (seccomp.ERRNO(errno.EPERM), "shmat",
             [seccomp.Arg(2, seccomp.MASKED_EQ, SHM_EXEC, SHM_EXEC)]),
        ])

    # RestrictAddressFamilies=: every other family refused.
    families = " ".join(opts.get("RestrictAddressFamilies", [])).split()
    if families:
        allowed = {int(getattr(socket, f)) for f in families}
        add_filter(seccomp.ALLOW, [
            (seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", [seccomp.Arg(0, seccomp.EQ, fam)])
            for fam in range(46) if fam not in allowed])

    # SystemCallFilter= (an allow list) and SystemCallErrorNumber=.
    words = " ".join(opts.get("SystemCallFilter", [])).split()
    if words:
        assert not words[0].startswith("~"), "only allow lists are emulated"
        calls, seen = set(), set()
        for w in words:
            calls |= expand(w, seen) if w.startswith("@") else {w}
        err = opts.get("SystemCallErrorNumber", [None])[-1]
        deny = seccomp.ERRNO(getattr(errno, err)) if err else seccomp.KILL_PROCESS
        add_filter(deny, [(seccomp.ALLOW, c, []) for c in sorted(calls)])

    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main()
