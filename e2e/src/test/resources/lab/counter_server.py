"""A long-lived TCP flow's far end: to each client, a line with the client's source address,
then a counter line every interval, then it closes the connection (a clean FIN).

Bounded: every connection ends after <count> lines; the server exits after <lifetime> seconds.
Usage: counter_server.py <bind-address> <port> <count> <interval-ms> <lifetime-s>
"""
import socket
import sys
import threading
import time


def drain(conn):
    # What a talking client sends is read and dropped: unread data would turn the close into a
    # reset.
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass


def serve(conn, addr, count, interval):
    reader = threading.Thread(target=drain, args=(conn,), daemon=True)
    reader.start()
    try:
        conn.sendall(("from %s\n" % addr[0]).encode())
        for seq in range(count):
            conn.sendall(("%d\n" % seq).encode())
            time.sleep(interval)
        conn.shutdown(socket.SHUT_WR)
        reader.join(5)
    except OSError as e:
        sys.stderr.write("counter %s: %s\n" % (addr[0], e))
    finally:
        conn.close()


def main():
    host, port, count, interval_ms, lifetime = sys.argv[1:6]
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, int(port)))
    srv.listen(16)
    srv.settimeout(1)
    deadline = time.monotonic() + float(lifetime)
    while time.monotonic() < deadline:
        try:
            conn, addr = srv.accept()
        except socket.timeout:
            continue
        threading.Thread(
            target=serve, args=(conn, addr, int(count), int(interval_ms) / 1000.0), daemon=True
        ).start()


if __name__ == "__main__":
    main()
