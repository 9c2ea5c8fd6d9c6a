#!/usr/bin/python3
"""Every retry against what it was told, from the fake cloud's request log
(GET /_fake/requests): a request's retries carry its client-request-id; a
$batch item is sent again in a later $batch.  Prints one line of counts
(cloud=, throttled=, items_throttled=, share=, checked=, early=, unresent=,
min_margin=, requests=) and one "early:" line per retry sent sooner than its
Retry-After.  Used by 081 and 084."""
import json, sys
reqs = json.load(open(sys.argv[1]))["requests"]
cloud = [e for e in reqs if e["path"].startswith(("/v1.0/", "/adminapi/"))]
throttled = [e for e in cloud if e["status"] in (429, 503)]
last, checked, early, resent, margin = {}, 0, [], set(), None
for e in reqs:
    key = ("item", e["path"]) if e["batch"] is not None else ("request", e["client_request_id"])
    prev = last.get(key)
    if prev is not None and prev["status"] in (429, 503):
        resent.add(prev["seq"])
        told = float(prev["retry_after"])
        gap = e["arrived"] - prev["answered"]
        checked += 1
        margin = gap - told if margin is None else min(margin, gap - told)
        if gap < told:
            early.append("%s %s: %.3f s after a Retry-After of %s" % (e["method"], e["path"], gap,
                                                                     prev["retry_after"]))
    last[key] = e
print("cloud=%d throttled=%d items_throttled=%d share=%.2f checked=%d early=%d unresent=%d "
      "min_margin=%.3f requests=%d" % (
          len(cloud), len(throttled), sum(1 for e in throttled if e["batch"] is not None),
          len(throttled) / max(1, len(cloud)), checked, len(early),
          sum(1 for e in throttled if e["seq"] not in resent), margin or 0.0,
          sum(1 for e in reqs if e["batch"] is None)))
for line in early:
    print("early: " + line)
