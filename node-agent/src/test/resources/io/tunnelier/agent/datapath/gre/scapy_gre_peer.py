"""A GRE peer nobody here wrote: scapy crafts GRE (or GRE-in-UDP) packets to the datapath under
test, good and malformed ones, and checks the datapath's answer to an echo request.

usage: scapy_gre_peer.py raw|udp KEY   (run inside the peer's namespace, as root)
prints one JSON object.
"""
import json
import sys
import time

from scapy.all import ICMP, IP, UDP, AsyncSniffer, Raw, bind_layers, conf, send
from scapy.layers.l2 import GRE

mode, key = sys.argv[1], int(sys.argv[2])
conf.verb = 0
bind_layers(UDP, GRE, dport=4754)
bind_layers(UDP, GRE, sport=4754)


def outer(payload, src="192.0.2.2"):
    ip = IP(src=src, dst="192.0.2.1", proto=47 if mode == "raw" else 17)
    if mode == "udp":
        return ip / UDP(sport=4754, dport=4754) / payload
    return ip / payload


inner = IP(src="100.64.0.2", dst="100.64.0.1") / UDP(sport=5555, dport=9999) / Raw(b"hello-from-scapy")
good = [
    outer(GRE(key_present=1, key=key) / inner),
    outer(GRE(key_present=1, key=key, chksum_present=1, seqnum_present=1, sequence_number=7) / inner),
]
bad = {
    "gre-bad-checksum": outer(GRE(key_present=1, key=key, chksum_present=1, chksum=0x1234) / inner),
    "gre-unknown-key": outer(GRE(key_present=1, key=key + 1) / inner),
    "gre-bad-version": outer(GRE(key_present=1, key=key, version=1) / inner),
    "gre-unknown-flags": outer(GRE(key_present=1, key=key, routing_present=1) / inner),
    "gre-truncated": outer(Raw(b"\x20\x00\x08\x00\x00")),
    "gre-out-of-order": outer(GRE(key_present=1, key=key, seqnum_present=1, sequence_number=3) / inner),
    "gre-wrong-source": outer(GRE(key_present=1, key=key) / inner, src="192.0.2.3"),
}

for p in good:
    send(p)
for p in bad.values():
    send(p)

sniffer = AsyncSniffer(
    iface="eth0",
    filter="udp port 4754" if mode == "udp" else "ip proto 47",
    # The echo reply only: the TUN device also sends IPv6 router solicitations into the tunnel.
    lfilter=lambda p: IP in p and p[IP].src == "192.0.2.1" and GRE in p and p[GRE].proto == 0x0800,
    count=1,
    timeout=15,
)
sniffer.start()
time.sleep(1)
send(outer(GRE(key_present=1, key=key) / IP(src="100.64.0.2", dst="100.64.0.1") / ICMP(id=77, seq=1) / b"ping"))
sniffer.join()

reply = None
if sniffer.results:
    p = sniffer.results[0]
    g = p[GRE]
    i = g.payload
    reply = {
        "version": g.version,
        "key": g.key if g.key_present else None,
        "proto": g.proto,
        "inner_src": i.src,
        "inner_dst": i.dst,
        "icmp_type": i[ICMP].type if ICMP in i else None,
        "icmp_id": i[ICMP].id if ICMP in i else None,
    }
print(json.dumps({"sent_good": len(good), "sent_bad": sorted(bad), "reply": reply}))
