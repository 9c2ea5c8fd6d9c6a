#!/usr/bin/python3
"""floor_cloud.py -- the cloud half of the bench's floor: the minimal set of requests that reads
what a full soabridge cycle needs from the tenant, fetched by curl, four at a time.

    floor_cloud.py TENANT.json FAKECLOUD_LOG WORKDIR

Reads tests/fakecloud/run/cloud.env (through the environment: CLOUD_URL, CLOUD_TENANT_ID,
CLOUD_CLIENT_ID, CLOUD_SECRET_FILE, CLOUD_CA_FILE).  The listing URLs (their $select) are those
soabridge sent, taken from the fake's access log, so both read the same properties; what needs
reading per object comes from the tenant file itself (a floor knows the answer: the candidates
for the SOA read are the objects with on-premises anchors that are not syncing, the managers are
those of isCloudManaged users, the members those of isCloudManaged groups).

  listings   users and groups at $top=999, Get-Mailbox pages of 1000: one chain each (a page's
             next link comes with it), the three chains side by side;
  $batch     SOA reads, managers and members, 20 per request (Graph's limit), by one
             `curl --parallel --parallel-max 4`;
  pages      groups whose members run past a page, their next links, four chains at a time.

Prints one JSON object: seconds, graph_requests, exo_requests, token_requests.
"""
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse

PARALLEL = 4
BATCH = 20   # Graph's $batch limit (graph-exo-protocol.md)
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
EXO_SCOPE = "https://outlook.office365.com/.default"
EXO_BODY = {"CmdletInput": {"CmdletName": "Get-Mailbox", "Parameters": {
    "ResultSize": "Unlimited",
    "RecipientTypeDetails": ["UserMailbox", "SharedMailbox", "RoomMailbox", "EquipmentMailbox"]}}}


class Floor:
    def __init__(self, work):
        self.url = os.environ["CLOUD_URL"]
        self.tenant = os.environ["CLOUD_TENANT_ID"]
        self.ca = os.environ["CLOUD_CA_FILE"]
        self.work = work
        self.lock = threading.Lock()
        self.counts = {"graph": 0, "exo": 0, "token": 0}

    def count(self, what, n=1):
        with self.lock:
            self.counts[what] += n

    def curl(self, args, what):
        self.count(what)
        out = subprocess.run(["curl", "-sS", "--fail-with-body", "--cacert", self.ca] + args,
                             stdout=subprocess.PIPE, check=True).stdout
        return json.loads(out)

    def token(self, scope):
        with open(os.environ["CLOUD_SECRET_FILE"]) as f:
            secret = f.read().strip()
        form = urllib.parse.urlencode({"client_id": os.environ["CLOUD_CLIENT_ID"],
                                       "client_secret": secret, "scope": scope,
                                       "grant_type": "client_credentials"})
        path = os.path.join(self.work, "token-form-%d" % threading.get_ident())
        with open(path, "w") as f:   # not on the command line, where ps shows it
            os.fchmod(f.fileno(), 0o600)
            f.write(form)
        r = self.curl(["-X", "POST", "--data-binary", "@" + path,
                       "%s/%s/oauth2/v2.0/token" % (self.url, self.tenant)], "token")
        os.unlink(path)
        return r["access_token"]

    def auth(self, token):
        path = os.path.join(self.work, "auth-%d" % threading.get_ident())
        with open(path, "w") as f:
            os.fchmod(f.fileno(), 0o600)
            f.write("Authorization: Bearer %s\n" % token)
        return ["-H", "@" + path]

    def chain(self, first, what, token, extra=()):
        """Follow @odata.nextLink from first; the number of objects read."""
        url, n, auth = first, 0, self.auth(token)
        while url:
            page = self.curl(auth + list(extra) + [url], what)
            n += len(page.get("value", []))
            url = page.get("@odata.nextLink")
        return n

    def batches(self, token, requests):
        """POST requests (Graph $batch items) 20 at a time, PARALLEL in flight; the replies."""
        # `next` starts a new set of options: each request carries its own.
        each = ['cacert = "%s"' % self.ca, 'header = "%s"' % self.auth(token)[1],
                'header = "Content-Type: application/json"', "fail-with-body"]
        lines, outs = [], []
        for k in range(0, len(requests), BATCH):
            body = {"requests": [dict(r, id=str(i)) for i, r in
                                 enumerate(requests[k:k + BATCH])]}
            bpath = os.path.join(self.work, "batch-%06d.json" % k)
            opath = bpath + ".out"
            with open(bpath, "w") as f:
                json.dump(body, f)
            lines += each + ['url = "%s/v1.0/$batch"' % self.url, 'request = "POST"',
                      'data-binary = "@%s"' % bpath, 'output = "%s"' % opath, "next"]
            outs.append(opath)
        if not outs:
            return []
        cpath = os.path.join(self.work, "batches.curl")
        with open(cpath, "w") as f:
            f.write("\n".join(lines[:-1]) + "\n")
        self.count("graph", len(outs))
        subprocess.run(["curl", "-sS", "--no-progress-meter", "--parallel",
                        "--parallel-max", str(PARALLEL), "--config", cpath], check=True)
        replies = []
        for o in outs:
            with open(o) as f:
                replies += json.load(f)["responses"]
        return replies


