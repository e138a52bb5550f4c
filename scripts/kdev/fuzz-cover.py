#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Coverage of io_uring/ by the fuzzer, per file, from the PCs it saw.

usage: fuzz-cover.py BUILD_DIR PCS_FILE
       fuzz-cover.py --total BUILD_DIR    (the number of sites only)
       fuzz-cover.py --sites BUILD_DIR    (the sites' addresses, in hex)
       fuzz-cover.py --functions BUILD_DIR PCS_FILE [N]
                            (the N functions with most sites never reached)

KCOV reports the return address of each __sanitizer_cov_trace_pc call.
The total is every such call site in a function defined by an io_uring/
object (System.map gives the functions' places in vmlinux, nm the objects'
functions); the covered ones are those in PCS_FILE. The build has no debug
information, so the unit is the call site (a basic block), not a line.
"""
import bisect
import collections
import glob
import os
import re
import subprocess
import sys


owner_n = collections.Counter()   # how many io_uring objects define a name

# What TRACE_EVENT() generates in the object that defines the tracepoints
# (io_uring.c) is code of include/trace/events/io_uring.h, not a line of
# io_uring/: left out, as a line count would leave it out. The calls of
# the tracepoints in io_uring/ stay (the fuzzer enables the events).
GENERATED = re.compile(r"^(trace_event_raw_event|perf_trace|trace_raw_output|"
                       r"__bpf_trace|trace_event_get_offsets|__traceiter|"
                       r"__probestub)_")


def functions_by_file(build):
    """{function name: source file} for text symbols of io_uring objects."""
    owner = {}
    for obj in sorted(glob.glob(os.path.join(build, "io_uring", "*.o"))):
        if obj.endswith("built-in.o") or os.path.basename(obj).startswith("."):
            continue
        src = "io_uring/" + os.path.basename(obj)[:-2] + ".c"
        out = subprocess.run(["nm", "--defined-only", obj],
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tT" and \
               not GENERATED.match(parts[2]):
                owner.setdefault(parts[2], src)
                owner_n[parts[2]] += 1
    return owner


def ranges(build, owner):
    """[(start, end, file)] of each io_uring function in vmlinux."""
    # nm -S gives each function's size: the next symbol can be far away
    # (padding, code without symbols), and a range up to it would count
    # other code's trace calls as ours
    funcs = []
    nm = subprocess.run(["nm", "-S", "--defined-only",
                         os.path.join(build, "vmlinux")],
                        capture_output=True, text=True).stdout
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) != 4 or parts[2] not in "tT":
            continue
        addr, size, name = int(parts[0], 16), int(parts[1], 16), parts[3]
        base = name.split(".")[0]      # foo.cold, foo.isra.0, foo.constprop.0
        if base in owner:
            funcs.append((addr, addr + size, base))
    # A static name other objects define too (a header's inline such as
    # rcu_read_unlock, KASAN's constructors) cannot be told apart by name:
    # leave it out rather than count every copy in the kernel as ours.
    seen = collections.Counter(f[2] for f in funcs)
    return [(a, e, owner[n]) for a, e, n in funcs if seen[n] <= owner_n[n]]


def call_sites(build, franges):
    """{file: set(return addresses of the trace calls)}."""
    sites = collections.defaultdict(set)
    # objdump contiguous stretches at once: few processes
    merged = []
    for start, end, src in sorted(franges):
        # neighbours (gaps of other code included) in one objdump run
        if merged and start - merged[-1][1] < 0x40000:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    owner_at = sorted(franges)
    starts = [r[0] for r in owner_at]
    call = re.compile(r"^\s*([0-9a-f]+):\s.*call.*<__sanitizer_cov_trace_pc>")
    insn = re.compile(r"^\s*([0-9a-f]+):")
    vmlinux = os.path.join(build, "vmlinux")
    for start, end in merged:
        out = subprocess.run(
            ["objdump", "-d", "--no-show-raw-insn",
             "--start-address=%#x" % start, "--stop-address=%#x" % end,
             vmlinux], capture_output=True, text=True).stdout.splitlines()
        pending = False
        for line in out:
            m = insn.match(line)
            if not m:
                continue
            addr = int(m.group(1), 16)
            if pending:
                i = bisect.bisect_right(starts, addr - 1) - 1
                if i >= 0 and owner_at[i][0] < addr <= owner_at[i][1]:
                    sites[owner_at[i][2]].add(addr)
                pending = False
            if call.match(line):
                pending = True
    return sites


def uncovered_functions(build, pcs_file, n):
    """The @n functions with the most sites not in @pcs_file."""
    owner = functions_by_file(build)
    franges = ranges(build, owner)
    sites = call_sites(build, franges)
    with open(pcs_file) as f:
        covered = {int(l, 16) for l in f if l.strip()}
    names = {}
    nm = subprocess.run(["nm", "-S", "--defined-only",
                         os.path.join(build, "vmlinux")],
                        capture_output=True, text=True).stdout
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tT":
            names[int(parts[0], 16)] = parts[3]
    starts = sorted(a for a, _, _ in franges)
    per = collections.defaultdict(lambda: [0, 0, ""])
    for src, addrs in sites.items():
        for a in addrs:
            i = bisect.bisect_right(starts, a - 1) - 1
            fn = names.get(starts[i], "?")
            per[fn][1] += 1
            per[fn][2] = src
            if a in covered:
                per[fn][0] += 1
    rows = sorted(per.items(), key=lambda kv: kv[1][0] - kv[1][1])
    print("%-40s %-20s %8s %6s" % ("function", "file", "missed", "sites"))
    for fn, (c, t, src) in rows[:n]:
        if c < t:
            print("%-40s %-20s %8d %6d" % (fn, src, t - c, t))


def main():
    if sys.argv[1] == "--functions":
        uncovered_functions(sys.argv[2], sys.argv[3],
                            int(sys.argv[4]) if len(sys.argv) > 4 else 60)
        return
    if sys.argv[1] == "--sites":
        owner = functions_by_file(sys.argv[2])
        sites = call_sites(sys.argv[2], ranges(sys.argv[2], owner))
        for a in sorted(set().union(*sites.values())):
            print("%x" % a)
        return
    if sys.argv[1] == "--total":
        owner = functions_by_file(sys.argv[2])
        sites = call_sites(sys.argv[2], ranges(sys.argv[2], owner))
        print(sum(len(s) for s in sites.values()))
        return
    build, pcs_file = sys.argv[1], sys.argv[2]
    owner = functions_by_file(build)
    sites = call_sites(build, ranges(build, owner))
    with open(pcs_file) as f:
        covered = {int(l, 16) for l in f if l.strip()}
    tot_c = tot_t = 0
    low = []
    print("%-24s %8s %8s %6s" % ("file", "covered", "sites", "%"))
    for src in sorted(sites):
        t = len(sites[src])
        c = len(sites[src] & covered)
        tot_c += c
        tot_t += t
        pct = 100.0 * c / t if t else 0.0
        if pct < 50:
            low.append(src)
        print("%-24s %8d %8d %5.1f%%" % (src, c, t, pct))
    print("%-24s %8d %8d %5.1f%%" % ("total", tot_c, tot_t,
                                      100.0 * tot_c / tot_t if tot_t else 0))
    if low:
        print("under 50%: " + " ".join(low))


if __name__ == "__main__":
    main()
