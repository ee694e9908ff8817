#!/usr/bin/env python3
"""Portico failure matrix: real processes on loopback (3-member etcd cluster, Redis, two gateway
replicas reading their routes from etcd, backends registered in etcd under leases, a JWKS server)
under steady load, faults injected one at a time, every response recorded, a Markdown report and a
PNG written at the end. Started by run.sh; see loadtest/chaos/README.md."""
import argparse, base64, concurrent.futures as cf, http.client, json, os, platform, random, re, shutil, signal
import socket, subprocess, sys, tempfile, threading, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
JAR = os.path.join(ROOT, 'gateway-dist', 'target', 'portico.jar')
JVM_OPTIONS = os.path.join(ROOT, 'gateway-dist', 'jvm.options')
# The replicas run with the options users get (gateway-dist/jvm.options) in a 512 MiB pod. Those
# options bound the heap relative to the container's memory limit (-XX:MaxRAMPercentage=75); this
# machine's RAM is no pod's limit, so -XX:MaxRAM stands in for it: a 384 MiB heap bound, and direct
# memory bounded the same (its default is the heap bound).
POD_RAM = '512m'
PY = sys.executable


class Breakage(Exception):
    """Clear breakage: a process that does not start, a gateway that does not recover."""


def jvm_options():
    """gateway-dist/jvm.options as the launcher (gateway-dist/portico) reads it: `#` starts a
    comment, every whitespace-separated word is one option."""
    with open(JVM_OPTIONS) as f:
        return [w for line in f for w in line.split('#', 1)[0].split()]


def replica_jvm(soak):
    jvm = ['java', *jvm_options(), f'-XX:MaxRAM={POD_RAM}']
    if soak:
        # Netty's leak detector on every buffer; Native Memory Tracking (summary level: about 1 MiB
        # and a little CPU) so the soak report can say which part of the JVM an RSS change is in.
        # jcmd attaches through the attach socket, not hsperfdata, so -XX:-UsePerfData stays.
        jvm += ['-Dio.netty.leakDetection.level=paranoid', '-XX:NativeMemoryTracking=summary']
    return jvm


def ephemeral_low():
    try:
        with open('/proc/sys/net/ipv4/ip_local_port_range') as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


_GIVEN = set()


def free_port():
    """A loopback port free now and below the kernel's ephemeral range. Every port is chosen before
    the processes start, one after another over seconds: a port from the ephemeral range (what
    binding port 0 gives) can meanwhile become the local end of some process's outgoing connection
    (a gateway's to etcd), and the backend meant for it then fails with "address already in use"."""
    low = ephemeral_low()
    for _ in range(1000):
        port = random.randrange(10000, max(10001, low))
        if port in _GIVEN:
            continue
        with socket.socket() as s:
            try:
                s.bind(('127.0.0.1', port))
            except OSError:
                continue
        _GIVEN.add(port)
        return port
    raise RuntimeError('no free loopback port below the ephemeral range')


def log(msg):
    print(time.strftime('%H:%M:%S ') + msg, flush=True)


def http_call(method, url, body=None, timeout=5.0):
    """Returns (status, parsed JSON or text); (0, error) when there is no answer."""
    data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw, status = r.read(), r.status
    except urllib.error.HTTPError as e:
        raw, status = e.read(), e.code
    except Exception as e:  # refused, timeout, reset
        return 0, repr(e)
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode('utf-8', 'replace')


def wait_for(what, predicate, timeout, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except Exception:
            pass
        time.sleep(interval)
    raise Breakage(f'{what}: not within {timeout:.0f} s')


# ---------------------------------------------------------------- processes

class Proc:
    """One child process in its own process group, its output in a log file."""
    registry = []

    def __init__(self, name, cmd, logdir, env=None):
        self.name, self.cmd, self.env = name, cmd, env
        self.log = os.path.join(logdir, name + '.log')
        self.p = None
        Proc.registry.append(self)

    def start(self):
        out = open(self.log, 'ab')
        self.p = subprocess.Popen(self.cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  env=self.env, start_new_session=True)
        out.close()
        return self

    def send(self, sig):
        if self.p and self.p.poll() is None:
            os.kill(self.p.pid, sig)

    def alive(self):
        return self.p is not None and self.p.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if not self.p:
            return
        try:
            os.kill(self.p.pid, signal.SIGCONT)
        except ProcessLookupError:
            return
        self.send(sig)
        try:
            self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.send(signal.SIGKILL)
            self.p.wait(5)

    @classmethod
    def stop_all(cls):
        for p in reversed(cls.registry):
            try:
                p.stop(signal.SIGKILL, 5)
            except Exception:
                pass


class Net:
    """Test hosts of their own: network namespaces on a bridge, created and removed by the suite
    (iproute2). Faults are routes: a blackhole route in a host for the gateways' address drops its
    answers silently (connects and reads hang, no RST); blackhole routes between etcd hosts cut
    them apart while each still reaches the gateways."""

    def __init__(self):
        self.tag = f'{os.getpid() % 100000}'
        self.bridge = f'pcb{self.tag}'
        self.subnet = f'10.{200 + os.getpid() % 50}.{os.getpid() % 250}'
        self.gw = self.subnet + '.1'
        self.hosts = {}
        self.netem = False

    @staticmethod
    def probe():
        """None when namespaces can be made here, else why not."""
        if not shutil.which('ip'):
            return 'ip (iproute2) is not installed'
        name = f'pcprobe{os.getpid()}'
        r = subprocess.run(['ip', 'netns', 'add', name], capture_output=True, text=True)
        if r.returncode != 0:
            return (r.stderr.strip() or 'ip netns add failed')
        subprocess.run(['ip', 'netns', 'del', name], capture_output=True)
        return None

    def ip(self, *args, ns=None, check=True):
        cmd = ['ip'] + (['-n', ns] if ns else []) + list(args)
        r = subprocess.run(cmd, capture_output=True, text=True)
        if check and r.returncode != 0:
            raise Breakage(f'{" ".join(cmd)}: {r.stderr.strip()}')
        return r

    def up(self):
        self.ip('link', 'add', self.bridge, 'type', 'bridge')
        self.ip('addr', 'add', self.gw + '/24', 'dev', self.bridge)
        self.ip('link', 'set', self.bridge, 'up')

    def host(self, name):
        i = len(self.hosts) + 10
        ns, veth, addr = f'pc{self.tag}-{name}', f'pc{self.tag}v{i}', f'{self.subnet}.{i}'
        self.ip('netns', 'add', ns)
        self.hosts[name] = (ns, addr)
        self.ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns)
        self.ip('link', 'set', veth, 'master', self.bridge, 'up')
        self.ip('addr', 'add', addr + '/24', 'dev', 'eth0', ns=ns)
        self.ip('link', 'set', 'eth0', 'up', ns=ns)
        self.ip('link', 'set', 'lo', 'up', ns=ns)
        return ns, addr

    def blackhole(self, host, dest, on=True):
        ns = self.hosts[host][0]
        self.ip('route', 'add' if on else 'del', 'blackhole', dest + '/32', ns=ns, check=on)

    def down(self):
        for ns, _ in self.hosts.values():
            subprocess.run(['ip', 'netns', 'del', ns], capture_output=True)
        subprocess.run(['ip', 'link', 'del', self.bridge], capture_output=True)


class Etcd:
    def __init__(self, d, logdir, n=3, net=None):
        self.names = [f'etcd{i}' for i in range(n)]
        if net:  # each member on a test host of its own
            hosts = [net.host(nm) for nm in self.names]
            self.addr = [a for _, a in hosts]
            self.client, self.peer = [2379] * n, [2380] * n
            prefix = [['ip', 'netns', 'exec', ns] for ns, _ in hosts]
        else:
            self.addr = ['127.0.0.1'] * n
            self.client = [free_port() for _ in range(n)]
            self.peer = [free_port() for _ in range(n)]
            prefix = [[]] * n
        cluster = ','.join(f'{nm}=http://{a}:{p}' for nm, a, p in zip(self.names, self.addr, self.peer))
        self.members = []
        for i, nm in enumerate(self.names):
            a = self.addr[i]
            self.members.append(Proc(nm, prefix[i] + ['etcd', '--name', nm, '--data-dir', os.path.join(d, nm),
                                          '--listen-client-urls', f'http://{a}:{self.client[i]}',
                                          '--advertise-client-urls', f'http://{a}:{self.client[i]}',
                                          '--listen-peer-urls', f'http://{a}:{self.peer[i]}',
                                          '--initial-advertise-peer-urls', f'http://{a}:{self.peer[i]}',
                                          '--initial-cluster', cluster, '--initial-cluster-state', 'new',
                                          '--initial-cluster-token', 'chaos', '--logger', 'zap',
                                          '--log-level', 'warn'], logdir))

    def urls(self, only=None):
        return [f'http://{self.addr[i]}:{p}' for i, p in enumerate(self.client) if only is None or i in only]

    def ctl(self, *args, endpoints=None, timeout=10):
        r = subprocess.run(['etcdctl', '--endpoints', ','.join(endpoints or self.urls()), '--dial-timeout', '2s',
                            '--command-timeout', '3s', *args], capture_output=True, text=True, timeout=timeout,
                           env=dict(os.environ, ETCDCTL_API='3'))
        return r.returncode, r.stdout

    def start(self):
        for m in self.members:
            m.start()
        self.wait_healthy()

    def wait_healthy(self, timeout=60):
        live = [i for i, m in enumerate(self.members) if m.alive()]
        wait_for('etcd cluster healthy',
                 lambda: self.ctl('endpoint', 'health', endpoints=self.urls(live))[0] == 0 and self.leader() is not None,
                 timeout, 0.05)

    def leader(self):
        rc, out = self.ctl('endpoint', 'status', '-w', 'json')
        for st in json.loads(out or '[]'):
            if st['Status']['header']['member_id'] == st['Status']['leader']:
                return self.urls().index(st['Endpoint'])
        return None

    def revision(self):
        rc, out = self.ctl('get', '/', '--prefix', '--keys-only', '--limit', '1', '-w', 'json')
        return json.loads(out)['header']['revision'] if rc == 0 else None


