"""One long-lived UDP flow: from one fixed source port, datagram <n> ("<n>") every <interval-ms>,
<count> of them, then exits. Bounded by count x interval.
Usage: udp_sender.py <host> <port> <source-port> <count> <interval-ms>
"""
import socket
import sys
import time


def main():
    host, port, sport = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    count, interval = int(sys.argv[4]), int(sys.argv[5]) / 1000.0
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", sport))
    for n in range(count):
        try:
            s.sendto(str(n).encode(), (host, port))
        except OSError as e:  # e.g. EPERM while a firewall drops it: the flow goes on
            print("send %d: %s" % (n, e), flush=True)
        time.sleep(interval)


main()