def listing_urls(log):
    """The first page of each listing soabridge asked for, from the fake's access log."""
    found = {}
    with open(log) as f:
        for line in f:
            parts = line.split()
            path = parts[2] if len(parts) > 2 else ""
            if "skiptoken" in path:
                continue
            if path.startswith("/v1.0/users?"):
                found["users"] = path
            elif path.startswith("/v1.0/groups?"):
                found["groups"] = path
            elif path.startswith("/adminapi/") and "/InvokeCommand" in path:
                found["exo"] = path
    missing = [k for k in ("users", "groups", "exo") if k not in found]
    if missing:
        raise SystemExit("floor_cloud: %s names no %s listing of soabridge's" %
                         (log, ", ".join(missing)))
    return found


def needed(tenant):
    """SOA candidates, managers to read and groups whose members to read, by the tenant."""
    soa, managers, members = [], [], []
    for kind in ("users", "groups"):
        for o in tenant.get(kind, []):
            anchored = o.get("onPremisesImmutableId") or o.get("onPremisesSecurityIdentifier")
            if anchored and o.get("onPremisesSyncEnabled") is not True:
                soa.append((kind, o["id"]))
            cloud = (o.get("onPremisesSyncBehavior") or {}).get("isCloudManaged") is True
            if cloud and kind == "users":
                managers.append(o["id"])
            if cloud and kind == "groups":
                members.append(o["id"])
    return soa, managers, members


def run(tenant_file, log, work):
    with open(tenant_file) as f:
        tenant = json.load(f)
    urls = listing_urls(log)
    soa, managers, members = needed(tenant)
    fl = Floor(work)
    t0 = time.monotonic()
    tokens = {}
    threads = [threading.Thread(target=lambda k, s: tokens.__setitem__(k, fl.token(s)), args=a)
               for a in (("graph", GRAPH_SCOPE), ("exo", EXO_SCOPE))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    exo_args = ["-X", "POST", "-H", "Content-Type: application/json",
                "--data-binary", json.dumps(EXO_BODY)]
    chains = [threading.Thread(target=fl.chain, args=(fl.url + urls["users"], "graph",
                                                      tokens["graph"])),
              threading.Thread(target=fl.chain, args=(fl.url + urls["groups"], "graph",
                                                      tokens["graph"])),
              threading.Thread(target=fl.chain, args=(fl.url + urls["exo"], "exo",
                                                      tokens["exo"], exo_args))]
    for t in chains:
        t.start()
    for t in chains:
        t.join()
    reqs = [{"method": "GET", "url": "/%s/%s/onPremisesSyncBehavior?$select=isCloudManaged" % k}
            for k in soa]
    reqs += [{"method": "GET", "url": "/users/%s/manager?$select=id" % i} for i in managers]
    reqs += [{"method": "GET", "url": "/groups/%s/members?$select=id,displayName&$top=999" % i}
             for i in members]
    nexts = [r["body"]["@odata.nextLink"] for r in fl.batches(tokens["graph"], reqs)
             if isinstance(r.get("body"), dict) and r["body"].get("@odata.nextLink")]
    lock = threading.Lock()

    def pages():
        while True:
            with lock:
                if not nexts:
                    return
                url = nexts.pop()
            fl.chain(url, "graph", tokens["graph"])
    workers = [threading.Thread(target=pages) for _ in range(PARALLEL)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return {"seconds": round(time.monotonic() - t0, 3), "graph_requests": fl.counts["graph"],
            "exo_requests": fl.counts["exo"], "token_requests": fl.counts["token"]}


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print("usage: floor_cloud.py TENANT.json FAKECLOUD_LOG WORKDIR", file=sys.stderr)
        sys.exit(2)
    print(json.dumps(run(*sys.argv[1:])))
