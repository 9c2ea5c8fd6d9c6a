#!/usr/bin/python3
"""sizes.py -- files over MAX_FILE lines and functions over MAX_FUNC lines.

Usage: tests/lint/sizes.py [ROOT]   exit 1 listing each breach.
A function is KNF-shaped: its name at column 0 followed by '(', its body
from the next line that is '{' to the next line that is '}'.
"""
import os
import re
import sys

MAX_FILE = 600
MAX_FUNC = 80
NAME = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*)\(')


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    bad = []
    for top in ("mapping", "conf", "ldap", "cloud", "agent"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for n in sorted(names):
                if not n.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, n)
                rel = os.path.relpath(path, root)
                with open(path, encoding="utf-8") as f:
                    lines = f.read().split("\n")
                if len(lines) - 1 > MAX_FILE:
                    bad.append(f"{rel}: {len(lines) - 1} lines (over {MAX_FILE})")
                name = start = None
                for i, line in enumerate(lines):
                    m = NAME.match(line)
                    if m and start is None:
                        name = m.group(1)
                    elif line == "{" and name is not None:
                        start = i
                    elif line == "}" and start is not None:
                        body = i - start - 1
                        if body > MAX_FUNC:
                            bad.append(f"{rel}:{start}: {name}() is {body} lines (over {MAX_FUNC})")
                        name = start = None
    for b in bad:
        print("sizes: " + b)
    if bad:
        return 1
    print(f"sizes: no file over {MAX_FILE} lines, no function over {MAX_FUNC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