# ---------------------------------------------------------------- load

class Record:
    __slots__ = ('t', 'sent', 'lat', 'stream', 'replica', 'status', 'backend', 'service', 'cause', 'note')

    def __init__(self, t, stream, replica):
        self.t, self.stream, self.replica = t, stream, replica
        self.sent = t
        self.lat = 0.0
        self.status, self.backend, self.service, self.cause, self.note = 0, None, None, None, None


class Stream:
    def __init__(self, name, path, rate, expect, ok=(200,), headers=None):
        self.name, self.path, self.rate, self.expect, self.ok, self.headers = name, path, rate, expect, ok, headers


class Load:
    """Open-loop load: each stream is scheduled at a fixed rate, alternating the two replicas; the
    latency is measured from the scheduled time, so a stall shows up as latency, not as fewer
    requests. A connection refused (the replica is gone) is sent once to the other replica and a
    keep-alive connection closed before any answer byte is retried once on a fresh connection, as
    a load balancer and an HTTP client do for idempotent requests; both are noted on the record."""

    def __init__(self, ports, streams, t0):
        self.ports, self.streams, self.t0 = ports, streams, t0
        self.records, self.lock = [], threading.Lock()
        self.pool = cf.ThreadPoolExecutor(max_workers=160)
        self.local = threading.local()
        self.running = False

    def start(self):
        self.running = True
        self.threads = [threading.Thread(target=self.schedule, args=(s,), daemon=True) for s in self.streams]
        for t in self.threads:
            t.start()

    def stop(self):
        self.running = False
        for t in self.threads:
            t.join()
        self.pool.shutdown(wait=True)

    def schedule(self, s):
        n, start = 0, time.monotonic()
        while self.running:
            due = start + n / s.rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.pool.submit(self.one, s, n % len(self.ports), due - self.t0)
            n += 1

    def conn(self, replica, fresh=False):
        conns = getattr(self.local, 'conns', None)
        if conns is None:
            conns = self.local.conns = {}
        c = conns.get(replica)
        if fresh and c is not None:
            c.close()
            c = None
        if c is None:
            c = conns[replica] = http.client.HTTPConnection('127.0.0.1', self.ports[replica], timeout=10)
        return c

    def one(self, s, replica, due):
        r = Record(due, s.name, replica)
        r.sent = time.monotonic() - self.t0
        headers = s.headers() if s.headers else {}
        switched = retried = False
        for attempt in range(3):
            c = self.conn(r.replica)
            reused = c.sock is not None
            try:
                c.request('GET', s.path, headers=headers)
                resp = c.getresponse()
                body = resp.read()
                r.status = resp.status
                r.backend, r.service = resp.getheader('X-Backend'), resp.getheader('X-Service')
                if resp.status not in s.ok and r.service is None:
                    try:
                        r.cause = json.loads(body).get('error')
                    except Exception:
                        r.cause = None
                if resp.getheader('Connection', '').lower() == 'close':
                    c.close()
                break
            except ConnectionRefusedError:
                c.close()
                if not switched:
                    switched = True
                    r.note, r.replica = 'refused: sent to the other replica', 1 - r.replica
                    continue
                r.cause = 'connection refused'
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                c.close()
                if reused and not retried:
                    retried = True
                    r.note = 'keep-alive closed before the answer: retried'
                    continue
                r.cause = type(e).__name__
                break
            except Exception as e:
                c.close()
                r.cause = type(e).__name__
                break
        r.lat = time.monotonic() - self.t0 - due
        with self.lock:
            self.records.append(r)

    def window(self, a, b, streams=None):
        with self.lock:
            return [r for r in self.records if a <= r.t < b and (streams is None or r.stream in streams)]


def failed(r, streams):
    return r.status not in streams[r.stream].ok


def wrong_upstream(r, streams):
    return r.service is not None and r.service not in streams[r.stream].expect


# ---------------------------------------------------------------- JWT

