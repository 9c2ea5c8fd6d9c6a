#!/usr/bin/python3
"""Open a soabridge HTML report in headless Chromium (Debian's chromium package).

  browser.py selftest REPORT.html SPEC
      Opens file://REPORT.html#selftest=SPEC (SPEC: "state:cloud-drift",
      "owner:AD,text:alice", "sort:2", ...): the page applies the filter and
      writes what it sees into <p id="selftest">.  Prints that line
      ("selftest rows=N total=M entries=E scripts=S injected=I literal=L
      errors=X") and "console=K" (messages the page logged: CSP violations,
      uncaught exceptions, console calls; a clean report logs none).  Exit 0
      when the self-test ran, 1 when it did not, 77 when there is no
      Chromium.
  browser.py screenshot REPORT.html OUT.png [WIDTH,HEIGHT]
      A PNG of the page (default 1400,900).

Chromium runs as root here, so it needs --no-sandbox; each run gets a fresh
profile directory and no network access is wanted (the report is
self-contained; its Content Security Policy would block any anyway).
Python standard library only.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
    "--enable-logging=stderr", "--v=0",
]


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run(args, timeout=90):
    with tempfile.TemporaryDirectory(prefix="sbchrome.") as profile:
        cmd = [chromium()] + FLAGS + ["--user-data-dir=" + profile] + args
        return subprocess.run(cmd, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)


def url_of(path, fragment=""):
    url = "file://" + urllib.parse.quote(os.path.abspath(path))
    return url + ("#" + fragment if fragment else "")


def console_lines(stderr):
    return [l for l in stderr.splitlines() if ":CONSOLE" in l]


def selftest(path, spec):
    p = run(["--dump-dom", url_of(path, "selftest=" + urllib.parse.quote(spec, safe=":,"))])
    m = re.search(r'<p id="selftest">(selftest [^<]*)</p>', p.stdout)
    con = console_lines(p.stderr)
    for line in con:
        print("# console: " + line[:300])
    if not m:
        print("# no self-test output (chromium exit %d)" % p.returncode)
        for line in p.stderr.splitlines()[-5:]:
            print("# " + line[:300])
        return 1
    print(m.group(1))
    print("console=%d" % len(con))
    return 0


def screenshot(path, out, size="1400,900"):
    p = run(["--screenshot=" + os.path.abspath(out), "--window-size=" + size,
             url_of(path)])
    if not os.path.exists(out):
        print("# no screenshot (chromium exit %d)" % p.returncode)
        return 1
    return 0


def main(argv):
    if chromium() is None:
        print("# chromium is not installed (make deps installs it)")
        return 77
    if len(argv) == 4 and argv[1] == "selftest":
        return selftest(argv[2], argv[3])
    if len(argv) in (4, 5) and argv[1] == "screenshot":
        return screenshot(argv[2], argv[3], *argv[4:])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
