#!/usr/bin/python3
"""bench.py -- `make bench`: soabridge against a generated tenant and AD of SCALE users, beside
the floor for the same work (what AD and the services cost without soabridge).

    bench.py [--scale N] [--latency MS ...] [--out DIR]      (as root: it drives the lab)

For each latency (the fake cloud's latency_ms, applied to every Graph and Exchange request):
  1. the lab DC loaded with the generated AD (tests/lab/lab load: built offline once per scale,
     then a snapshot), a fresh state_dir, the fake cloud serving the generated tenant;
  2. `soabridge plan` (wall time, peak RSS), `soabridge sync` (the full reconciliation: wall
     time, requests counted by the fake, LDAP operations from its -v log), `plan` again
     (nothing left to do), and the service (`soabridge run`): its first, full cycle, then
     three incremental cycles with nothing to change, each cycle's time from its metrics file;
  3. the floor: the lab loaded again, the sync's plan applied by one `ldapmodify` on one
     connection (tests/bench/plan2ldif.py), plus the minimal cloud requests for the same data
     fetched by curl, four at a time (tests/bench/floor_cloud.py).
Results: OUT/results.json (a list, one object per latency; also kept as results-SCALE.json) and
a table on stdout.  The lab DC and the fake cloud are stopped at the end.
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import floor_cloud  # noqa: E402
import gen  # noqa: E402

SB = os.path.join(TOP, "build", "soabridge")
LAB = os.path.join(TOP, "tests", "lab", "lab")
FAKE = os.path.join(TOP, "tests", "fakecloud", "fakecloud")


def log(msg):
    print("bench: %s" % msg, file=sys.stderr, flush=True)


def env_file(path):
    """KEY=VALUE lines of a shell env file (lab.env, cloud.env)."""
    out = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if "=" in line and not line.startswith("#"):
                k, v = line.split("=", 1)
                out[k.replace("export ", "").strip()] = v.strip().strip("'\"")
    return out


CPU = {}   # CPU seconds (user + system) of the last measured() command, by its first argument


def measured(cmd, stdout=None, stderr=None, env=None):
    """Run cmd; (exit code, wall seconds, peak RSS in MiB) of that one process."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    CPU[cmd[0]] = ru.ru_utime + ru.ru_stime
    return p.returncode, time.monotonic() - t0, ru.ru_maxrss / 1024.0


def must(cmd, **kw):
    r = subprocess.run(cmd, **kw)
    if r.returncode != 0:
        raise SystemExit("bench: %s failed (exit %d)" % (" ".join(cmd), r.returncode))
    return r


def fake_stats(cloud, reset=False):
    cmd = ["curl", "-sS", "--fail-with-body", "--cacert", cloud["CLOUD_CA_FILE"]]
    if reset:
        cmd += ["-X", "DELETE"]
    r = must(cmd + [cloud["CLOUD_ADMIN_URL"] + "/stats"], stdout=subprocess.PIPE)
    counts = {"graph": 0, "exo": 0, "token": 0}
    for key, by_status in json.loads(r.stdout).get("requests", {}).items():
        n = sum(by_status.values())
        if "InvokeCommand" in key:
            counts["exo"] += n
        elif "oauth2" in key:
            counts["token"] += n
        elif " /v1.0/" in key or " /beta/" in key:
            counts["graph"] += n
    return counts


def write_conf(path, meta):
    conf = must([os.path.join(TOP, "tests", "lab", "mkconf"), "max_changes=100000000",
                 "max_deletes=100000000", "ou_extension=" + meta["ou_extension"]],
                stdout=subprocess.PIPE, text=True).stdout
    # The ceiling on requests per second at its highest: the bench measures soabridge, not
    # the pacing an administrator chooses for a real tenant.
    conf = conf.replace("cloud {\n", "cloud {\n  max_requests_per_second = 1000\n", 1)
    with open(path, "w") as f:
        f.write(conf)


def soabridge(conf, args, out, err):
    with open(out, "w") as o, open(err, "w") as e:
        return measured([SB, "-c", conf] + args, stdout=o, stderr=e)


def metrics(path):
    """The samples of a Prometheus text file: {"name{labels}": value}."""
    out = {}
    try:
        with open(path) as f:
            for line in f:
                if line and not line.startswith("#"):
                    k, _, v = line.rpartition(" ")
                    out[k] = float(v)
    except (OSError, ValueError):
        pass
    return out


SERVICE_WAIT_S = 1800   # the first (full) cycle of a 100,000-user tenant at 100 ms is long


