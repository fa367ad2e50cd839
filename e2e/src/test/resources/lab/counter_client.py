"""A long-lived TCP flow's client: connects, and prints each line it receives with the
wall-clock time in milliseconds since the epoch ("<ms> <line>"), then how the flow ended:
"END eof" (the server closed it cleanly), "END reset <error>" or "END timeout".
Bounded by <timeout-s>. With <talk-ms>, it also sends a line of its own that often (the server
ignores it): a flow whose client talks, not one that only receives.
Usage: counter_client.py <host> <port> <timeout-s> [<talk-ms>]
"""
import socket
import sys
import threading
import time


def talk(s, interval, deadline):
    n = 0
    while time.monotonic() < deadline:
        try:
            s.sendall(b"k%d\n" % n)
        except OSError:
            return
        n += 1
        time.sleep(interval)


def main():
    host, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    start = time.monotonic()
    deadline = start + timeout
    s = socket.create_connection((host, port), timeout=10)
    print("CONNECTED", flush=True)
    if len(sys.argv) > 4:
        threading.Thread(
            target=talk, args=(s, int(sys.argv[4]) / 1000.0, deadline), daemon=True
        ).start()
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
