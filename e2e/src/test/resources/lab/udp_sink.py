"""Logs every UDP datagram it receives as "<source-ip> <source-port> <payload>", one a line,
flushed at once; exits after <seconds>.
Usage: udp_sink.py <address> <port> <seconds>
"""
import socket
import sys
import time


def main():
    address, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    deadline = time.monotonic() + seconds
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((address, port))
    print("LISTENING", flush=True)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        s.settimeout(left)
        try:
            data, (ip, sport) = s.recvfrom(2048)
        except socket.timeout:
            return
        print("%s %d %s" % (ip, sport, data.decode(errors="replace")), flush=True)


main()
