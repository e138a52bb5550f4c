#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Build our patch series as commits on top of pristine 6.12.

usage: series.py SERIES_ROOT PARENT NAME EMAIL   (GIT_DIR, GIT_INDEX_FILE set)

Each series/NN-*.msg is one patch: header lines, a blank line, the commit
message. Header keys (each may repeat):

  Remove: PATHS          delete pristine files
  Add: PATHS             add our files (a directory adds what is under it
                         and not added by an earlier step)
  Patch: FILE            git apply --cached series/FILE (outside io_uring)
  Maintainers: FILE      replace the IO_URING entry of MAINTAINERS
  Ops: NAMES             the opdef.c entries of these IORING_OP_* become
                         real here; before, they are name only (IO_OP(X))
  Lines: FILES /RE/...   lines of FILES matching a RE belong to this step
  Block: FILES /A/ /B/   from a line matching A to the next matching B
                         (or EOF: to the end of the file)
  Func: FILES NAMES      C function definitions (with their comment)
  Test: FILES NAMES      kselftest_harness tests (TEST, TEST_F, ...)
                         of these names (with their comment)
  Swap: FILE /RE/ = TEXT before this step, the lines matching RE read TEXT

A /RE/#N matches only the Nth line RE matches, /RE/-K the line K lines
above a match and /RE/+K the line K lines below (a Block's end too).
A file added at step k is written at every later step j as its content
in SERIES_ROOT less the pieces (Ops, Lines, Block, Func, Test, Swap) of the
steps after j.
Where a file is absent at a step, "#include" lines naming it, Makefile
objects built from it and toctree lines of a document are left out too, so
the pieces only name what the automatic rules cannot see. The last step
thus writes every file as it is: the tree after the series is ours.
"""
import os
import re
import subprocess
import sys

MANAGED = ["io_uring", "include/linux/io_uring.h",
           "include/linux/io_uring_types.h", "include/linux/io_uring",
           "include/trace/events/io_uring.h", "include/uapi/linux/io_uring.h",
           "include/uapi/linux/io_uring", "tools/testing/selftests/io_uring",
           "Documentation/io_uring"]
OPDEF = "io_uring/opdef.c"
ALL = set()                     # every file the series adds


class SeriesError(Exception):
    pass


class Rx:
    """A /regex/ of a header line, maybe limited to its Nth match."""
    def __init__(self, rx, nth, up):
        self.rx, self.nth, self.up, self.pattern = rx, nth, up, rx.pattern

    def matches(self, lines):
        hits = [i - self.up for i, l in enumerate(lines) if self.rx.search(l)]
        if not hits or (self.nth and self.nth > len(hits)):
            return []
        return [hits[self.nth - 1]] if self.nth else hits


def git(*args, inp=None):
    r = subprocess.run(["git", "-c", "core.autocrlf=false", *args],
                       input=inp, capture_output=True)
    if r.returncode:
        raise SeriesError("git %s: %s" % (" ".join(args[:3]),
                                          r.stderr.decode(errors="replace")))
    return r.stdout


def tokens(val, where):
    """Words and /regular expressions/ (\\/ for a slash inside)."""
    out, i = [], 0
    while i < len(val):
        if val[i].isspace():
            i += 1
        elif val[i] == "/":
            j, buf = i + 1, ""
            while j < len(val) and val[j] != "/":
                if val[j] == "\\" and j + 1 < len(val) and val[j + 1] == "/":
                    j += 1
                buf += val[j]
                j += 1
            if j >= len(val):
                raise SeriesError("%s: unterminated /regex/" % where)
            try:
                rx = re.compile(buf)
            except re.error as e:
                raise SeriesError("%s: /%s/: %s" % (where, buf, e))
            i = j + 1
            # /re/#N: only the Nth match (from 1); /re/-K, /re/+K: K lines
            # above or below
            m = re.match(r"(?:#(\d+))?(?:([-+])(\d+))?", val[i:])
            nth = int(m.group(1)) if m.group(1) else None
            up = int(m.group(3)) if m.group(3) else 0
            if m.group(2) == "+":
                up = -up
            i += len(m.group(0))
            out.append(Rx(rx, nth, up))
        else:
            j = i
            while j < len(val) and not val[j].isspace():
                j += 1
            out.append(val[i:j])
            i = j
    return out


class Step:
    def __init__(self, path, idx):
        self.path, self.idx = path, idx
        self.name = os.path.basename(path)
        self.actions = []       # (key, value) in order: Remove Add Patch ...
        self.pieces = []        # (kind, files, args)
        self.ops = []
        with open(path) as f:
            text = f.read()
        head, _, self.message = text.partition("\n\n")
        for n, line in enumerate(head.splitlines(), 1):
            where = "%s:%d" % (self.name, n)
            key, sep, val = line.partition(":")
            if not sep:
                raise SeriesError("%s: not a header line" % where)
            val = val.strip()
            if key in ("Remove", "Add", "Paths", "Patch", "Maintainers"):
                self.actions.append(("Add" if key == "Paths" else key, val))
            elif key == "Ops":
                self.ops += val.split()
            elif key == "Swap":
                # Swap: FILE /RE/ = TEXT  (\t for a tab)
                m = re.match(r"(\S+)\s+(/.*/(?:#\d+)?)\s+= ?(.*)$", val)
                if not m:
                    raise SeriesError("%s: Swap: FILE /RE/ = TEXT" % where)
                rx = tokens(m.group(2), where)[0]
                text = m.group(3).replace("\\t", "\t")
                self.pieces.append((key, [m.group(1)], [rx, text], where))
            elif key in ("Lines", "Block", "Func", "Test"):
                toks = tokens(val, where)
                files = [t for t in toks if isinstance(t, str) and
                         t != "EOF"]
                args = [t for t in toks if not isinstance(t, str) or
                        t == "EOF"]
                if key in ("Func", "Test"):
                    files, args = [files[0]], files[1:]
                    while args and "/" in args[0]:
                        files.append(args.pop(0))
                if not files or not args or \
                   (key == "Block" and len(args) % 2):
                    raise SeriesError("%s: %s: files, then what" % (where, key))
                self.pieces.append((key, files, args, where))
            else:
                raise SeriesError("%s: unknown key %s" % (where, key))


# ---- selecting lines ---------------------------------------------------

def sel_lines(lines, regexes, where):
    out = {}
    for r in regexes:
        hits = r.matches(lines)
        if not hits:
            raise SeriesError("%s: /%s/ matches nothing" % (where, r.pattern))
        out.update({i: None for i in hits})
    return out


def sel_block(lines, args, where):
    out = {}
    for a, b in zip(args[::2], args[1::2]):
        starts = a.matches(lines)
        if not starts:
            raise SeriesError("%s: /%s/ matches nothing" % (where, a.pattern))
        for i in starts:
            if b == "EOF":
                # to the end of the file (its last line, not the newline)
                j = len(lines) - (2 if lines[-1] == "" else 1)
            else:
                j = i
                while j < len(lines) and not b.rx.search(lines[j]):
                    j += 1
                if j == len(lines):
                    raise SeriesError("%s: /%s/ has no end /%s/" %
                                      (where, a.pattern, b.pattern))
                j -= b.up
            out.update({k: None for k in range(i, j + 1)})
    return out


def sel_func(lines, names, where, test=False):
    """Function definitions (or with test, kselftest_harness tests) by
    name, with the comment above; and the blank line after, where one
    stays above, so that no two blank lines meet."""
    out = {}
    for name in names:
        if test:
            pat = re.compile(r"^TEST\w*\((\w+, *)?%s[,)]" % re.escape(name))
        else:
            pat = re.compile(r"^[A-Za-z_].*\b%s\(" % re.escape(name))
        starts = []
        for i, l in enumerate(lines):
            if pat.search(l) and not l.rstrip().endswith(";"):
                # a prototype over several lines ends in ';' before a '{'
                j = i
                while j < len(lines) and lines[j] != "{" and \
                        not lines[j].rstrip().endswith(";"):
                    j += 1
                if j < len(lines) and lines[j] == "{":
                    starts.append(i)
        if not starts:
            raise SeriesError("%s: no %s %s" % (where, "test" if test
                                               else "definition of", name))
        for start in starts:
            end = start
            while lines[end] != "}":
                end += 1
            # a line of return type above the name, and the comment above
            while start > 0 and lines[start - 1].strip() and \
                    not lines[start - 1].rstrip().endswith(
                        ("}", ";", "*/", "{")) and \
                    not lines[start - 1].startswith("#"):
                start -= 1
            if start > 0 and lines[start - 1].rstrip().endswith("*/"):
                while not lines[start - 1].lstrip().startswith("/*"):
                    start -= 1
                start -= 1
            if end + 1 < len(lines) and not lines[end + 1] and \
                    (start == 0 or not lines[start - 1]):
                end += 1
            out.update({k: None for k in range(start, end + 1)})
    return out


def opdef_entries(lines):
    """{OPNAME: (first, last)} for the entries of io_op_defs[]."""
    out = {}
    try:
        top = next(i for i, l in enumerate(lines)
                   if l.startswith("const struct io_op_def io_op_defs[]"))
    except StopIteration:
        raise SeriesError("%s: no io_op_defs[]" % OPDEF)
    i = top + 1
    while not lines[i].startswith("};"):
        l = lines[i]
        m = (re.match(r"^\t\[IORING_OP_(\w+)\]", l) or
             re.match(r"^\tIO_OP\w*\((\w+)", l) or
             re.match(r"^\tIO_OP_(\w+),", l))
        if not m:
            i += 1
            continue
        j = i + 1
        while re.match(r"^\t\s", lines[j]):
            j += 1
        out[m.group(1)] = (i, j - 1)
        i = j
    return out


# ---- writing a file at a step ------------------------------------------

def strip_absent(path, lines, present):
    """The automatic rules: what names a file absent at this step."""
    d = os.path.dirname(path)
    out = []
    if path.endswith((".c", ".h")) and path.startswith("io_uring/"):
        for l in lines:
            m = re.match(r'^#include "([^"]+)"', l)
            inc = m and os.path.normpath(os.path.join(d, m.group(1)))
            if inc and inc.startswith("io_uring/") and inc not in present:
                continue
            out.append(l)
        return out
    if os.path.basename(path) == "Makefile":
        return strip_make_words(lines, d, present)
    if path.endswith("index.rst"):
        for l in lines:
            m = re.match(r"^   ([\w-]+)$", l)
            if m and os.path.join(d, m.group(1) + ".rst") not in present:
                continue
            out.append(l)
        return out
    return lines


def strip_make_words(lines, d, present):
    """Drop objects (x.o) and test programs (x_test) whose x.c is absent,
    from every assignment, keeping its continuation lines well formed."""
    def absent(w):
        if w.endswith(".o"):
            src = w[:-2] + ".c"
        elif w.endswith("_test"):
            src = w + ".c"
        else:
            return False
        src = os.path.join(d, src)
        return src in ALL and src not in present

    out, i = [], 0
    while i < len(lines):
        group = [lines[i]]
        while group[-1].endswith("\\") and i + 1 < len(lines):
            i += 1
            group.append(lines[i])
        i += 1
        if not any(absent(w) for l in group for w in l.split()):
            out += group
            continue
        kept = []
        for n, l in enumerate(group):
            body = l[:-1].rstrip() if l.endswith("\\") else l
            m = re.match(r"^([^\t#][^=]*[:+?]?=)?(\s*)(.*)$", body) if n == 0 \
                else re.match(r"^()(\s*)(.*)$", body)
            head, lead = m.group(1) or "", m.group(2)
            words = [w for w in m.group(3).split() if not absent(w)]
            if words:
                kept.append(head + lead + " ".join(words))
            elif n == 0 and head:
                kept.append(head)
        # an assignment left with nothing to assign goes
        if len(kept) == 1 and re.fullmatch(r"[^=]*[:+?]?=", kept[0]):
            continue
        for n, l in enumerate(kept):
            out.append(l + " \\" if n < len(kept) - 1 else l)
    return out


def render(path, final, later, present):
    """PATH's content with the pieces of later steps held back."""
    lines = final.split("\n")
    drop, repl = {}, {}
    for kind, args, where, _step in later.get(path, []):
        if kind == "Lines":
            drop.update(sel_lines(lines, args, where))
        elif kind == "Block":
            drop.update(sel_block(lines, args, where))
        elif kind == "Func":
            drop.update(sel_func(lines, args, where))
        elif kind == "Test":
            drop.update(sel_func(lines, args, where, test=True))
        elif kind == "Swap":
            hits = args[0].matches(lines)
            if not hits:
                raise SeriesError("%s: /%s/ matches nothing" %
                                  (where, args[0].pattern))
            for i in hits:
                # the older state wins: an earlier step's piece
                repl.setdefault(i, args[1])
        elif kind == "Ops":
            ents = opdef_entries(lines)
            for op in args:
                if op not in ents:
                    raise SeriesError("%s: no opdef entry %s" % (where, op))
                a, b = ents[op]
                drop.update({k: None for k in range(a + 1, b + 1)})
                repl.setdefault(a, "\tIO_OP(%s)," % op)
    out = []
    for i, l in enumerate(lines):
        if i in repl and i not in drop:
            out.append(repl[i])
        elif i in drop:
            # where something was taken out: no two blank lines in a
            # row, none after a '{' and none before a '}'
            nxt = i + 1
            if nxt < len(lines) and nxt not in drop and nxt not in repl \
                    and lines[nxt] == "" and out and \
                    (out[-1] == "" or out[-1].endswith("{")):
                drop[nxt] = None
            if nxt < len(lines) and nxt not in drop and \
                    lines[nxt].lstrip().startswith("}") and out and \
                    out[-1] == "" and (i - 1) not in drop:
                out.pop()
        else:
            out.append(l)
    return "\n".join(strip_absent(path, out, present))


def ls_files(root, paths):
    env = {k: v for k, v in os.environ.items()
           if k not in ("GIT_DIR", "GIT_INDEX_FILE")}
    r = subprocess.run(["git", "-C", root, "ls-files", "-co",
                        "--exclude-standard", "-z", "--", *paths],
                       capture_output=True, env=env)
    if r.returncode:
        raise SeriesError("git ls-files: " + r.stderr.decode())
    out = r.stdout
    return sorted(p for p in out.decode().split("\0") if p)


def main():
    root, parent, name, email = sys.argv[1:5]
    steps = [Step(os.path.join(root, "series", f), k) for k, f in
             enumerate(sorted(f for f in os.listdir(os.path.join(root, "series"))
                              if re.match(r"^\d.*\.msg$", f)))]
    managed = set(ls_files(root, MANAGED))
    owner = {}                  # file -> step index that adds it
    for s in steps:
        for key, val in s.actions:
            if key != "Add":
                continue
            for p in ls_files(root, val.split()):
                owner.setdefault(p, s.idx)
            if not ls_files(root, val.split()):
                raise SeriesError("%s: Add: %s: no such file" % (s.name, val))
    ALL.update(owner)
    stray = sorted(managed - set(owner))
    if stray:
        raise SeriesError("in no step of series/: " + " ".join(stray))

    # pieces by file: (kind, args, where, step)
    pieces = {}
    for s in steps:
        for kind, files, args, where in s.pieces:
            for f in files:
                if f not in owner or owner[f] > s.idx:
                    raise SeriesError("%s: %s is not in the tree yet" %
                                      (where, f))
                if owner[f] == s.idx:
                    raise SeriesError("%s: %s comes whole in this step" %
                                      (where, f))
                pieces.setdefault(f, []).append((kind, args, where, s.idx))
        if s.ops:
            pieces.setdefault(OPDEF, []).append(
                ("Ops", s.ops, s.name + ": Ops", s.idx))
    final = {}
    for p in owner:
        with open(os.path.join(root, p), encoding="utf-8",
                  errors="surrogateescape") as f:
            final[p] = f.read()

    env_date = {"GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
                "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
                "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
                "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}
    written = {}                # file -> content in the index
    head = parent
    git("read-tree", parent)
    for s in steps:
        for key, val in s.actions:
            if key == "Remove":
                git("rm", "-r", "-q", "-f", "--cached", "--ignore-unmatch",
                    "--", *val.split())
            elif key == "Patch":
                git("apply", "--cached", os.path.join(root, "series", val))
            elif key == "Maintainers":
                maintainers(os.path.join(root, "series", val))
        present = {p for p, k in owner.items() if k <= s.idx}
        later = {}
        for f, ps in pieces.items():
            later[f] = [p for p in ps if p[3] > s.idx]
        info = []
        for p in sorted(present):
            text = render(p, final[p], later, present)
            if written.get(p) == text:
                continue
            written[p] = text
            blob = git("hash-object", "-w", "--stdin",
                       inp=text.encode("utf-8", "surrogateescape"))
            mode = "100755" if os.access(os.path.join(root, p), os.X_OK) \
                else "100644"
            info.append("%s %s\t%s" % (mode, blob.decode().strip(), p))
        if info:
            git("update-index", "--add", "--index-info",
                inp=("\n".join(info) + "\n").encode())
        tree = git("write-tree").decode().strip()
        if tree == git("rev-parse", head + "^{tree}").decode().strip():
            continue
        msg = s.message.rstrip("\n") + "\n\nSigned-off-by: %s <%s>\n" % \
            (name, email)
        r = subprocess.run(["git", "commit-tree", tree, "-p", head],
                           input=msg.encode(), capture_output=True,
                           env={**os.environ, **env_date})
        if r.returncode:
            raise SeriesError("commit-tree: " + r.stderr.decode())
        head = r.stdout.decode().strip()
    print(head)


def maintainers(entry):
    """Replace the IO_URING section of pristine's MAINTAINERS with ENTRY."""
    old = git("show", "pristine:MAINTAINERS").decode("utf-8", "surrogateescape")
    with open(entry) as f:
        new = f.read()
    out, skip = [], False
    for l in old.split("\n"):
        if l == "IO_URING":
            out.append(new.rstrip("\n"))
            skip = True
            continue
        if skip and l == "":
            skip = False
        if not skip:
            out.append(l)
    blob = git("hash-object", "-w", "--stdin",
               inp="\n".join(out).encode("utf-8", "surrogateescape"))
    git("update-index", "--cacheinfo",
        "100644,%s,MAINTAINERS" % blob.decode().strip())


if __name__ == "__main__":
    try:
        main()
    except SeriesError as e:
        print("series: %s" % e, file=sys.stderr)
        sys.exit(1)
