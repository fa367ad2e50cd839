"""The lab's internet host: answers every HTTP GET with the client's source address.

It shows which address the internet sees for a request: the VPS's when a pod's traffic goes
through an egress tunnel, its node's (or the NAT router's) when it does not.
Usage: echo_server.py <bind-address> <port>
"""
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class EchoSource(BaseHTTPRequestHandler):
    def do_GET(self):
        body = (self.client_address[0] + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write("echo %s %s\n" % (self.client_address[0], fmt % args))


class EchoServer6(ThreadingHTTPServer):
    address_family = socket.AF_INET6


if __name__ == "__main__":
    server = EchoServer6 if ":" in sys.argv[1] else ThreadingHTTPServer
    server((sys.argv[1], int(sys.argv[2])), EchoSource).serve_forever()