def service_cycles(conf, work):
    """`soabridge run` once AD matches the cloud: the full cycle it starts with, then its
    incremental cycles with nothing to change (the delta positions taken by the full one).
    Returns (full seconds, the longest quiet cycle's seconds), from its metrics file."""
    svc_conf = os.path.join(work, "service.conf")
    prom = os.path.join(work, "service.prom")
    shutil.copy(conf, svc_conf)
    with open(svc_conf, "a") as f:
        f.write("daemon {\n  interval = 1\n  full_interval = 2592000\n"
                "  metrics_file = \"%s\"\n}\n" % prom)
    if os.path.exists(prom):
        os.unlink(prom)
    full_key = 'soabridge_cycles_total{kind="full",result="ok"}'
    quiet_key = 'soabridge_cycles_total{kind="incremental",result="ok"}'
    dur_key = "soabridge_last_cycle_duration_seconds"
    full = None
    quiet = []
    with open(os.path.join(work, "service.err"), "w") as e:
        proc = subprocess.Popen([SB, "-v", "-c", svc_conf, "run"], stdout=subprocess.DEVNULL,
                                stderr=e)
        deadline = time.monotonic() + SERVICE_WAIT_S
        seen = 0
        try:
            while len(quiet) < 3 and time.monotonic() < deadline and proc.poll() is None:
                m = metrics(prom)
                done = m.get(full_key, 0) + m.get(quiet_key, 0)
                if done > seen:   # one cycle ended since the last look: its duration
                    seen = done
                    if full is None and m.get(full_key, 0) >= 1:
                        full = m[dur_key]
                    elif m.get(quiet_key, 0) >= 1:
                        quiet.append(m[dur_key])
                time.sleep(0.05)
        finally:
            proc.terminate()
            proc.wait()
    if full is None or len(quiet) < 3:
        raise SystemExit("bench: the service did not run a full and three quiet cycles "
                         "(see %s)" % os.path.join(work, "service.err"))
    return full, max(quiet)


def one_latency(data, work, meta, latency):
    ad_ldif = os.path.join(data, "ad.ldif")
    tenant = os.path.join(data, "tenant.json")
    must([LAB, "load", ad_ldif])
    must([FAKE, "start", "--tenant", tenant, "--latency-ms", str(latency)],
         stdout=subprocess.DEVNULL)
    lab = env_file(os.path.join(TOP, "tests", "lab", "run", "lab.env"))
    cloud = env_file(os.path.join(TOP, "tests", "fakecloud", "run", "cloud.env"))
    conf = os.path.join(work, "soabridge.conf")
    write_conf(conf, meta)
    shutil.rmtree(os.path.join(TOP, "tests", "lab", "run", "state"), ignore_errors=True)
    r = {"scale_users": meta["scale_users"], "groups": meta["groups"],
         "member_links": meta["member_links"], "largest_group": meta["largest_group"],
         "latency_ms": latency}

    p = lambda name: os.path.join(work, name)  # noqa: E731
    log("latency %d ms: plan" % latency)
    rc, r["plan_seconds"], r["plan_peak_rss_mib"] = soabridge(
        conf, ["plan", "--format", "json"], p("plan.json"), p("plan.err"))
    if rc != 0:
        raise SystemExit("bench: plan exited %d (see %s)" % (rc, p("plan.err")))
    # soabridge's own work; the rest of the wall time is waiting on the DC and the services.
    r["plan_cpu_seconds"] = round(CPU[SB], 3)
    with open(p("plan.json")) as f:
        summary = json.load(f).get("summary", {})
    r["planned_changes"] = summary.get("changes", summary)

    log("latency %d ms: sync" % latency)
    fake_stats(cloud, reset=True)
    rc, r["full_seconds"], r["sync_peak_rss_mib"] = soabridge(
        conf, ["-v", "sync", "--format", "json"], p("sync.json"), p("sync.err"))
    if rc != 0:
        raise SystemExit("bench: sync exited %d (see %s)" % (rc, p("sync.err")))
    r["sync_cpu_seconds"] = round(CPU[SB], 3)
    counts = fake_stats(cloud)
    r["graph_requests"], r["exo_requests"] = counts["graph"], counts["exo"]
    with open(p("sync.err")) as f:
        r["ldap_operations"] = sum(1 for line in f if " ad.op " in line)

    log("latency %d ms: plan with nothing to change" % latency)
    rc, r["noop_plan_seconds"], _ = soabridge(conf, ["plan", "--format", "json"],
                                              p("noop.json"), p("noop.err"))
    with open(p("noop.json")) as f:
        r["noop_plan_changes"] = len(json.load(f)["changes"])

    log("latency %d ms: the service: a full cycle, then quiet ones" % latency)
    r["service_full_cycle_seconds"], r["service_quiet_cycle_seconds"] = service_cycles(conf, work)
    r["service_quiet_pct_of_full"] = round(
        100.0 * r["service_quiet_cycle_seconds"] / r["full_seconds"], 2)

    log("latency %d ms: the floor (ldapmodify, then curl)" % latency)
    with open(p("floor.ldif"), "w") as f:
        must([sys.executable, os.path.join(HERE, "plan2ldif.py"), p("plan.json")], stdout=f)
    must([LAB, "load", ad_ldif])
    env = dict(os.environ, LDAPTLS_CACERT=lab["LAB_CA_FILE"], LDAPTLS_REQCERT="demand")
    with open(p("floor-ldap.out"), "w") as o:
        rc, r["floor_ldap_seconds"], _ = measured(
            ["ldapmodify", "-x", "-H", lab["LAB_LDAP_URI"], "-D", lab["LAB_BIND_DN"], "-y",
             lab["LAB_BIND_PW_FILE"], "-f", p("floor.ldif")], stdout=o, stderr=o, env=env)
    if rc != 0:
        raise SystemExit("bench: ldapmodify of the floor failed (see %s)" % p("floor-ldap.out"))
    os.environ.update({k: cloud[k] for k in ("CLOUD_URL", "CLOUD_TENANT_ID", "CLOUD_CLIENT_ID",
                                             "CLOUD_SECRET_FILE", "CLOUD_CA_FILE")})
    fc_work = p("floor-cloud")
    shutil.rmtree(fc_work, ignore_errors=True)
    os.makedirs(fc_work)
    fc = floor_cloud.run(tenant, os.path.join(TOP, "tests", "fakecloud", "run", "fakecloud.log"),
                         fc_work)
    r["floor_cloud_seconds"] = fc["seconds"]
    r["minimal_graph_requests"] = fc["graph_requests"]
    r["minimal_exo_requests"] = fc["exo_requests"]
    r["floor_seconds"] = round(r["floor_ldap_seconds"] + r["floor_cloud_seconds"], 3)
    r["ratio"] = round(r["full_seconds"] / r["floor_seconds"], 2)
    r["graph_request_excess_pct"] = round(
        100.0 * (r["graph_requests"] - fc["graph_requests"]) / max(fc["graph_requests"], 1), 1)
    for k in ("plan_seconds", "full_seconds", "noop_plan_seconds", "floor_ldap_seconds",
              "plan_peak_rss_mib", "sync_peak_rss_mib"):
        r[k] = round(r[k], 3 if "seconds" in k else 1)
    return r


