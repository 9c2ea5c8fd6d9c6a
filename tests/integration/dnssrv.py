#!/usr/bin/python3
"""dnssrv.py -- a tiny DNS responder (UDP, stdlib only) for SRV records.

Usage: dnssrv.py PORTFILE DOMAIN PRIO:WEIGHT:PORT:TARGET...

Listens on 127.0.0.1 (an ephemeral port, written to PORTFILE) and answers
the SRV query of _ldap._tcp.dc._msdcs.DOMAIN with the records given; any
other name gets NXDOMAIN.  For tests/integration/097: the lab DC runs no DNS
and the machine's resolv.conf is not ours to change.
"""
import socket
import struct
import sys


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\0"


def read_question(msg):
    """(qname, qtype, end offset) of the first question."""
    i, labels = 12, []
    while msg[i] != 0:
        n = msg[i]
        labels.append(msg[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    qtype, _ = struct.unpack("!HH", msg[i + 1:i + 5])
    return ".".join(labels), qtype, i + 5


def answer(msg, want, records):
    qid = msg[:2]
    qname, qtype, end = read_question(msg)
    question = msg[12:end]
    found = qname.lower() == want.lower()
    rr = b""
    count = 0
    if found and qtype == 33:
        for prio, weight, port, target in records:
            rdata = struct.pack("!HHH", prio, weight, port) + encode_name(target)
            rr += b"\xc0\x0c" + struct.pack("!HHIH", 33, 1, 60, len(rdata)) + rdata
            count += 1
    rcode = 0 if found else 3           # NXDOMAIN for any other name
    flags = 0x8180 | rcode              # a response, recursion available
    return qid + struct.pack("!HHHHH", flags, 1, count, 0, 0) + question + rr


def main():
    portfile, domain = sys.argv[1], sys.argv[2]
    records = []
    for spec in sys.argv[3:]:
        prio, weight, port, target = spec.split(":", 3)
        records.append((int(prio), int(weight), int(port), target))
    want = "_ldap._tcp.dc._msdcs." + domain
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    with open(portfile + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    import os
    os.rename(portfile + ".tmp", portfile)
    while True:
        msg, peer = s.recvfrom(4096)
        try:
            s.sendto(answer(msg, want, records), peer)
        except (IndexError, struct.error):
            continue                    # not a query we understand


if __name__ == "__main__":
    main()
