#!/bin/bash
# 006: the cloud/ layer against a private fake cloud, below the agent: paging,
# $batch, throttling, token refresh and errors, no secret or token logged
# (tests/cloud-probe/, built with ASan and UBSan).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
exec "$TOP/tests/cloud-probe/run.sh"
