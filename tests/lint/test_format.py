#!/usr/bin/python3
"""test_format.py -- `make format-check` fails on a line changed since
tests/lint/format-base that .clang-format would lay out otherwise, and passes
on lines laid out as it says and on code older than the base.

Each case builds a scratch git repository with the Makefile, .clang-format
and one source file, commits it as the base, changes the file and runs
`make format-check` there.
"""
import os
import shutil
import subprocess
import tempfile
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# House style by hand, older than the base: never checked.
OLD = """/* old code */
enum x {
\tX_A = 0,\t/* a tab before the comment */
};

static int
old_one(int a)
{
\treturn a;
}
"""

GOOD = """
static int
twice(int x, const char *name, struct sb_error *err, long long run, int more)
{
\tif (x > 0 && name != NULL && err != NULL && run > 0 && more > 1 &&
\t    x < 7)
\t\treturn x * 2;
\treturn 0;
}
"""

BAD = """
static int twice(int x) {
  return x * 2;
}
"""


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t",
                    *args], cwd=cwd, check=True, capture_output=True)


class Format(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sb-format-")
        for rel in ("Makefile", ".clang-format", "tests/fuzz/fuzz.mk"):
            os.makedirs(os.path.join(self.tmp, os.path.dirname(rel)) or
                        self.tmp, exist_ok=True)
            shutil.copy(os.path.join(TOP, rel), os.path.join(self.tmp, rel))
        os.makedirs(os.path.join(self.tmp, "mapping"))
        os.makedirs(os.path.join(self.tmp, "tests/lint"))
        self.src = os.path.join(self.tmp, "mapping", "x.c")
        with open(self.src, "w") as f:
            f.write(OLD)
        git(self.tmp, "init", "-q")
        git(self.tmp, "add", "-A")
        git(self.tmp, "commit", "-q", "-m", "base")
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=self.tmp,
                              check=True, capture_output=True, text=True)
        with open(os.path.join(self.tmp, "tests/lint/format-base"), "w") as f:
            f.write(head.stdout)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def check(self):
        p = subprocess.run(["make", "-s", "format-check"], cwd=self.tmp,
                           capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr

    def add(self, text):
        with open(self.src, "a") as f:
            f.write(text)

    def test_older_code_in_its_hand_layout_passes(self):
        rc, out = self.check()
        self.assertEqual(rc, 0, out)

    def test_a_new_function_in_the_house_style_passes(self):
        self.add(GOOD)
        rc, out = self.check()
        self.assertEqual(rc, 0, out)

    def test_a_new_function_laid_out_otherwise_fails(self):
        self.add(BAD)
        rc, out = self.check()
        self.assertNotEqual(rc, 0, out)
        self.assertIn("twice", out)
        self.assertIn("are not laid out as .clang-format says", out)

    def test_a_header_keeps_its_aligned_declarations(self):
        with open(os.path.join(self.tmp, "mapping", "x.h"), "w") as f:
            f.write("struct s {\n\tchar\t\ttext[512];\t/* why */\n};\n")
        git(self.tmp, "add", "mapping/x.h")    # tracked: git diff sees it
        rc, out = self.check()
        self.assertEqual(rc, 0, out)

    def test_a_base_missing_from_the_clone_fails_clearly(self):
        with open(os.path.join(self.tmp, "tests/lint/format-base"), "w") as f:
            f.write("0" * 40 + "\n")
        rc, out = self.check()
        self.assertNotEqual(rc, 0, out)
        self.assertIn("is not in this clone", out)


if __name__ == "__main__":
    unittest.main()
