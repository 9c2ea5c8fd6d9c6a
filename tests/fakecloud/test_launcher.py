"""The `fakecloud` launcher: start as a daemon, idempotent start, env and secret files, stop,
status, and no process left behind.  It runs in its own run directory on a free port, so it never
touches an instance someone else started from tests/fakecloud/run/."""

import json
import os
import shutil
import ssl
import stat
import subprocess
import sys
import tempfile
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from testlib import CA_FILE, HERE, SECRET, TENANT_ID, tenant  # noqa: E402

LAUNCHER = os.path.join(HERE, "fakecloud")


def read_env(path):
    """The exported values, as a POSIX shell sees them."""
    out = subprocess.run(["/bin/sh", "-c", '. "$1" && env', "sh", path], capture_output=True,
                         text=True, check=True).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if line.startswith("CLOUD_"))


def process_gone(pid):
    try:
        with open("/proc/%d/stat" % pid) as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


class Launcher(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="fakecloud-test-")
        self.run_dir = os.path.join(self.dir, "run")
        self.fixture = os.path.join(self.dir, "tenant.json")
        with open(self.fixture, "w") as fh:
            json.dump(tenant(), fh)
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.addCleanup(self.launch, "stop")            # whatever happens, no daemon stays

    def launch(self, *args):
        env = dict(os.environ, FAKECLOUD_RUN_DIR=self.run_dir)
        # capture_output: the call must return although the daemon lives on.
        return subprocess.run([LAUNCHER] + list(args), env=env, capture_output=True, text=True,
                              timeout=60, stdin=subprocess.DEVNULL)

    def get(self, url):
        ctx = ssl.create_default_context(cafile=CA_FILE)
        with urllib.request.urlopen(url, context=ctx, timeout=5) as resp:
            return json.loads(resp.read())

    def test_start_status_stop(self):
        started = self.launch("start", "--tenant", self.fixture, "--port", "0")
        self.assertEqual(started.returncode, 0, started.stderr + started.stdout)
        env = read_env(os.path.join(self.run_dir, "cloud.env"))
        for key in ("CLOUD_URL", "CLOUD_TENANT_ID", "CLOUD_CLIENT_ID", "CLOUD_SECRET_FILE",
                    "CLOUD_CA_FILE", "CLOUD_ADMIN_URL"):
            self.assertTrue(env.get(key), key)
        self.assertEqual(env["CLOUD_TENANT_ID"], TENANT_ID)
        self.assertTrue(env["CLOUD_URL"].startswith("https://127.0.0.1:"))
        self.assertEqual(os.path.realpath(env["CLOUD_CA_FILE"]), os.path.realpath(CA_FILE))
        mode = stat.S_IMODE(os.stat(env["CLOUD_SECRET_FILE"]).st_mode)
        self.assertEqual(mode, 0o600)
        with open(env["CLOUD_SECRET_FILE"]) as fh:
            self.assertEqual(fh.read(), SECRET)
        self.assertTrue(self.get(env["CLOUD_ADMIN_URL"] + "/health")["ok"])
        with open(os.path.join(self.run_dir, "fakecloud.pid")) as fh:
            pid = int(fh.read())

        self.assertEqual(self.launch("status").returncode, 0)

        # start again: same process, the tenant file loaded into it
        doc = tenant()
        doc["users"][0]["displayName"] = "Reloaded"
        with open(self.fixture, "w") as fh:
            json.dump(doc, fh)
        again = self.launch("start", "--tenant", self.fixture)
        self.assertEqual(again.returncode, 0, again.stderr)
        with open(os.path.join(self.run_dir, "fakecloud.pid")) as fh:
            self.assertEqual(int(fh.read()), pid)
        users = self.get(env["CLOUD_ADMIN_URL"] + "/tenant")["users"]
        self.assertEqual(users[0]["displayName"], "Reloaded")

        stopped = self.launch("stop")
        self.assertEqual(stopped.returncode, 0, stopped.stderr)
        self.assertTrue(process_gone(pid))
        self.assertFalse(os.path.exists(os.path.join(self.run_dir, "fakecloud.pid")))
        self.assertEqual(self.launch("status").returncode, 3)
        self.assertEqual(self.launch("stop").returncode, 0)

    def test_bad_tenant_leaves_nothing_running(self):
        with open(self.fixture, "w") as fh:
            fh.write("{not json")
        result = self.launch("start", "--tenant", self.fixture, "--port", "0")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(self.launch("status").returncode, 3)

    def test_invalid_fixture_is_reported(self):
        doc = tenant()
        doc["users"].append(dict(doc["users"][0]))          # a duplicate id
        with open(self.fixture, "w") as fh:
            json.dump(doc, fh)
        result = self.launch("start", "--tenant", self.fixture, "--port", "0")
        self.assertEqual(result.returncode, 2)
        self.assertIn("also used by", result.stderr)
        self.assertEqual(self.launch("status").returncode, 3)

    def test_large_tenant_and_latency_at_start(self):
        """A tenant over the old 16 MiB cap loads at start and into the running server, and
        --latency-ms is the server's setting (kept by a config reset) or, given to a running
        one, set in it."""
        from test_scale import BIG_USERS, big_tenant
        with open(self.fixture, "w") as fh:
            json.dump(big_tenant(), fh)
        self.assertGreater(os.path.getsize(self.fixture), 16 * 1024 * 1024)
        started = self.launch("start", "--tenant", self.fixture, "--port", "0",
                              "--latency-ms", "150")
        self.assertEqual(started.returncode, 0, started.stderr + started.stdout)
        admin_url = read_env(os.path.join(self.run_dir, "cloud.env"))["CLOUD_ADMIN_URL"]
        self.assertEqual(self.get(admin_url + "/config")["latency_ms"], 150)
        ctx = ssl.create_default_context(cafile=CA_FILE)
        req = urllib.request.Request(admin_url + "/config", method="DELETE")
        with urllib.request.urlopen(req, context=ctx, timeout=5) as resp:
            self.assertEqual(json.loads(resp.read())["latency_ms"], 150)
        again = self.launch("start", "--tenant", self.fixture, "--latency-ms", "20")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(self.get(admin_url + "/config")["latency_ms"], 20)
        self.assertEqual(len(self.get(admin_url + "/tenant")["users"]), BIG_USERS)

    def test_bad_latency_is_refused(self):
        result = self.launch("start", "--tenant", self.fixture, "--port", "0",
                             "--latency-ms", "-1")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--latency-ms", result.stderr)
        self.assertEqual(self.launch("status").returncode, 3)


if __name__ == "__main__":
    unittest.main()
