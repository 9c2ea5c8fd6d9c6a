#!/usr/bin/python3
"""test_layout.py -- `make lint-layout` fails on an include cycle, a layering
breach or an oversized file or function, and passes on the tree as it is.

Each case copies the production folders, the Makefile and tests/lint/ to a
scratch directory, breaks one rule there and runs `make lint-layout` in it.
"""
import os
import shutil
import subprocess
import tempfile
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COPY = ["mapping", "conf", "ldap", "cloud", "agent", "tests/lint", "tests/fuzz"]


class Layout(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sb-layout-")
        for d in COPY:
            shutil.copytree(os.path.join(TOP, d), os.path.join(self.tmp, d),
                            ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(os.path.join(TOP, "Makefile"), self.tmp)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def lint(self):
        p = subprocess.run(["make", "-s", "lint-layout"], cwd=self.tmp,
                           capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr

    def write(self, rel, text):
        with open(os.path.join(self.tmp, rel), "w") as f:
            f.write(text)

    def append(self, rel, text):
        with open(os.path.join(self.tmp, rel), "a") as f:
            f.write(text)

    def test_the_tree_passes(self):
        rc, out = self.lint()
        self.assertEqual(rc, 0, out)
        self.assertIn("no cycle, no breach", out)

    def test_an_include_cycle_fails(self):
        # mapping/core.h is included by mapping/dirobj.h: close the loop.
        self.append("mapping/core.h", '#include "mapping/dirobj.h"\n')
        rc, out = self.lint()
        self.assertNotEqual(rc, 0, out)
        self.assertIn("include cycle:", out)
        self.assertIn("mapping/core", out)
        self.assertIn("mapping/dirobj", out)

    def test_ldap_including_agent_fails(self):
        self.append("ldap/conn.c", '#include "agent/cycle.h"\n')
        rc, out = self.lint()
        self.assertNotEqual(rc, 0, out)
        self.assertIn("ldap/conn.c:", out)
        self.assertIn("ldap/ may not include agent/cycle.h", out)

    def test_store_including_ldap_fails(self):
        self.append("agent/store/lock.c", '#include "ldap/conn.h"\n')
        rc, out = self.lint()
        self.assertNotEqual(rc, 0, out)
        self.assertIn("agent/store/ may not include ldap/conn.h", out)

    def test_mapping_code_that_logs_fails(self):
        self.append("mapping/diff.c", '#include "log.h"\n')
        rc, out = self.lint()
        self.assertNotEqual(rc, 0, out)
        self.assertIn("mapping/ is pure and may not include mapping/log.h", out)

    def test_an_oversized_file_fails(self):
        self.append("mapping/attrmap.c", "\n" * 700)
        rc, out = self.lint()
        self.assertNotEqual(rc, 0, out)
        self.assertIn("mapping/attrmap.c:", out)
        self.assertIn("over 600", out)

    def test_an_oversized_function_fails(self):
        body = "".join("\tx += %d;\n" % i for i in range(90))
        self.append("mapping/attrmap.c",
                    "\nint map_long_one(int);\nint\nmap_long_one(int x)\n{\n"
                    + body + "\treturn x;\n}\n")
        rc, out = self.lint()
        self.assertNotEqual(rc, 0, out)
        self.assertIn("map_long_one() is 91 lines (over 80)", out)


if __name__ == "__main__":
    unittest.main()
