#!/bin/bash
# 005: the ldap/ layer against the lab DC, below the agent: TLS and binds,
# paging, ranged reads, binary and escaped values, writes, errors, dry run
# (tests/ldap-probe/, built with ASan and UBSan).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
exec "$TOP/tests/ldap-probe/run.sh"