class Keys:
    """RSA keys of the fake identity provider, its JWKS file and signed tokens."""

    def __init__(self, path):
        from cryptography.hazmat.primitives.asymmetric import rsa
        self.rsa, self.path, self.keys, self.current = rsa, path, {}, None

    def add(self, kid):
        self.keys[kid] = self.rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def publish(self, kids):
        def b64(n):
            return base64.urlsafe_b64encode(n.to_bytes((n.bit_length() + 7) // 8, 'big')).rstrip(b'=').decode()
        jwks = {'keys': [{'kty': 'RSA', 'kid': k, 'alg': 'RS256', 'use': 'sig',
                          'n': b64(self.keys[k].public_key().public_numbers().n),
                          'e': b64(self.keys[k].public_key().public_numbers().e)} for k in kids]}
        tmp = self.path + '.tmp'
        with open(tmp, 'w') as f:
            json.dump(jwks, f)
        os.replace(tmp, self.path)

    def sign(self, kid):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        def enc(o):
            return base64.urlsafe_b64encode(json.dumps(o, separators=(',', ':')).encode()).rstrip(b'=').decode()
        now = int(time.time())
        si = enc({'alg': 'RS256', 'typ': 'JWT', 'kid': kid}) + '.' + enc(
            {'iss': 'https://issuer.chaos', 'aud': 'chaos', 'sub': 'load', 'iat': now, 'exp': now + 7200})
        sig = self.keys[kid].sign(si.encode(), padding.PKCS1v15(), hashes.SHA256())
        self.current = si + '.' + base64.urlsafe_b64encode(sig).rstrip(b'=').decode()


# ---------------------------------------------------------------- the system under test

class System:
    def __init__(self, work, soak=False, net=None):
        self.work, self.logs = work, os.path.join(work, 'logs')
        os.makedirs(self.logs)
        self.net = net
        if net:
            net.up()
        self.etcd = Etcd(os.path.join(work, 'etcd'), self.logs, net=net)
        self.redis_port = free_port()
        self.redis = Proc('redis', ['redis-server', '--port', str(self.redis_port), '--bind', '127.0.0.1',
                                    '--save', '', '--appendonly', 'no'], self.logs)
        self.ports = [free_port(), free_port()]
        self.admin = [free_port(), free_port()]
        self.replicas = []
        for i in range(2):
            cfg = os.path.join(work, f'gateway{i}.yaml')
            with open(cfg, 'w') as f:
                f.write(f"""listen: {{ host: 127.0.0.1, port: {self.ports[i]}, instances: 1 }}
admin: {{ host: 127.0.0.1, port: {self.admin[i]} }}
config: {{ watch: false, etcd: {{ endpoints: [{', '.join(self.etcd.urls())}], prefix: /portico/ }} }}
drain-timeout: 5s
""")
            self.replicas.append(Proc(f'gateway{i}', replica_jvm(soak) + ['-jar', JAR, 'run', '--config', cfg], self.logs))
        admins = [a for p in self.admin for a in ('--admin', f'http://127.0.0.1:{p}')]
        self.backends = {}
        for bid, svc in (('b1', 'main'), ('b2', 'main'), ('b3', 'main'), ('fa', 'flip-a'), ('fb', 'flip-b')):
            port = free_port()
            reg = admins if svc == 'main' else []
            self.backends[bid] = (port, Proc(bid, [PY, os.path.join(HERE, 'backend.py'), '--port', str(port),
                                                   '--id', bid, '--service', svc, *reg], self.logs))
        if net:  # backends of upstream `net`, each on a test host of its own, port 8080
            for bid in ('n1', 'n2', 'n3'):
                ns, addr = net.host(bid)
                self.backends[bid] = (8080, Proc(bid, ['ip', 'netns', 'exec', ns, PY, os.path.join(HERE, 'backend.py'),
                                                       '--host', addr, '--port', '8080', '--id', bid, '--service', 'net'],
                                                 self.logs))
        self.keys = Keys(os.path.join(work, 'jwks.json'))
        self.jwks_port = free_port()
        self.jwks = Proc('jwks', [PY, os.path.join(HERE, 'backend.py'), '--port', str(self.jwks_port), '--id', 'idp',
                                  '--service', 'idp', '--jwks', self.keys.path], self.logs)

    def admin_url(self, i):
        return f'http://127.0.0.1:{self.admin[i]}'

    def backend_addr(self, bid):
        return f'{self.net.hosts[bid][1]}:8080' if self.net and bid in self.net.hosts else f'127.0.0.1:{self.backends[bid][0]}'

    def start_backend(self, bid):
        proc = self.backends[bid][1]
        proc.start()
        wait_for(f'backend {bid} listening', lambda: http_call('GET', f'http://{self.backend_addr(bid)}/healthz', timeout=1)[0] == 200, 30)

    def start_replica(self, i):
        self.replicas[i].start()
        wait_for(f'gateway{i} ready', lambda: self.ready(i), 120, 0.2)

    def ready(self, i):
        if not self.replicas[i].alive():
            raise Breakage(f'gateway{i} exited (see {self.replicas[i].log})')
        return http_call('GET', self.admin_url(i) + '/readyz', timeout=2)[0] == 200

    def config(self, i):
        return http_call('GET', self.admin_url(i) + '/admin/config', timeout=2)[1]

    def revision(self, i):
        st, body = http_call('GET', self.admin_url(i) + '/readyz', timeout=2)
        try:
            return int(body.get('config_revision'))  # a string: the file hash without etcd
        except (AttributeError, TypeError, ValueError):
            return None

    def flip_route(self, upstream):
        return {'match': {'path-prefix': '/flip'}, 'upstream': upstream, 'timeout': '2s',
                'retries': {'attempts': 3, 'on': ['connect-failure', 'reset', 'timeout', 503], 'per-try-timeout': '500ms'}}

    def put(self, i, kind, name, obj):
        st, body = http_call('PUT', f'{self.admin_url(i)}/admin/{kind}/{name}', obj, timeout=10)
        if st not in (200, 201):
            raise Breakage(f'PUT /admin/{kind}/{name}: {st} {body}')
        return body

    def start(self):
        t = time.monotonic()
        self.etcd.start()
        self.redis.start()
        wait_for('redis', lambda: subprocess.run(['redis-cli', '-p', str(self.redis_port), 'ping'],
                                                 capture_output=True, text=True).stdout.strip() == 'PONG', 30)
        self.keys.add('k1')
        self.keys.publish(['k1'])
        self.keys.sign('k1')
        self.jwks.start()
        for i in range(2):
            self.start_replica(i)
        retries = {'attempts': 3, 'on': ['connect-failure', 'reset', 'timeout', 503], 'per-try-timeout': '500ms'}
        self.put(0, 'upstreams', 'main', {
            'discovery': {'type': 'etcd', 'service': 'main'}, 'connect-timeout': '250ms',
            'health-check': {'path': '/healthz', 'interval': '1s', 'timeout': '500ms', 'healthy': 1, 'unhealthy': 2},
            'outlier': {'consecutive-failures': 3, 'base-ejection': '5s', 'statuses': [503]}})
        for name, bid in (('flip-a', 'fa'), ('flip-b', 'fb')):
            self.put(0, 'upstreams', name, {'endpoints': [f'127.0.0.1:{self.backends[bid][0]}']})
        if self.net:
            self.put(0, 'upstreams', 'net', {
                'endpoints': [self.backend_addr(b) for b in ('n1', 'n2', 'n3')], 'connect-timeout': '250ms',
                'health-check': {'path': '/healthz', 'interval': '1s', 'timeout': '500ms', 'healthy': 1, 'unhealthy': 2},
                'outlier': {'consecutive-failures': 3, 'base-ejection': '5s'}})
            self.put(0, 'routes', 'net', {'match': {'path-prefix': '/net'}, 'upstream': 'net', 'timeout': '2s', 'retries': retries})
        self.put(0, 'routes', 'api', {'match': {'path-prefix': '/api'}, 'upstream': 'main', 'timeout': '2s', 'retries': retries})
        self.put(0, 'routes', 'flip', self.flip_route('flip-a'))
        self.put(0, 'routes', 'limited', {'match': {'path-prefix': '/limited'}, 'upstream': 'main', 'timeout': '2s',
                                          'retries': retries, 'plugins': {'rate-limit': {
                                              'limits': [{'capacity': LIMIT, 'per': '1s'}], 'store': 'redis',
                                              'redis': {'uri': f'redis://127.0.0.1:{self.redis_port}/0', 'timeout': '250ms'},
                                              'on-store-failure': 'local', 'local-share': 0.5}}})
        self.put(0, 'routes', 'auth', {'match': {'path-prefix': '/auth'}, 'upstream': 'main', 'timeout': '2s',
                                       'retries': retries, 'plugins': {'jwt-auth': {
                                           'issuer': 'https://issuer.chaos', 'audiences': ['chaos'],
                                           'jwks-uri': f'http://127.0.0.1:{self.jwks_port}/jwks.json',
                                           'algorithms': ['RS256'], 'jwks-refresh': '5s'}}})
        for bid in self.backends:
            self.start_backend(bid)
        for i in range(2):
            wait_for(f'gateway{i} serving /api from the registered backends',
                     lambda: http_call('GET', f'http://127.0.0.1:{self.ports[i]}/api/x', timeout=2)[0] == 200, 60)
        return time.monotonic() - t


LIMIT = 20  # shared rate limit of /limited, requests per second


def streams_for(sys_):
    return {s.name: s for s in (
        Stream('api', '/api/x', 60, {'main'}),
        Stream('flip', '/flip/x', 20, {'flip-a', 'flip-b'}),
        Stream('auth', '/auth/x', 20, {'main'}, headers=lambda: {'Authorization': 'Bearer ' + sys_.keys.current}),
        Stream('limited', '/limited/x', 2 * LIMIT, {'main'}, ok=(200, 429)))} | (
        {'net': Stream('net', '/net/x', 20, {'net'})} if sys_.net else {})


MAIN = ('api', 'flip', 'auth', 'net')  # the streams whose every request should succeed


# ---------------------------------------------------------------- scenarios

class Matrix:
    def __init__(self, sys_, load, streams, short):
        self.s, self.load, self.streams, self.short = sys_, load, streams, short
        self.quiet = 3 if short else 10
        self.results = []

    def now(self):
        return time.monotonic() - self.load.t0

    def d(self, full, short):
        return short if self.short else full

    def wait_backend_seen(self, bid, since, timeout=40):
        # every stream to upstream `main` counts: the streams arrive at fixed rates, so a replica's
        # round-robin can phase-lock with them and give one stream's requests to two backends
        # only while the third gets every request of another stream (each backend still gets a third)
        main = {s.name for s in self.streams.values() if 'main' in s.expect}

        def seen():
            rs = [r for r in self.load.window(since, 1e9, main) if r.backend == bid]
            return {r.replica for r in rs} == {0, 1}
        wait_for(f'backend {bid} back in rotation on both replicas', seen, timeout, 0.2)

    def run(self, num, title, target, inject, main_streams=MAIN):
        log(f'scenario {num}: {title}')
        t0 = self.now()
        extra = {}
        try:
            extra = inject() or {}
        except Breakage as e:
            extra = {'breakage': str(e)}
        time.sleep(self.quiet)
        t1 = self.now()
        res = analyse(self.load.window(t0, t1), self.streams, t0, extra.get('clear', t0), main_streams)
        res.update(num=num, title=title, target=target, start=t0, end=t1, **extra)
        tail = [r for r in self.load.window(t1 - 2, t1, set(main_streams))]
        res['recovered'] = bool(tail) and sum(failed(r, self.streams) for r in tail) <= 0.1 * len(tail)
        self.results.append(res)
        log(f'  sent {res["sent"]}, failed {res["failed"]} {res["causes"]}, wrong upstream {res["wrong"]}, '
            f'longest failure window {res["window"]:.2f} s, healthy after {res["healthy"]:.2f} s'
            + (f', BREAKAGE {extra["breakage"]}' if 'breakage' in extra else ''))
        return res

    # 1
    def kill_backend(self):
        self.s.backends['b1'][1].send(signal.SIGKILL)
        self.s.backends['b1'][1].p.wait()
        time.sleep(self.quiet)
        t = self.now()
        self.s.start_backend('b1')
        self.wait_backend_seen('b1', t)
        return {'notes': [f'b1 restarted and back in rotation on both replicas {self.now() - t:.1f} s after its start']}

    # 2
    def stop_backend(self):
        p = self.s.backends['b2'][1]
        p.send(signal.SIGSTOP)
        time.sleep(self.d(10, 3))
        p.send(signal.SIGCONT)
        t = self.now()
        self.wait_backend_seen('b2', t)
        return {'clear': t, 'notes': [f'SIGSTOP for {self.d(10, 3)} s; b2 answering again on both replicas '
                                      f'{self.now() - t:.1f} s after SIGCONT']}

    # 3
    def kill_leader(self):
        e = self.s.etcd
        old = e.leader()
        e.members[old].send(signal.SIGKILL)
        e.members[old].p.wait()
        t = time.monotonic()
        others = [i for i in range(3) if i != old]
        wait_for('a new etcd leader', lambda: self.new_leader(others), 30, 0.05)
        election = time.monotonic() - t
        # an admin write right after the election, and its propagation to the other replica
        t = time.monotonic()
        body = self.s.put(0, 'routes', 'flip', self.s.flip_route('flip-a'))
        write = time.monotonic() - t
        wait_for('replica 1 at the written revision', lambda: (self.s.revision(1) or 0) >= body['revision'], 10, 0.01)
        prop = time.monotonic() - t - write
        e.members[old].start()
        e.wait_healthy()
        return {'notes': [f'{e.names[old]} (leader) killed; new leader elected in {election * 1000:.0f} ms',
                          f'admin route write after the election: {write * 1000:.0f} ms, on the other replica '
                          f'{prop * 1000:.0f} ms later'], 'propagation': prop}

    def new_leader(self, members):
        rc, out = self.s.etcd.ctl('endpoint', 'status', '-w', 'json', endpoints=self.s.etcd.urls(members))
        return any(st['Status']['header']['member_id'] == st['Status']['leader'] for st in json.loads(out))

    # 4
    def stop_etcd(self):
        e = self.s.etcd
        t_down = self.now()
        for m in e.members:
            m.send(signal.SIGKILL)
        for m in e.members:
            m.p.wait()
        down = self.d(30, 5)
        time.sleep(down)
        clear = self.now()
        for m in e.members:
            m.start()
        e.wait_healthy()
        back = time.monotonic()
        healthy_in = self.now() - clear
        # convergence: a change written straight into etcd as soon as the cluster is healthy again
        route_json = json.dumps(self.s.flip_route('flip-b'))
        rc, out = e.ctl('put', '/portico/routes/flip', route_json, '-w', 'json')
        rev = json.loads(out)['header']['revision']
        avail, at_rev = {}, {}
        deadline = time.monotonic() + 60
        while (len(avail) < 2 or len(at_rev) < 2) and time.monotonic() < deadline:
            for i in range(2):
                if i not in avail and (self.s.config(i) or {}).get('store', {}).get('available'):
                    avail[i] = time.monotonic() - back
                if i not in at_rev and (self.s.revision(i) or 0) >= rev:
                    at_rev[i] = time.monotonic() - back
            time.sleep(0.02)
        conv = max(at_rev.values()) if len(at_rev) == 2 else None
        self.s.put(0, 'routes', 'flip', self.s.flip_route('flip-a'))
        rs = self.load.window(t_down, self.now(), set(MAIN))
        during = sum(1 for r in rs if r.t < clear + healthy_in and failed(r, self.streams))
        after = sum(1 for r in rs if r.t >= clear + healthy_in and failed(r, self.streams))
        return {'clear': clear, 'propagation': conv if conv is not None else 99, 'failed_down': during, 'notes': [
            f'all three members killed for {down} s; cluster healthy {healthy_in:.1f} s after restart',
            'replicas saw etcd available again (`/admin/config` store.available) '
            + ', '.join(f'gateway{i} after {v * 1000:.0f} ms' for i, v in sorted(avail.items())) + ' from the cluster being healthy',
            f'a route put into etcd as soon as the cluster was healthy: live '
            + ', '.join(f'on gateway{i} after {v * 1000:.0f} ms' for i, v in sorted(at_rev.items()))
            + ('' if conv is not None else ' — **not on both replicas within 60 s**'),
            f'failed requests while etcd was down: {during}; after it was back: {after}']}

    # 5
    def stop_redis(self):
        before = self.admitted(self.now() - 6, self.now() - 1)
        self.s.redis.stop(signal.SIGKILL)
        down = self.d(30, 5)
        t = self.now()
        time.sleep(down)
        during = self.admitted(t + 2, self.now())
        self.s.redis.start()
        clear = self.now()
        time.sleep(self.d(5, 3))
        after = self.admitted(clear + 2, self.now())
        over = during['rate'] / LIMIT - 1
        return {'clear': clear, 'over_admission': over, 'notes': [
            f'shared limit {LIMIT}/s, offered {2 * LIMIT}/s over both replicas',
            f'before: admitted {before["rate"]:.1f}/s ({before["per"]})',
            f'Redis down {down} s: admitted {during["rate"]:.1f}/s ({during["per"]}) from 2 s after the stop: '
            f'over-admission {over * 100:+.1f}%',
            f'after its return: admitted {after["rate"]:.1f}/s ({after["per"]})']}

    def admitted(self, a, b):
        rs = self.load.window(a, b, {'limited'})
        per = [sum(1 for r in rs if r.status == 200 and r.replica == i) / max(b - a, 0.1) for i in range(2)]
        return {'rate': sum(per), 'per': ' + '.join(f'{x:.1f}' for x in per) + ' per replica'}

    # 6
    def drain_replica(self):
        g = self.s.replicas[1]
        t = time.monotonic()
        g.send(signal.SIGTERM)
        g.p.wait(60)
        drained = time.monotonic() - t
        time.sleep(self.quiet)
        t = time.monotonic()
        self.s.start_replica(1)
        ready = time.monotonic() - t
        return {'notes': [f'gateway1 SIGTERM: exited after {drained:.1f} s (drain-timeout 5 s)',
                          f'restarted: ready in {ready:.1f} s']}

    # 7
    def route_edits(self):
        n = self.d(1000, 100)
        edits, props = [], []
        ups = ('flip-a', 'flip-b')
        for k in range(n):
            up = ups[(k + 1) % 2]
            sent = self.now()
            body = self.s.put(0, 'routes', 'flip', self.s.flip_route(up))
            done = self.now()
            edits.append((sent, done, up, body.get('applied')))
            if k % 20 == 0:
                t = time.monotonic()
                wait_for('replica 1 at the written revision', lambda: (self.s.revision(1) or 0) >= body['revision'], 10, 0.005)
                props.append(time.monotonic() - t)
        final = edits[-1][2]
        t_last = edits[-1][1]
        # stale answers on the replica that took the writes: sent after write k was applied there
        # and answered before write k+1 was sent, yet from the other upstream
        stale = 0
        rs = self.load.window(edits[0][0] - 1, self.now() + 1, {'flip'})
        for r in rs:
            if r.replica != 0 or r.status != 200:
                continue
            end = r.t + r.lat
            for k in range(len(edits) - 1):
                if edits[k][1] <= r.sent and end <= edits[k + 1][0] and edits[k][3]:
                    stale += r.service != edits[k][2]
                    break
        time.sleep(2)
        conv = [r for r in self.load.window(t_last, self.now(), {'flip'}) if r.status == 200 and r.service != final]
        last_old = max((r.sent for r in conv), default=t_last) - t_last
        lat = sorted(e[1] - e[0] for e in edits)
        props.sort()
        return {'stale': stale, 'propagation': props[len(props) // 2], 'notes': [
            f'{n} PUT /admin/routes/flip through gateway0, alternating flip-a / flip-b: '
            f'write answered (applied) p50 {pct(lat, 50) * 1000:.0f} ms, p99 {pct(lat, 99) * 1000:.0f} ms, '
            f'{sum(1 for e in edits if not e[3])} not applied within 5 s',
            f'propagation to gateway1 after the write was applied on gateway0 ({len(props)} samples): '
            f'p50 {pct(props, 50) * 1000:.0f} ms, max {props[-1] * 1000:.0f} ms',
            f'answers on gateway0 from the previous upstream after a write was applied: {stale}',
            f'last answer from the old upstream {last_old * 1000:.0f} ms after the last write']}

    # 8
    def invalid_route(self):
        e = self.s.etcd
        t = time.monotonic()
        e.ctl('put', '/portico/routes/chaos-bad', json.dumps({'match': {'path-prefix': '/bad'}, 'upstream': 'nope'}))
        e.ctl('put', '/portico/routes/chaos-junk', '{not json')

        def rejected(i):
            keys = json.dumps(self.s.config(i).get('rejected_keys'))
            return 'chaos-bad' in keys and 'chaos-junk' in keys
        wait_for('both invalid keys rejected on both replicas', lambda: all(rejected(i) for i in range(2)), 20, 0.02)
        seen = time.monotonic() - t
        e.ctl('del', '/portico/routes/chaos-bad')
        e.ctl('del', '/portico/routes/chaos-junk')
        wait_for('rejected keys cleared', lambda: not any(rejected(i) for i in range(2)), 20, 0.05)
        st = http_call('GET', f'http://127.0.0.1:{self.s.ports[0]}/bad/x')[0]
        return {'propagation': seen, 'notes': [
            f'a route to a missing upstream and a non-JSON value put into etcd: listed as rejected on both replicas '
            f'in {seen * 1000:.0f} ms, the rest kept serving; /bad answered {st} (404 expected)']}

    # 9
    def jwks(self):
        k = self.s.keys
        k.add('k2')
        k.publish(['k1', 'k2'])
        k.sign('k2')
        time.sleep(self.quiet)
        self.s.jwks.stop(signal.SIGKILL)
        down = self.d(60, 5)
        time.sleep(down)
        self.s.jwks.start()
        return {'clear': self.now(), 'notes': [
            'the IdP published a second key and signed every new token with it (unknown kid at the gateways)',
            f'then the JWKS server was killed for {down} s (jwks-refresh 5 s: refreshes failed meanwhile)']}

    # 10
    def backend_503(self):
        d = self.d(20, 4)
        http_call('GET', f'http://127.0.0.1:{self.s.backends["b3"][0]}/__fail/{d}')
        time.sleep(d)
        return {'clear': self.now(), 'notes': [f'b3 answered 503 to everything (health checks too) for {d} s']}


    # 11
    def partition(self):
        e, net = self.s.etcd, self.s.net
        victim = e.leader()
        others = [i for i in range(3) if i != victim]
        for o in others:
            net.blackhole(e.names[victim], e.addr[o])
            net.blackhole(e.names[o], e.addr[victim])
        t = time.monotonic()
        prop, body = None, None
        notes = [f'{e.names[victim]} (the leader) cut off from the other two members by blackhole routes '
                 f'(it still reaches the gateways and they it)']
        try:
            wait_for('a leader among the other two', lambda: self.new_leader(others), 30, 0.05)
            notes.append(f'new leader among the other two after {(time.monotonic() - t) * 1000:.0f} ms')
            t = time.monotonic()
            body = self.s.put(0, 'routes', 'flip', self.s.flip_route('flip-b'))
            write = time.monotonic() - t
            try:
                wait_for('both replicas at a revision written during the partition',
                         lambda: all((self.s.revision(i) or 0) >= body['revision'] for i in range(2)), 10, 0.01)
                prop = time.monotonic() - t
                notes.append(f'admin route write during the partition: answered in {write * 1000:.0f} ms, '
                             f'live on both replicas {prop * 1000:.0f} ms after it was sent')
            except Breakage:
                prop = None
                notes.append(f'admin route write during the partition answered in {write * 1000:.0f} ms '
                             f'(applied: {body.get("applied")}) but **not live on both replicas within 10 s** '
                             f'(revisions {[self.s.revision(i) for i in range(2)]}, written {body["revision"]})')
            time.sleep(self.d(15, 3))
        finally:
            for o in others:
                net.blackhole(e.names[victim], e.addr[o], on=False)
                net.blackhole(e.names[o], e.addr[victim], on=False)
        clear = self.now()
        e.wait_healthy()
        if prop is None and body:
            t = time.monotonic()
            wait_for('both replicas converge after the partition healed',
                     lambda: all((self.s.revision(i) or 0) >= body['revision'] for i in range(2)), 30, 0.05)
            notes.append(f'after the partition healed both replicas were at that revision within '
                         f'{(time.monotonic() - t) * 1000:.0f} ms')
        self.s.put(0, 'routes', 'flip', self.s.flip_route('flip-a'))
        return {'clear': clear, 'propagation': prop, 'partition_stale': prop is None and body is not None, 'notes': notes}

    def blackhole(self):
        net, s = self.s.net, self.s
        addr = s.backend_addr('n1')
        net.blackhole('n1', net.gw)  # n1 still receives, its answers (SYN-ACKs too) go nowhere
        t = time.monotonic()
        t_rel = self.now()

        def out_of_rotation(i):
            ups = http_call('GET', s.admin_url(i) + '/admin/upstreams', timeout=2)[1]['upstreams']
            eps = next(u for u in ups if u['name'] == 'net')['endpoints']
            return next(ep for ep in eps if ep['address'] == addr)['health'] != 'healthy'
        out = {}
        try:
            deadline = time.monotonic() + 30
            while len(out) < 2 and time.monotonic() < deadline:
                for i in range(2):
                    if i not in out and out_of_rotation(i):
                        out[i] = time.monotonic() - t
                time.sleep(0.02)
            time.sleep(self.d(15, 3))
        finally:
            net.blackhole('n1', net.gw, on=False)
        clear = self.now()
        slow = [r for r in self.load.window(t_rel, clear, {'net'}) if r.lat > 0.2]
        wait_for('n1 back in rotation', lambda: not any(out_of_rotation(i) for i in range(2)), 30, 0.1)
        return {'clear': clear, 'out_of_rotation': max(out.values()) if len(out) == 2 else None, 'notes': [
            f'n1 blackholed (a blackhole route for the gateways\' address on its host: no RST, connects and reads hang)',
            'n1 out of rotation (unhealthy or ejected) on ' + ', '.join(f'gateway{i} after {v * 1000:.0f} ms' for i, v in sorted(out.items()))
            + ('' if len(out) == 2 else ' — **not on both replicas within 30 s**'),
            f'/net requests slower than 200 ms while it was blackholed (tries that waited on n1): {len(slow)}']}


def pct(xs, p):
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p / 100))]


