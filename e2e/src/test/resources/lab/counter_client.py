"""A long-lived TCP flow's client: connects, and prints each line it receives with the
wall-clock time in milliseconds since the epoch ("<ms> <line>"), then how the flow ended:
"END eof" (the server closed it cleanly), "END reset <error>" or "END timeout".
Bounded by <timeout-s>.
Usage: counter_client.py <host> <port> <timeout-s>
"""
import socket
import sys
import time


def main():
    host, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    start = time.monotonic()
    deadline = start + timeout
    s = socket.create_connection((host, port), timeout=10)
    print("CONNECTED", flush=True)
    buf = b""
    end = "END timeout"
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                data = s.recv(65536)
            except socket.timeout:
                break
            if not data:
                end = "END eof"
                break
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                ms = int(time.time() * 1000)
                print("%d %s" % (ms, line.decode()), flush=True)
    except OSError as e:
        end = "END reset %s" % e
    finally:
        s.close()
    print(end, flush=True)


if __name__ == "__main__":
    main()
