#!/usr/bin/python3
"""When does the first packet of a flow come through the VPS?

recv BIND PORT SOURCE
    prints "FIRST <tag> <epoch ms>" the first time a datagram carrying <tag> arrives from SOURCE
    (the VPS's address: it came through the tunnel), then keeps listening.
send HOST PORT TAG INTERVAL_MS SECONDS
    sends TAG every INTERVAL_MS for at most SECONDS, each from a new socket: a new source port is
    a new conntrack entry, so no NAT binding made before the tunnel existed carries it.
"""
import socket
import sys
import time


def recv(bind, port, source):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((bind, int(port)))
    seen = set()
    while True:
        data, (addr, _) = s.recvfrom(256)
        now = time.time()
        tag = data.decode(errors="replace").strip()
        if addr == source and tag not in seen:
            seen.add(tag)
            print(f"FIRST {tag} {int(now * 1000)}", flush=True)


def send(host, port, tag, interval_ms, seconds):
    end = time.monotonic() + float(seconds)
    payload = tag.encode()
    while time.monotonic() < end:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.sendto(payload, (host, int(port)))
        except OSError:
            pass  # no route yet, or dropped by the kill switch: try again
        finally:
            s.close()
        time.sleep(int(interval_ms) / 1000)


if __name__ == "__main__":
    {"recv": recv, "send": send}[sys.argv[1]](*sys.argv[2:])