def analyse(rs, streams, t0, clear, main):
    rs = [r for r in rs if r.stream in main]
    fails = sorted((r for r in rs if failed(r, streams)), key=lambda r: r.t)
    causes = {}
    for r in fails:
        key = f'{r.stream} {r.status or ""} {r.cause or ""}'.strip()
        causes[key] = causes.get(key, 0) + 1
    longest, start, prev = 0.0, None, None
    for r in fails:  # failures less than 0.5 s apart form one window
        if prev is None or r.t - prev > 0.5:
            start = r.t
        prev = r.t
        longest = max(longest, prev - start + 1.0 / 60)
    wrong = [r for r in rs if wrong_upstream(r, streams)]
    notes = {}
    for r in rs:
        if r.note:
            notes[r.note] = notes.get(r.note, 0) + 1
    return {'sent': len(rs), 'failed': len(fails), 'causes': causes, 'window': longest,
            'healthy': (fails[-1].t + fails[-1].lat - clear) if fails else 0.0,
            'wrong': len(wrong), 'client_notes': notes,
            'p99': pct([r.lat for r in rs if not failed(r, streams)], 99),
            'false401': sum(1 for r in rs if r.stream == 'auth' and r.status == 401)}


# ---------------------------------------------------------------- soak

def proc_status(pid):
    out = {}
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            k, _, v = line.partition(':')
            out[k] = v.strip()
    kb = lambda k: int(out.get(k, '0 kB').split()[0]) * 1024
    return {'rss': kb('VmRSS'), 'rss_anon': kb('RssAnon'), 'rss_file': kb('RssFile'),
            'threads': int(out['Threads']), 'fds': len(os.listdir(f'/proc/{pid}/fd'))}