TABLE = [("users", "scale_users", "%d"), ("links", "member_links", "%d"),
         ("lat ms", "latency_ms", "%d"), ("plan s", "plan_seconds", "%.1f"),
         ("plan cpu s", "plan_cpu_seconds", "%.1f"), ("plan MiB", "plan_peak_rss_mib", "%.0f"), ("sync s", "full_seconds", "%.1f"),
         ("floor s", "floor_seconds", "%.1f"), ("ratio", "ratio", "%.2f"),
         ("graph req", "graph_requests", "%d"), ("minimal", "minimal_graph_requests", "%d"),
         ("exo req", "exo_requests", "%d"), ("ldap ops", "ldap_operations", "%d"),
         ("no-op plan s", "noop_plan_seconds", "%.1f"),
         ("quiet cycle s", "service_quiet_cycle_seconds", "%.2f")]


def table(results):
    rows = [[h for h, _, _ in TABLE]] + [[f % r[k] for _, k, f in TABLE] for r in results]
    width = [max(len(row[i]) for row in rows) for i in range(len(TABLE))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(row, width)) for row in rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=int, default=10000)
    ap.add_argument("--latency", type=int, nargs="+", default=[0, 100])
    ap.add_argument("--out", default=os.path.join(TOP, "build", "bench"))
    a = ap.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("bench: the lab runs samba as root: run as root")
    if not os.access(SB, os.X_OK):
        raise SystemExit("bench: %s is not built (make)" % SB)
    data = os.path.join(a.out, "data-%d" % a.scale)
    meta_path = os.path.join(data, "meta.json")
    if not os.path.exists(meta_path) or os.path.getmtime(meta_path) < os.path.getmtime(gen.__file__):
        log("generating SCALE=%d into %s" % (a.scale, data))
        if gen.main(["gen.py", str(a.scale), data]) != 0:
            raise SystemExit(2)
    with open(meta_path) as f:
        meta = json.load(f)
    results = []
    try:
        for latency in a.latency:
            work = os.path.join(a.out, "work-%d-%d" % (a.scale, latency))
            os.makedirs(work, exist_ok=True)
            results.append(one_latency(data, work, meta, latency))
    finally:
        # As the integration tests leave them: stopped (the next `lab start` resumes the
        # bench's domain; `lab reset` brings the clean one back).
        subprocess.run([FAKE, "stop"], stdout=subprocess.DEVNULL)
        subprocess.run([LAB, "stop"], stderr=subprocess.DEVNULL)
    for name in ("results.json", "results-%d.json" % a.scale):
        with open(os.path.join(a.out, name), "w") as f:
            json.dump(results, f, indent=1)
    print(table(results))
    return 0


if __name__ == "__main__":
    # One user of the lab at a time, as tests/integration/run and tests/demo take it.
    lock = os.path.join(TOP, "tests", "lab", "run", ".integ.lock")
    os.makedirs(os.path.dirname(lock), exist_ok=True)
    fd = os.open(lock, os.O_WRONLY | os.O_CREAT, 0o644)
    import fcntl
    fcntl.flock(fd, fcntl.LOCK_EX)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
