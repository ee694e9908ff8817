#!/usr/bin/env python3
"""A chaos-suite backend: answers every GET with its id and service in headers, can be told to
answer 503 for a while, and keeps its own registration alive through a gateway's admin API
(so a kill -9 or SIGSTOP of this process also stops its heartbeats, as for a real service).

Also serves a JWKS file (--jwks FILE) for the jwt-auth scenario."""
import argparse, json, os, threading, time, urllib.request
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

p = argparse.ArgumentParser()
p.add_argument('--port', type=int, required=True)
p.add_argument('--host', default='127.0.0.1')
p.add_argument('--id', required=True)
p.add_argument('--service', required=True)
p.add_argument('--admin', action='append', default=[], help='admin base URL to register through (several: failover)')
p.add_argument('--advertise', help='address to register, default host:port')
p.add_argument('--ttl', default='5s')
p.add_argument('--jwks', help='serve this file at /jwks.json')
a = p.parse_args()

fail_until = [0.0]


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.startswith('/__fail/'):   # /__fail/<seconds>: answer 503 for that long
            fail_until[0] = time.monotonic() + float(self.path.split('/')[2])
            return self.answer(200, b'ok')
        if a.jwks and self.path == '/jwks.json':
            with open(a.jwks, 'rb') as f:
                return self.answer(200, f.read(), 'application/json', {'Cache-Control': 'max-age=300'})
        if time.monotonic() < fail_until[0]:
            return self.answer(503, b'{"down":true}')
        self.answer(200, json.dumps({'backend': a.id, 'service': a.service, 'path': self.path}).encode())

    def answer(self, status, body, ctype='application/json', extra=None):
        self.send_response(status)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(body)))
        self.send_header('X-Backend', a.id)
        self.send_header('X-Service', a.service)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


def heartbeat():
    body = json.dumps({'address': a.advertise or f'{a.host}:{a.port}', 'ttl': a.ttl}).encode()
    i = 0
    while True:
        for _ in range(len(a.admin)):
            url = f'{a.admin[i % len(a.admin)]}/admin/services/{a.service}/instances/{a.id}'
            try:
                req = urllib.request.Request(url, data=body, method='PUT')
                urllib.request.urlopen(req, timeout=2).read()
                break
            except Exception:
                i += 1
        time.sleep(1)


server = ThreadingHTTPServer((a.host, a.port), Handler)
server.daemon_threads = True
if a.admin:
    threading.Thread(target=heartbeat, daemon=True).start()
print(f'backend {a.id} ({a.service}) on {a.host}:{a.port}', flush=True)
server.serve_forever()