def metric_sum(text, name, label=None):
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and (line[len(name)] in ' {') and (label is None or label in line):
            total += float(line.rsplit(' ', 1)[1])
    return total


def sample(sys_, i, t):
    pid = sys_.replicas[i].p.pid
    subprocess.run(['jcmd', str(pid), 'GC.run'], capture_output=True, timeout=30)  # heap after a full GC
    st, text = http_call('GET', sys_.admin_url(i) + '/metrics', timeout=10)
    return {'t': t, 'replica': i, 'heap': metric_sum(text, 'jvm_memory_used_bytes', 'area="heap"'),
            'direct': metric_sum(text, 'jvm_buffer_memory_used_bytes', 'id="direct"')
            + metric_sum(text, 'portico_netty_allocator_used_bytes', 'type="direct"'),
            **proc_status(pid)}


NMT_CATEGORY = re.compile(r'^-\s+(.+?) \(reserved=(\d+)KB, committed=(\d+)KB\)', re.M)
NMT_TOTAL = re.compile(r'^Total: reserved=(\d+)KB, committed=(\d+)KB', re.M)


def nmt(sys_, i, t):
    """Native Memory Tracking summary: committed bytes per JVM category, and RSS read right after."""
    pid = sys_.replicas[i].p.pid
    r = subprocess.run(['jcmd', str(pid), 'VM.native_memory', 'summary'], capture_output=True, text=True, timeout=30)
    cats = {m.group(1): int(m.group(3)) * 1024 for m in NMT_CATEGORY.finditer(r.stdout)}
    if total := NMT_TOTAL.search(r.stdout):
        cats['NMT total'] = int(total.group(2)) * 1024
    return {'t': t, 'replica': i, 'cats': cats, **proc_status(pid)}


def slope(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs) or 1e-9
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    resid = (sum((y - my - b * (x - mx)) ** 2 for x, y in zip(xs, ys)) / max(n - 2, 1)) ** 0.5
    return b, resid, my


