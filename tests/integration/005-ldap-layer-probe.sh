#!/bin/bash
# 005: the ldap/ layer against the lab DC, below the agent: TLS and binds,
# paging, ranged reads, binary and escaped values, writes, errors, dry run
# (tests/ldap-probe/, built with ASan and UBSan).  Its bulk fixtures (4,200
# entries, a 3,000-member group) go in offline: a snapshot, built once.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PROBE_LOAD_BULK=1 exec "$TOP/tests/ldap-probe/run.sh"
