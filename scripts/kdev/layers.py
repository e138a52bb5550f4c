#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kdev layers: io_uring's source layout against its rules.

  layers.py OBJDIR SRCDIR RULES

From the built objects (nm), every call or reference from one file of
io_uring/ to a symbol another one defines is an edge FILE -> FILE. Each
must be allowed by RULES (Documentation/io_uring/layout.rst explains
them): lines "FILE: FILE FILE ...", '#' comments. Tracepoints are left
out (one file defines them all). Then the sizes: no .c file over 1,000
lines, no function over 80 lines, but for the tables and op switches
RULES names ("long: FILE:FUNCTION").

Prints each edge the rules do not allow, and each allowed edge nobody
uses any more (a rule to drop); exits 1 on the former or on a size.
"""
import collections
import glob
import os
import re
import subprocess
import sys

TRACE = ('__tracepoint_', '__SCK__', '__SCT__', '__traceiter_',
         '__probestub_', '__tpstrtab_', '__bpf_trace_', '__event_')
MAX_FILE, MAX_FUNC = 1000, 80


def symbols(obj):
    out = subprocess.run(['nm', obj], capture_output=True, text=True,
                         check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in 'TDRB':
            defined.add(f[2])
        elif len(f) == 2 and f[0] == 'U':
            undefined.add(f[1])
    return defined, undefined


def edges(objdir):
    defs, undefs = {}, {}
    for obj in glob.glob(os.path.join(objdir, '*.o')):
        name = os.path.basename(obj)[:-2]
        if name in ('built-in', 'zz_layout'):
            continue
        defs[name], undefs[name] = symbols(obj)
    owner = {s: f for f, d in defs.items() for s in d}
    found = collections.defaultdict(set)
    for f, u in undefs.items():
        for s in u:
            o = owner.get(s)
            if o and o != f and not s.startswith(TRACE):
                found[(f, o)].add(s)
    return found


def read_rules(path):
    allowed, long_ok = set(), set()
    for raw in open(path):
        line = raw.split('#', 1)[0].strip()
        if not line:
            continue
        key, _, rest = line.partition(':')
        if key == 'long':
            long_ok.add(rest.strip())
            continue
        for callee in rest.split():
            allowed.add((key.strip(), callee))
    return allowed, long_ok


def sizes(srcdir, long_ok):
    bad = []
    for path in sorted(glob.glob(os.path.join(srcdir, '*.c'))):
        name = os.path.basename(path)
        lines = open(path).read().split('\n')
        if len(lines) - 1 > MAX_FILE:
            bad.append('%s: %d lines (at most %d)' %
                       (name, len(lines) - 1, MAX_FILE))
        start = None
        for i, line in enumerate(lines):
            if start is None and re.match(r'^[a-z_].*\b(\w+)\(', line) \
                    and not line.rstrip().endswith(';') \
                    and '=' not in line.split('(')[0]:
                start, fn = i, re.match(r'^[^(]*?\b(\w+)\(', line).group(1)
            elif start is not None and line == '}':
                n = i - start + 1
                key = '%s:%s' % (name[:-2], fn)
                if n > MAX_FUNC and key not in long_ok:
                    bad.append('%s: %s() %d lines (at most %d)' %
                               (name, fn, n, MAX_FUNC))
                start = None
    return bad


def main():
    objdir, srcdir, rules = sys.argv[1:4]
    allowed, long_ok = read_rules(rules)
    found = edges(objdir)
    failed = 0
    for (f, o), syms in sorted(found.items()):
        if (f, o) not in allowed:
            print('not allowed: %s.c -> %s.c (%s)' %
                  (f, o, ', '.join(sorted(syms)[:4])))
            failed += 1
    for f, o in sorted(allowed - set(found)):
        print('unused rule: %s -> %s' % (f, o))
    bad = sizes(srcdir, long_ok)
    for b in bad:
        print('too long: ' + b)
    total = sum(1 for _ in found)
    print('%d cross-file edges, %d not allowed, %d size problems' %
          (total, failed, len(bad)))
    return 1 if failed or bad else 0


if __name__ == '__main__':
    sys.exit(main())
