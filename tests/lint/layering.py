#!/usr/bin/python3
"""layering.py -- the include rules of the source tree, checked mechanically.

Usage: tests/lint/layering.py [ROOT]   (default: the current directory)

Reads every #include "..." of the production folders and fails (exit 1,
one line per breach) on
  - an include cycle: file units (x.c with x.h) that reach each other;
  - a layering breach: a folder including one it may not (RULES below);
  - an include that names no file of ours.
The rules are the README's "Layout": mapping/ is the pure core everyone may
use; conf/, ldap/ and cloud/ sit on it and never on each other or on agent/;
agent/store/ keeps rows and knows nothing of the directory or the cloud;
only agent/ (and its commands) sees everything.
"""
import os
import re
import sys

FOLDERS = ["mapping", "conf", "ldap", "cloud", "agent/store", "agent/report",
           "agent/cmd", "agent"]

# folder -> folders its files may include (its own always allowed)
RULES = {
    "mapping": {"mapping"},
    "conf": {"mapping"},
    "ldap": {"mapping"},
    "cloud": {"mapping"},
    "agent/store": {"mapping", "conf"},
    "agent/report": {"mapping", "conf", "agent/store"},
    "agent": {"mapping", "conf", "ldap", "cloud", "agent/store", "agent/report"},
    "agent/cmd": {"mapping", "conf", "ldap", "cloud", "agent/store",
                  "agent/report", "agent"},
}
# The entry point dispatches to the commands.
EXCEPTIONS = {("agent/main.c", "agent/cmd")}
# mapping/ is pure: its code never logs (the interface lives there so that
# every folder may include it without reaching up into agent/).
PURE_BANNED = {"mapping/log.h"}

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def folder_of(path):
    d = os.path.dirname(path)
    return d if d in RULES else None


def sources(root):
    out = []
    for top in ("mapping", "conf", "ldap", "cloud", "agent"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for n in names:
                if n.endswith((".c", ".h")):
                    out.append(os.path.relpath(os.path.join(dirpath, n), root))
    return sorted(out)


def resolve(root, src, inc):
    local = os.path.normpath(os.path.join(os.path.dirname(src), inc))
    if os.path.exists(os.path.join(root, local)):
        return local
    if os.path.exists(os.path.join(root, inc)):
        return os.path.normpath(inc)
    return None


def unit(path):
    return os.path.splitext(path)[0]


def cycles(graph):
    """Tarjan's strongly connected components of size > 1, iteratively."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    bad = []
    graph = {}
    for src in sources(root):
        here = folder_of(src)
        if here is None:
            bad.append(f"{src}: a folder the layout does not name")
            continue
        with open(os.path.join(root, src), encoding="utf-8") as f:
            text = f.read()
        graph.setdefault(unit(src), set())
        for m in INCLUDE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            target = resolve(root, src, m.group(1))
            if target is None:
                bad.append(f"{src}:{line}: #include \"{m.group(1)}\" names no file of ours")
                continue
            there = folder_of(target)
            if (here != there and there not in RULES[here] and
                    (src, there) not in EXCEPTIONS):
                bad.append(f"{src}:{line}: {here}/ may not include {target}")
            if here == "mapping" and target in PURE_BANNED:
                bad.append(f"{src}:{line}: mapping/ is pure and may not include {target}")
            if unit(target) != unit(src):
                graph[unit(src)].add(unit(target))
    for comp in cycles(graph):
        bad.append("include cycle: " + " <-> ".join(comp))
    for b in bad:
        print("layering: " + b)
    if bad:
        return 1
    print(f"layering: {len(graph)} units, no cycle, no breach")
    return 0


if __name__ == "__main__":
    sys.exit(main())