def soak_table(samples):
    """Per replica and metric: first, half-time and last sample, slopes, noise and the verdict."""
    lines = ['| replica | metric | first | half-time | last | slope per hour | 2nd half slope per hour | noise (residual sd) | verdict |',
             '|---|---|---|---|---|---|---|---|---|']
    verdicts = []
    for i in range(2):
        ss = [s for s in samples if s['replica'] == i][1:]  # the first sample is warm-up
        if len(ss) < 6:
            continue
        xs = [s['t'] / 3600 for s in ss]
        h = len(ss) // 2
        for m, unit, div in (('heap', 'MiB', 2**20), ('rss', 'MiB', 2**20), ('direct', 'MiB', 2**20), ('threads', '', 1), ('fds', '', 1)):
            ys = [s[m] / div for s in ss]
            b, sd, mean = slope(xs, ys)
            b2, sd2, mean2 = slope(xs[h:], ys[h:])
            if m in ('threads', 'fds'):
                ok = max(ys[len(ys) * 3 // 4:]) <= max(ys[:max(1, len(ys) // 4)]) + 2
                word = 'flat' if ok else '**grows**'
            else:
                # each half against the same allowance per hour: twice its noise, or 5% of the mean per soak
                b1, sd1, mean1 = slope(xs[:h + 1], ys[:h + 1])
                span1, span2 = xs[h] - xs[0], xs[-1] - xs[h]
                growth1, growth2 = b1 * span1, b2 * span2
                flat1 = growth1 <= max(2 * sd1, 0.05 * mean1 * span1 / (xs[-1] - xs[0]))
                ok = growth2 <= max(2 * sd2, 0.05 * mean2 * span2 / (xs[-1] - xs[0]))
                word = ('flat (within noise)' if flat1 and ok else
                        f'settles: {growth1:+.1f} {unit} in the 1st half, {growth2:+.1f} {unit} (within noise) in the 2nd' if ok else
                        f'**grows**: {growth1:+.1f} {unit} in the 1st half, {growth2:+.1f} {unit} in the 2nd')
            verdicts.append(ok)
            lines.append(f'| gateway{i} | {m} | {ys[0]:.1f} {unit} | {ys[h]:.1f} {unit} | {ys[-1]:.1f} {unit} | {b:+.2f} {unit}/h | '
                         f'{b2:+.2f} {unit}/h | {sd:.2f} | {word} |')
    return lines, verdicts


def nmt_table(nmts, duration):
    """Committed memory per NMT category, start of the soak to its end and over its second half, per
    replica; RSS beside it, and the part of anonymous RSS that NMT does not account for."""
    rows, cols = {}, []
    for i in range(2):
        ns = [n for n in nmts if n['replica'] == i and n['cats']]
        if len(ns) < 2:
            continue
        mid = min(ns, key=lambda n: abs(n['t'] - duration / 2))
        cols.append(i)
        for n in ns:
            n['vals'] = dict(n['cats'], **{'RSS': n['rss'], 'RSS anonymous': n['rss_anon'], 'RSS file-backed': n['rss_file'],
                                          'anonymous RSS − NMT committed': n['rss_anon'] - n['cats'].get('NMT total', 0)})
        for k in set(ns[0]['vals']) | set(ns[-1]['vals']):
            a, m, z = (n['vals'].get(k, 0) / 2**20 for n in (ns[0], mid, ns[-1]))
            rows.setdefault(k, {})[i] = (a, z, z - a, z - m)
    if not cols:
        return ['Native Memory Tracking: no samples (jcmd VM.native_memory failed).']
    fixed = ['RSS', 'RSS anonymous', 'RSS file-backed', 'NMT total', 'anonymous RSS − NMT committed']
    cats = sorted((k for k in rows if k not in fixed), key=lambda k: -max(abs(v[2]) for v in rows[k].values()))
    cats = [k for k in cats if max(max(abs(v[0]), abs(v[1])) for v in rows[k].values()) >= 0.05]
    head = '| | ' + ' | '.join(f'gateway{i} start | end | change | 2nd half' for i in cols) + ' |'
    lines = ['Committed memory per Native Memory Tracking category (`jcmd PID VM.native_memory summary`, MiB) '
             'at the start of the soak and at its end; "2nd half": the change from the sample nearest half-time to the '
             'end. RSS is read right after each NMT sample. NMT counts what the JVM commits (committed is not all '
             'resident), not glibc\'s own malloc overhead, native libraries\' allocations or their code: '
             'the last row is what is left of anonymous RSS.', '',
             head, '|---|' + '---|' * (4 * len(cols))]
    for k in fixed[:4] + cats + fixed[4:]:
        if k in rows:
            name = f'**{k}**' if k in fixed else k
            lines.append(f'| {name} | ' + ' | '.join(
                '{:.1f} | {:.1f} | {:+.1f} | {:+.1f}'.format(*rows[k][i]) if i in rows[k] else '– | – | – | –'
                for i in cols) + ' |')
    return lines


def soak(sys_, load, streams, duration, out):
    samples, nmts, t0 = [], [], time.monotonic()
    k, churn = 0, ['b1', 'b2', 'b3']
    next_edit, next_churn, next_sample, next_nmt = 30, 60, 0, 0
    while (el := time.monotonic() - t0) < duration:
        if el >= next_sample:
            for i in range(2):
                samples.append(sample(sys_, i, el))
            s0 = samples[-2]
            log(f'soak {el:.0f}/{duration:.0f} s: heap {s0["heap"] / 2**20:.1f} MiB, rss {s0["rss"] / 2**20:.0f} MiB, '
                f'threads {s0["threads"]}, fds {s0["fds"]}')
            next_sample += 10
        if el >= next_nmt:
            for i in range(2):
                nmts.append(nmt(sys_, i, el))
            next_nmt += 60
        if el >= next_edit:
            k += 1
            sys_.put(k % 2, 'routes', 'flip', sys_.flip_route(('flip-a', 'flip-b')[k % 2]))
            next_edit += 30
        if el >= next_churn:
            bid = churn[(k // 2) % 3]
            sys_.backends[bid][1].send(signal.SIGKILL)
            sys_.backends[bid][1].p.wait()
            time.sleep(3)
            sys_.start_backend(bid)
            next_churn += 60
        time.sleep(0.5)
    for i in range(2):
        subprocess.run(['jcmd', str(sys_.replicas[i].p.pid), 'GC.run'], capture_output=True, timeout=30)
        nmts.append(nmt(sys_, i, time.monotonic() - t0))  # the end of the soak, after a full GC like every sample
    # How much of RSS is memory glibc's malloc holds free (freed by the JVM's compiler arenas, Netty,
    # JNI...) rather than memory in use: ask it to return that to the OS, after the last sample.
    trims = []
    for i in range(2):
        r = subprocess.run(['jcmd', str(sys_.replicas[i].p.pid), 'System.trim_native_heap'], capture_output=True,
                           text=True, timeout=30)
        trims.append(f'gateway{i}: ' + (r.stdout.strip().splitlines() or ['no answer'])[-1])
    leaks = []
    for g in sys_.replicas:
        with open(g.log, errors='replace') as f:
            leaks += [l.strip() for l in f if 'LEAK:' in l]
    rs = load.window(0, 1e9, set(MAIN))
    dump(load, out)
    causes = {}
    for r in rs:
        if failed(r, streams):
            key = f'{r.stream} {r.status or ""} {r.cause or ""}'.strip()
            causes[key] = causes.get(key, 0) + 1
    lines = [f'Duration {duration / 60:.3g} min, {len(rs)} requests, '
             f'{sum(failed(r, streams) for r in rs)} failed, {sum(wrong_upstream(r, streams) for r in rs)} from a wrong upstream; '
             f'a route edit every 30 s, a backend killed and restarted every 60 s; samples every 10 s '
             f'(heap after a forced full GC), Native Memory Tracking every 60 s, Netty leak detection `paranoid`.', '',
             'Failed by status / cause: ' + (', '.join(f'{k}: {v}' for k, v in sorted(causes.items())) or 'none') + '.', '',
             'Each series from its second sample (10 s into the soak) to its last: the least-squares slope over the whole '
             'soak and over its second half, and the residual standard deviation about the whole-soak line. Each half is '
             'flat when the growth of a line fitted to it is within twice its own residual noise or 2.5% of its mean (5% '
             'per soak); a series that grows in the first half and is flat in the second is reported as settling, with '
             'both figures, and passes; one that still grows in the second half fails. Threads and descriptors: the last quarter\'s maximum '
             'against the first quarter\'s, +2.', '']
    with open(os.path.join(out, 'memory.dat'), 'w') as f:
        f.write('# t replica heap_MiB rss_MiB direct_MiB threads fds rss_anon_MiB rss_file_MiB\n')
        for s in samples:
            f.write(f'{s["t"]:.1f} {s["replica"]} {s["heap"] / 2**20:.2f} {s["rss"] / 2**20:.2f} {s["direct"] / 2**20:.2f} '
                    f'{s["threads"]} {s["fds"]} {s["rss_anon"] / 2**20:.2f} {s["rss_file"] / 2**20:.2f}\n')
    with open(os.path.join(out, 'nmt.csv'), 'w') as f:
        f.write('t,replica,category,committed_kb\n')
        for n in nmts:
            for c, v in dict(n['cats'], **{'RSS': n['rss'], 'RSS anonymous': n['rss_anon'], 'RSS file-backed': n['rss_file']}).items():
                f.write(f'{n["t"]:.1f},{n["replica"]},{c},{v // 1024}\n')
    table, verdicts = soak_table(samples)
    lines += table
    lines += ['', f'Leak reports (`LEAK:` in the gateway logs): {len(leaks)}'] + [f'    {l}' for l in leaks[:5]]
    lines += ['', '### Where the memory is', ''] + nmt_table(nmts, duration)
    lines += ['', 'After the last sample, `jcmd PID System.trim_native_heap` (glibc returns the free memory it '
              'holds to the OS; RSS before and after): ' + '; '.join(trims) + '.']
    png = memory_figure(out)
    if png:
        lines += ['', f'![RSS, anonymous RSS, NMT committed and heap after GC per replica]({os.path.basename(png)})']
    return lines, all(verdicts) and not leaks


def memory_figure(out):
    """RSS, anonymous RSS, heap after GC (memory.dat) and NMT committed (nmt.csv) per replica over the soak."""
    if not shutil.which('gnuplot'):
        return None
    png = os.path.join(out, 'soak-memory.png')
    series = {}  # (replica, what) -> [(t, MiB)]
    with open(os.path.join(out, 'memory.dat')) as f:
        for line in f:
            if not line.startswith('#'):
                v = line.split()
                for what, col in (('rss', 3), ('anon', 7), ('heap', 2)):
                    series.setdefault((int(v[1]), what), []).append((v[0], v[col]))
    with open(os.path.join(out, 'nmt.csv')) as f:
        for line in f:
            t, r, c, v = line.rstrip('\n').split(',')
            if c == 'NMT total':
                series.setdefault((int(r), 'nmt'), []).append((t, f'{int(v) / 1024:.2f}'))
    plot_dir = os.path.join(out, 'plot')
    os.makedirs(plot_dir, exist_ok=True)
    for (i, what), pts in series.items():
        with open(os.path.join(plot_dir, f'{what}{i}.dat'), 'w') as f:
            f.writelines(f'{t} {y}\n' for t, y in pts)
    gp = [f'set terminal pngcairo size 1400,600 font ",10"' if has_cairo() else 'set terminal png size 1400,600',
          f"set output '{png}'", 'set xlabel "seconds into the soak"', 'set ylabel "MiB"', 'set yrange [0:*]',
          'set key right center', 'set grid']
    plots = []
    for i, color in ((0, '#1f77b4'), (1, '#d62728')):
        for what, style, title in (('rss', 'lines lw 2', 'RSS'), ('anon', 'lines dt 2', 'anonymous RSS'),
                                   ('nmt', 'linespoints pt 7 ps 0.5', 'NMT committed'), ('heap', 'lines dt 3', 'heap after GC')):
            if (i, what) in series:
                plots.append(f"'{plot_dir}/{what}{i}.dat' using 1:2 with {style} lc rgb '{color}' title 'gateway{i} {title}'")
    gp.append('plot ' + ', '.join(plots))
    subprocess.run(['gnuplot'], input='\n'.join(gp), text=True, capture_output=True, timeout=60)
    return png if os.path.exists(png) else None


# ---------------------------------------------------------------- report

def timeline(load, streams, out, marks, name):
    rs = load.window(0, 1e9, set(MAIN))
    if not rs:
        return None
    end = int(max(r.t for r in rs)) + 1
    buckets = [[] for _ in range(end + 1)]
    for r in rs:
        buckets[int(r.t)].append(r)
    dat = os.path.join(out, name + '.dat')
    with open(dat, 'w') as f:
        for sec, b in enumerate(buckets):
            if b:
                ok = sum(1 for r in b if not failed(r, streams))
                f.write(f'{sec} {100.0 * ok / len(b):.2f} {pct([r.lat for r in b], 99) * 1000:.1f}\n')
    png = os.path.join(out, name + '.png')
    if not shutil.which('gnuplot'):
        return None
    gp = [f'set terminal pngcairo size 1400,600 font ",10"' if has_cairo() else 'set terminal png size 1400,600',
          f"set output '{png}'", 'set xlabel "seconds since load start"', 'set ylabel "success %"',
          'set y2label "p99 latency (ms)"', 'set yrange [0:105]', 'set y2range [0:*]', 'set ytics nomirror',
          'set y2tics', 'set key bottom left', 'set grid']
    for t, label in marks:
        gp.append(f'set arrow from {t:.1f}, graph 0 to {t:.1f}, graph 1 nohead lc rgb "#999999" dt 2')
        gp.append(f'set label "{label}" at {t:.1f}, graph 0.97 rotate by 90 right font ",9"')
    gp.append(f"plot '{dat}' using 1:2 with lines lw 2 title 'success % (all but /limited)', "
              f"'{dat}' using 1:3 axes x1y2 with lines title 'p99 ms'")
    subprocess.run(['gnuplot'], input='\n'.join(gp), text=True, capture_output=True, timeout=60)
    return png if os.path.exists(png) else None


def dump(load, out):
    with open(os.path.join(out, 'records.csv'), 'w') as f:
        f.write('t,sent,latency,stream,replica,status,backend,service,cause,note\n')
        for r in sorted(load.records, key=lambda r: r.t):
            f.write(f'{r.t:.3f},{r.sent:.3f},{r.lat:.4f},{r.stream},{r.replica},{r.status},{r.backend or ""},'
                    f'{r.service or ""},{r.cause or ""},{r.note or ""}\n')


def has_cairo():
    if not shutil.which('gnuplot'):
        return False
    r = subprocess.run(['gnuplot', '-e', 'set terminal'], capture_output=True, text=True)
    return 'pngcairo' in (r.stdout + r.stderr)


def machine():
    cpu = 'unknown cpu'
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next(l.split(':', 1)[1].strip() for l in f if l.startswith('model name'))
    except Exception:
        pass
    mem = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30
    java = subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]
    etcd = subprocess.run(['etcd', '--version'], capture_output=True, text=True).stdout.splitlines()[0]
    return (f'{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.platform()}, {java}, {etcd}, '
            f'load average at the end {os.getloadavg()[0]:.1f}')


def commit():
    """The checkout the suite (and, built from it, the jar) ran from; `+changes` when it had uncommitted edits."""
    git = lambda *a: subprocess.run(['git', '-C', ROOT, *a], capture_output=True, text=True).stdout.strip()
    head = git('log', '-1', '--format=%h %s')
    return (f'`{head.split(" ", 1)[0]}` ({head.split(" ", 1)[1] if " " in head else ""})'
            + (' +changes' if git('status', '--porcelain', '--untracked-files=no') else '')) if head else 'unknown'


TARGETS = {
    1: 'zero failed idempotent requests', 2: 'zero failed idempotent requests', 3: 'zero failed idempotent requests',
    4: 'zero failed requests while etcd is down; convergence within 1 s of its return',
    5: 'limits degrade to the local share, over-admission ≤ 10%', 6: 'zero failed idempotent requests',
    7: 'zero failed idempotent requests, no answer from a wrong or stale upstream',
    8: 'zero failed idempotent requests, the bad keys rejected', 9: 'zero false 401s (and no failed requests)',
    10: 'zero failed idempotent requests', '11a': 'zero failed idempotent requests',
    '11b': 'zero failed idempotent requests; time until the blackholed endpoint stops getting requests'}


def verdict(r):
    if 'breakage' in r:
        return False, 'BROKEN: ' + r['breakage']
    n = r['num']
    if n == '11a':
        ok = r['failed'] == 0 and not r.get('partition_stale')
        return ok, f'{r["failed"]} failed' + (', a write during the partition did not reach both replicas' if r.get('partition_stale') else '')
    if n == '11b':
        oor = r.get('out_of_rotation')
        return r['failed'] == 0 and oor is not None, f'{r["failed"]} failed, out of rotation on both replicas after ' + (
            f'{oor * 1000:.0f} ms' if oor is not None else 'never')
    if n == 5:
        ok = r['failed'] == 0 and r.get('over_admission', 1) <= 0.10
        return ok, f'over-admission {r.get("over_admission", 0) * 100:+.1f}%, {r["failed"]} failed'
    if n == 9:
        ok = r['false401'] == 0 and r['failed'] == 0
        return ok, f'{r["false401"]} false 401s, {r["failed"]} failed'
    if n == 4:
        ok = r['failed'] == 0 and r.get('propagation', 9) <= 1.0
        return ok, (f'{r.get("failed_down", 0)} failed while etcd was down, {r["failed"] - r.get("failed_down", 0)} after its return; '
                    f'converged {r.get("propagation", 0) * 1000:.0f} ms after the cluster was healthy')
    if n == 7:
        ok = r['failed'] == 0 and r.get('stale', 0) == 0 and r['wrong'] == 0
        return ok, f'{r["failed"]} failed, {r.get("stale", 0)} stale answers'
    return r['failed'] == 0, f'{r["failed"]} failed'


def report(args, sys_, results, baseline, png, start_s, soak_lines, cmd, skipped):
    lines = ['# Soak' if soak_lines else '# Failure matrix', '',
             f'Command: `{cmd}`  ', f'Machine: {machine()}  ', f'Commit: {commit()}  ',
             f'Date: {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}  ',
             f'System: a 3-member etcd cluster, Redis, 2 Portico replicas (`instances: 1`, '
             f'`{" ".join(replica_jvm(bool(soak_lines))[1:])}`: the options of gateway-dist/jvm.options in a '
             f'{POD_RAM[:-1]} MiB pod) '
             f'reading every route and upstream from etcd, 3 backends of service `main` registered through the admin API '
             f'with a 5 s TTL (each backend heartbeats its own registration every second), 2 static backends '
             f'(`flip-a`, `flip-b`), a JWKS server. Everything on 127.0.0.1, started in {start_s:.0f} s.  ',
             'Load (open loop, alternating the two replicas): `/api` 60/s (upstream `main`, retries 3, per-try '
             'timeout 500 ms), `/flip` 20/s (the route scenario 7 edits), `/auth` 20/s (jwt-auth, RS256 via JWKS), '
             f'`/limited` {2 * LIMIT}/s against a shared limit of {LIMIT}/s (Redis, `on-store-failure: local`, '
             '`local-share: 0.5`)' + (', `/net` 20/s (3 backends on test hosts of their own)' if sys_.net else '')
             + '. A request counts as failed when its answer is not 200 (not 200/429 on `/limited`) '
             'or it got none. Figures below are for every stream but `/limited`.', '',
             (f'The whole soak ({baseline["sent"]} requests): ' if soak_lines else
              f'Healthy baseline ({baseline["sent"]} requests before the first injection): ')
             + f'{baseline["failed"]} failed, p99 {baseline["p99"] * 1000:.0f} ms.', '']
    if png:
        lines += [f'![success rate and p99 over time, injections marked]({os.path.basename(png)})', '']
    if not soak_lines:
        lines += ['## Targets', '']
    for r in results:
        ok, why = verdict(r)
        lines.append(f'- {"met" if ok else "**MISSED**"}: scenario {r["num"]} ({r["title"]}): {TARGETS[r["num"]]}: {why}')
    for s in skipped:
        lines.append(f'- skipped: {s}')
    if not soak_lines:  # the matrix's sections
        lines += ['', '## Per injection', '',
                  '| # | injection | sent | failed | failed by status / cause | longest failure window | healthy after | wrong upstream | p99 |',
                  '|---|---|---|---|---|---|---|---|---|']
        for r in results:
            causes = ', '.join(f'{k}: {v}' for k, v in sorted(r['causes'].items())) or '–'
            lines.append(f'| {r["num"]} | {r["title"]} | {r["sent"]} | {r["failed"]} | {causes} | {r["window"] * 1000:.0f} ms | '
                         f'{r["healthy"]:.2f} s | {r["wrong"]} | {r["p99"] * 1000:.0f} ms |')
        lines += ['', '"healthy after": from the end of the fault (the injection itself for one-shot faults) to the end of '
                  'the last failed request. "longest failure window": failures less than 0.5 s apart, first to last.', '']
        for r in results:
            lines.append(f'### {r["num"]}. {r["title"]}')
            lines.append('')
            for n in r.get('notes', []):
                lines.append(f'- {n}')
            for k, v in r['client_notes'].items():
                lines.append(f'- client side: {k}: {v} requests')
            if 'breakage' in r:
                lines.append(f'- **breakage**: {r["breakage"]}')
            lines.append(f'- recovered (≤ 10% failures in the last 2 s of the window): {"yes" if r["recovered"] else "**no**"}')
            lines.append('')
    if soak_lines:
        lines += ['## Soak', ''] + soak_lines + ['']
    return '\n'.join(lines) + '\n'


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--short', action='store_true', help='each injection once with short faults (CI)')
    ap.add_argument('--soak', action='store_true', help='steady load with config edits and endpoint churn instead of the matrix')
    ap.add_argument('--duration', default='30m', help='soak duration: 90s, 30m, 2h')
    ap.add_argument('--only', default='', help='comma-separated scenario numbers')
    ap.add_argument('--no-net', action='store_true', help='skip scenario 11 (network namespaces)')
    ap.add_argument('--out', default=os.path.join(HERE, 'out'))
    ap.add_argument('--cmd', default='loadtest/chaos/run.sh', type=str.strip)
    args = ap.parse_args()
    if not os.path.exists(JAR):
        print(f'no {JAR}: build it first', file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix='portico-chaos-')
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(3))
    why_no_net = 'not with --soak' if args.soak else '--no-net' if args.no_net else Net.probe()
    if why_no_net is None and not shutil.which('tc'):
        why_no_net = 'tc is not installed'
    net = Net() if why_no_net is None else None
    if net is None and not args.soak:
        log(f'scenario 11 skipped: namespaces cannot be made here ({why_no_net})')
    try:
        sys_ = System(work, soak=args.soak, net=net)
    except Breakage as e:
        if net:
            net.down()
        print(f'chaos: BROKEN: {e}', file=sys.stderr)
        return 2
    code, load = 0, None
    try:
        log(f'starting etcd x3, redis, 2 gateways, backends in {work}')
        start_s = sys_.start()
        load = Load(sys_.ports, list(streams_for(sys_).values()), time.monotonic())
        streams = {s.name: s for s in load.streams}
        load.start()
        # warm-up: the first seconds of a fresh JVM are not what the matrix or the soak measure
        warm = 10 if args.short or args.soak else 20
        time.sleep(warm)
        with load.lock:
            load.records = []
        if args.soak:
            m = re.fullmatch(r'(\d+)([smh]?)', args.duration)
            dur = int(m.group(1)) * {'s': 1, 'm': 60, 'h': 3600, '': 1}[m.group(2)]
            soak_lines, ok = soak(sys_, load, streams, dur, args.out)
            load.stop()
            text = report(args, sys_, [], analyse(load.window(0, 1e9), streams, 0, 0, MAIN),
                          timeline(load, streams, args.out, [], 'soak'), start_s, soak_lines, args.cmd, [])
            path = os.path.join(args.out, 'soak.md')
            code = 0 if ok else 1
        else:
            time.sleep(5)
            baseline = analyse(load.window(warm, warm + 5), streams, 0, 0, MAIN)
            mx = Matrix(sys_, load, streams, args.short)
            plan = [(1, 'kill -9 one backend', mx.kill_backend), (2, 'SIGSTOP one backend, then SIGCONT', mx.stop_backend),
                    (3, 'kill -9 the etcd leader', mx.kill_leader), (4, 'whole etcd cluster down', mx.stop_etcd),
                    (5, 'Redis down', mx.stop_redis), (6, 'SIGTERM one replica (drain), start it again', mx.drain_replica),
                    (7, 'route edits through the admin API', mx.route_edits), (8, 'invalid route written into etcd', mx.invalid_route),
                    (9, 'JWKS key rotation, then the JWKS server down', mx.jwks), (10, 'a backend answers 503', mx.backend_503)]
            skipped = []
            if sys_.net:
                plan += [('11a', 'etcd leader partitioned from the other members', mx.partition),
                         ('11b', 'one backend blackholed', mx.blackhole)]
                skipped.append('scenario 11, 200 ms delay with 5% loss: this kernel has no netem qdisc '
                               '(`tc qdisc add ... netem` answers "Specified qdisc kind is unknown")')
            else:
                skipped.append(f'scenario 11 (network namespaces): {why_no_net}')
            only = {x for x in args.only.split(',') if x}
            for num, title, fn in plan:
                if not only or str(num) in only:
                    mx.run(num, title, TARGETS[num], fn, MAIN)
            time.sleep(3)
            final = load.window(mx.now() - 3, mx.now(), set(MAIN))
            load.stop()
            dump(load, args.out)
            marks = [(r['start'], f'{r["num"]}') for r in mx.results]
            png = timeline(load, streams, args.out, marks, 'failure-matrix')
            text = report(args, sys_, mx.results, baseline, png, start_s, None, args.cmd, skipped)
            path = os.path.join(args.out, 'failure-matrix.md')
            broken = [r for r in mx.results if 'breakage' in r or r['wrong'] or r.get('stale')]
            final_ok = bool(final) and sum(failed(r, streams) for r in final) <= 0.1 * len(final)
            missed = [r['num'] for r in mx.results if not verdict(r)[0]]
            code = 1 if broken or not final_ok else 0
            print(f'chaos: {len(mx.results)} injections, {sum(r["sent"] for r in mx.results)} requests, '
                  f'{sum(r["failed"] for r in mx.results)} failed, {sum(r["wrong"] for r in mx.results)} wrong-upstream, '
                  f'targets missed: {missed or "none"}, breakage: {[r["num"] for r in broken] or "none"}, '
                  f'recovered at the end: {"yes" if final_ok else "NO"} -> {"FAIL" if code else "OK"}; report {path}')
        with open(path, 'w') as f:
            f.write(text)
        log(f'report: {path}')
    except Breakage as e:
        print(f'chaos: BROKEN: {e}', file=sys.stderr)
        code = 2
    finally:
        if load and load.running:
            load.running = False
        Proc.stop_all()
        if net:
            net.down()
        shutil.rmtree(os.path.join(args.out, 'logs'), ignore_errors=True)
        shutil.copytree(sys_.logs, os.path.join(args.out, 'logs'), dirs_exist_ok=True)
        if code == 0:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f'chaos: logs kept in {work}/logs', file=sys.stderr)
    return code


if __name__ == '__main__':
    sys.exit(main())
