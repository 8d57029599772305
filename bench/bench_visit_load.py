"""Benchmark: saving one measurement through the API and getting its status back, under load.

Bar (issue 4): POST /api/visits/ (a child's weight and length; the server validates, scores it with
the growth engine, computes the KMS status against the child's earlier weighings, proposes a
referral when a rule fires, and returns it all) under 150 ms p95 with 20 concurrent users on
gunicorn + PostgreSQL.

Users, not a flood: a kader saves, reads the answer, and turns to the next child. The bar is judged
on 20 kader who each pause 0.5-1.5 s between saves (--think-ms, default 1 s on average, and
--think-jitter), far less than weighing and measuring a child takes; 20 of them send about 18
saves/s, more than a whole kabupaten's hari buka on one morning. They start at random moments and
their pauses vary, as people's do; the same run in lockstep (exactly 1 s, all starting together, so
20 saves arrive at once every second) is reported beside it. The same 20 clients with no pause at
all (20 requests always in flight) are run and reported too: that run measures the machine's
capacity (saves/s), and its p95 is the time a save waits in line behind 19 others.

What it does, all on loopback, and undone at the end (try/finally):
- creates its own PostgreSQL database (127.0.0.1:5432, user postgres, trust auth), migrates, loads
  the regions of Provinsi Bengkulu and the demo of Kota Bengkulu;
- gives each of N+1 Posyandu a kader account (read-write on that Posyandu only) with an API token,
  100 children of 10-29 months with six months of earlier weighings, and 20 monthly hari buka;
- starts gunicorn with config/gunicorn.py, as production does (--servers adds other worker models
  to compare, each started and measured in turn against the same database);
- runs, each with keep-alive connections from Python threads:
  1. baseline A: the same POST at concurrency 1 (the request's own cost, no queueing);
  2. N concurrent kader (default 20) POSTing visits with no pause for --seconds;
  3. the same N kader pausing exactly --think-ms between saves, all in lockstep (a burst of N at once);
  4. the bar: the same N kader pausing 0.5-1.5 x --think-ms, each starting at a random moment;
  5. baseline B: GET /healthz at the same concurrency (the stack's floor: gunicorn, Django, one query);
- prints count, throughput and p50/p95/p99 per run, the CPU time per save of gunicorn's workers and
  of PostgreSQL, the ratios, and a table per server configuration.

Usage: .venv/bin/python bench/bench_visit_load.py [--clients 20] [--seconds 30] [--think-ms 1000]
       [--servers config,sync:8,gthread:4x4]
It is not a test; the figures depend on the machine (print them with its CPU count) and on what
else runs on it (the load average is printed).
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
BAR_P95_MS = 150.0
DEFAULT_SERVER = "config"  # config/gunicorn.py, what README's production command runs
CHILDREN_PER_POSYANDU = 100
LOAD_MONTHS = 20  # hari buka per Posyandu the load can fill: 100 children x 20 = 2,000 visits per kader
HISTORY_MONTHS = 6  # earlier weighings per child, so the KMS status compares with a real history
HOST = "127.0.0.1"


# --- Database and Django -------------------------------------------------------------------------


def create_database() -> str:
    import psycopg

    name = f"bench_visit_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(database_url: str, secret: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SECRET_KEY"] = secret
    os.environ["DJANGO_SECURE_HTTPS"] = "0"
    os.environ["DJANGO_ALLOWED_HOSTS"] = HOST
    os.environ["AXES_ENABLED"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def month_start(today: dt.date, back: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 10)


def median_weight_kg(sex: int, age_days: int) -> float:
    from growth.tables import load

    return float(load("weianthro").m[sex, min(age_days, 1856)])


def median_length_cm(sex: int, age_days: int) -> float:
    from growth.tables import load

    return float(load("lenanthro").m[sex, min(age_days, 1856)])


@dataclass
class Kader:
    username: str
    token: str
    posyandu_id: int
    # (session id, person id, weight kg, length cm, position), in the order the kader records them
    plan: list[tuple[int, int, str, str, str]] = field(default_factory=list)
    used: int = 0  # rows of the plan already sent (each visit can be created once)


def prepare(n_kader: int, seed: int = 2026) -> list[Kader]:
    """Demo data plus, per Posyandu, a kader with a token, children with history, and hari buka."""
    import random

    from django.core.management import call_command
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from apps.accounts.models import Assignment, Role, User
    from apps.demo.services import build_demo_area, ensure_demo_users
    from apps.people.models import Person
    from apps.posyandu.models import Posyandu
    from apps.regions.services import load_regions
    from apps.serviceday.models import ServiceSession, Visit

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_regions(prefixes=("17",))
    build_demo_area("17.71", per_village=2)
    ensure_demo_users()
    rng = random.Random(seed)
    today = dt.date.today()
    posyandu_list = list(Posyandu.objects.filter(regency_code="17.71").select_related("village").order_by("pk")
                         [:n_kader])
    if len(posyandu_list) < n_kader:
        raise SystemExit(f"only {len(posyandu_list)} Posyandu in the demo; need {n_kader}")
    kaders: list[Kader] = []
    with transaction.atomic():
        for i, posyandu in enumerate(posyandu_list):
            user = User.objects.create_user(f"bench.kader.{i:02d}", password=secrets.token_hex(8), role=Role.KADER)
            Assignment.objects.create(user=user, posyandu=posyandu, can_write=True)
            token = Token.objects.create(user=user).key
            children = []
            for c in range(CHILDREN_PER_POSYANDU):
                sex = rng.choice("LP")
                birth = today - dt.timedelta(days=rng.randint(30 * 29, 30 * 31))
                child = Person(name=f"Anak Uji {i:02d}-{c:03d}", sex=sex, birth_date=birth, region=posyandu.village,
                               posyandu=posyandu)
                child.set_region_code(posyandu.village.code)
                children.append(child)
            Person.objects.bulk_create(children)
            sessions = {back: ServiceSession(posyandu=posyandu, date=month_start(today, back), opened_by=user)
                        for back in range(1, LOAD_MONTHS + HISTORY_MONTHS + 1)}
            ServiceSession.objects.bulk_create(sessions.values())
            # Earlier weighings (only the date and weight matter to the KMS status of later ones).
            history = []
            trend = {}
            for child in children:
                sex = 1 if child.sex == "L" else 2
                trend[child.pk] = rng.gauss(-0.05, 0.10)  # the child's own percentile, kept over months
                for back in range(LOAD_MONTHS + HISTORY_MONTHS, LOAD_MONTHS, -1):
                    day = sessions[back].date
                    age = (day - child.birth_date).days
                    kg = median_weight_kg(sex, age) * (1 + trend[child.pk]) + rng.gauss(0, 0.08)
                    history.append(Visit(session=sessions[back], posyandu=posyandu, person=child, visit_date=day,
                                         stage="balita", age_days=age, weight_kg=round(kg, 2), step_measured=True))
            Visit.objects.bulk_create(history)
            kader = Kader(user.username, token, posyandu.pk)
            # Month by month, every child of the Posyandu: a hari buka as it happens.
            for back in range(LOAD_MONTHS, 0, -1):
                session = sessions[back]
                for child in children:
                    sex = 1 if child.sex == "L" else 2
                    age = (session.date - child.birth_date).days
                    # Most gain weight; some stall or lose (T, 2T and referral proposals happen).
                    kg = median_weight_kg(sex, age) * (1 + trend[child.pk]) + rng.gauss(0, 0.07)
                    cm = median_length_cm(sex, age) * (1 + rng.gauss(-0.02, 0.03))
                    kader.plan.append((session.pk, child.pk, f"{kg:.2f}", f"{cm:.1f}", "l" if age < 731 else "h"))
            kaders.append(kader)
    print(f"set-up: {time.perf_counter() - started:.1f} s ({len(kaders)} kader x {CHILDREN_PER_POSYANDU} children, "
          f"{HISTORY_MONTHS} months of history, {LOAD_MONTHS} hari buka each)")
    return kaders


# --- Server ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Server:
    """A gunicorn configuration: "config" (config/gunicorn.py as it is, what production runs), or
    that file with another worker model: "sync:8" (8 sync workers), "gthread:4x4" (4 x 4 threads)."""

    worker_class: str = ""
    workers: int = 0
    threads: int = 1

    @classmethod
    def parse(cls, text: str) -> Server:
        if text == "config":
            return cls()
        kind, _, size = text.partition(":")
        workers, _, threads = size.partition("x")
        if kind not in ("sync", "gthread") or not workers.isdigit() or (threads and not threads.isdigit()):
            raise SystemExit(f"server {text!r}: expected config, sync:N or gthread:NxT")
        return cls(kind, int(workers), int(threads or 1))

    def args(self) -> list[str]:
        if not self.worker_class:
            return []
        extra = ["--threads", str(self.threads)] if self.worker_class == "gthread" else []
        return ["-k", self.worker_class, "-w", str(self.workers), *extra]

    def __str__(self) -> str:
        return " ".join(self.args()) or "config/gunicorn.py"


def start_gunicorn(port: int, log_path: Path, server: Server) -> subprocess.Popen[bytes]:
    env = {**os.environ}  # DATABASE_URL, DJANGO_SECRET_KEY, DJANGO_SECURE_HTTPS=0, ALLOWED_HOSTS, AXES_ENABLED=0
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "config/gunicorn.py", "config.wsgi", *server.args(),
         "-b", f"{HOST}:{port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}; see {log_path}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer /healthz within 60 s; see {log_path}")


def stop_gunicorn(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # its own session: the master and its workers only
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def cpu_seconds(master_pid: int | None = None, command: str | None = None) -> float | None:
    """CPU time (user + system) so far of gunicorn's workers (children of `master_pid`) or of every
    process named `command` (PostgreSQL's backends: "postgres"), from /proc (Linux); None elsewhere."""
    try:
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    name, _, rest = handle.read().partition(" (")[2].rpartition(")")
                    fields = rest.split()
            except OSError:
                continue
            if (master_pid is not None and int(fields[1]) == master_pid) or (command is not None and name == command):
                total += (int(fields[11]) + int(fields[12])) / tick
        return total
    except (OSError, ValueError):
        return None


# --- Load ------------------------------------------------------------------------------------------


@dataclass
class Run:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    wall_s: float = 0.0
    sample: dict[str, Any] | None = None
    referrals: int = 0
    kms: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        rank = max(1, min(len(ordered), -(-len(ordered) * p // 100)))  # nearest rank
        return ordered[int(rank) - 1]

    def add(self, latencies: list[float], errors: dict[str, int], sample: dict[str, Any] | None,
            referrals: int = 0, kms: dict[str, int] | None = None) -> None:
        with self.lock:
            self.referrals += referrals
            for key, count in (kms or {}).items():
                self.kms[key] = self.kms.get(key, 0) + count
            self.latencies_ms.extend(latencies)
            for key, count in errors.items():
                self.errors[key] = self.errors.get(key, 0) + count
            if self.sample is None:
                self.sample = sample

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.wall_s if self.wall_s else float("nan")

    def line(self) -> str:
        n = len(self.latencies_ms)
        mean = statistics.fmean(self.latencies_ms) if n else float("nan")
        return (f"{self.name:<40} {n:>6} ok {sum(self.errors.values()):>4} err {self.throughput:>7.1f} req/s  "
                f"mean {mean:6.1f}  p50 {self.pct(50):6.1f}  p95 {self.pct(95):6.1f}  p99 {self.pct(99):6.1f}  "
                f"max {max(self.latencies_ms, default=float('nan')):6.1f} ms")


class Window:
    """All clients start together; the clock starts when the last one is ready."""

    def __init__(self, clients: int, seconds: float) -> None:
        self.barrier = threading.Barrier(clients, action=self._start)
        self.seconds = seconds
        self.started = 0.0
        self.deadline = 0.0

    def _start(self) -> None:
        self.started = time.perf_counter()
        self.deadline = self.started + self.seconds

    def wait(self) -> None:
        self.barrier.wait()

    def open(self) -> bool:
        return time.perf_counter() < self.deadline


def post_visits(port: int, kader: Kader, limit: int, run: Run, window: Window, think_s: float = 0.0,
                jitter: float = 0.0) -> None:
    """One kader saving visits. With `think_s`, a pause after each save; with `jitter`, the pause is
    drawn from think_s x [1 - jitter, 1 + jitter] and the first save comes at a random moment of the
    first pause, so that 20 kader do not save in lockstep (as people do not)."""
    import random

    rng = random.Random(kader.username)
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Authorization": f"Token {kader.token}", "Content-Type": "application/json",
               "Accept": "application/json", "Host": HOST}
    latencies: list[float] = []
    errors: dict[str, int] = {}
    kms: dict[str, int] = {}
    referrals = 0
    sample = None
    window.wait()
    if think_s and jitter:
        time.sleep(rng.uniform(0, think_s))
    for session_id, person_id, kg, cm, position in kader.plan[kader.used:kader.used + limit]:
        if not window.open():
            break
        kader.used += 1
        body = json.dumps({"session": session_id, "person": person_id, "weight_kg": kg, "height_cm": cm,
                           "position": position})
        t0 = time.perf_counter()
        conn.request("POST", "/api/visits/", body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        elapsed = (time.perf_counter() - t0) * 1000
        if response.status == 201:
            latencies.append(elapsed)
            result = json.loads(payload)  # parsed after the clock: the client's cost is not the server's
            status = result["kms_status"] or "-"
            kms[status] = kms.get(status, 0) + 1
            referrals += result["referral"] is not None
            if sample is None:
                sample = result
        else:
            key = f"{response.status} {payload[:160]!r}"
            errors[key] = errors.get(key, 0) + 1
        if think_s:  # a kader between two children; not part of the latency
            time.sleep(rng.uniform(think_s * (1 - jitter), think_s * (1 + jitter)) if jitter else think_s)
    conn.close()
    run.add(latencies, errors, sample, referrals, kms)


def get_healthz(port: int, limit: int, run: Run, window: Window) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    window.wait()
    for _ in range(limit):
        if not window.open():
            break
        t0 = time.perf_counter()
        conn.request("GET", "/healthz", headers={"Host": HOST})
        response = conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - t0) * 1000
        if response.status == 200:
            latencies.append(elapsed)
        else:
            errors[str(response.status)] = errors.get(str(response.status), 0) + 1
    conn.close()
    run.add(latencies, errors, None)


def run_clients(run: Run, seconds: float, jobs: list[tuple[Any, tuple[Any, ...]]], **kwargs: Any) -> Run:
    window = Window(len(jobs), seconds)
    threads = [threading.Thread(target=fn, args=(*args, run, window), kwargs=kwargs) for fn, args in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.wall_s = time.perf_counter() - window.started
    return run


# --- Main ------------------------------------------------------------------------------------------


@dataclass
class Measured:
    server: Server
    runs: list[Run]
    bar: Run
    paced: Run | None
    lockstep: Run | None
    cpu_per_save_ms: float | None


def measure(server: Server, name: str, kaders: list[Kader], args: argparse.Namespace, per_client: int) -> Measured:
    """One gunicorn configuration through warm-up, baseline A, the bar, the paced run and baseline B."""
    port = free_port()
    log_path = Path(tempfile.gettempdir()) / f"{name}-gunicorn.log"
    proc = start_gunicorn(port, log_path, server)
    try:
        print(f"\ngunicorn {server} on {HOST}:{port} (log {log_path})")
        solo, loaders = kaders[0], kaders[1:]
        # Warm-up (not counted): every client connects, every worker imports and scores.
        warm = run_clients(Run("warm-up (not counted)"), 10.0, [(post_visits, (port, k, 3)) for k in kaders])
        # At most 400 saves (enough for a p95): the solo kader's 2,000 visits serve several servers.
        base_a = run_clients(Run("baseline A: same POST, concurrency 1"), args.baseline_seconds,
                             [(post_visits, (port, solo, min(per_client, 400)))])
        cpu_before, pg_before = cpu_seconds(proc.pid), cpu_seconds(command="postgres")
        bar = run_clients(Run(f"POST /api/visits/, {args.clients} users, no pause"), args.seconds,
                          [(post_visits, (port, k, per_client)) for k in loaders])
        cpu_after, pg_after = cpu_seconds(proc.pid), cpu_seconds(command="postgres")
        paced = lockstep = None
        if args.think_ms:
            think, jitter = args.think_ms / 1000, args.think_jitter
            lockstep = run_clients(Run(f"same, {args.think_ms:.0f} ms pause, in lockstep"), args.seconds,
                                   [(post_visits, (port, k, per_client)) for k in loaders], think_s=think)
            paced = run_clients(Run(f"same, pause {think * (1 - jitter):.1f}-{think * (1 + jitter):.1f} s (the bar)"),
                                args.seconds, [(post_visits, (port, k, per_client)) for k in loaders],
                                think_s=think, jitter=jitter)
        base_b = run_clients(Run(f"baseline B: GET /healthz, concurrency {args.clients}"), args.baseline_seconds,
                             [(get_healthz, (port, 20_000)) for _ in loaders])
    finally:
        stop_gunicorn(proc)
    runs = [r for r in (warm, base_a, bar, lockstep, paced, base_b) if r is not None]
    for kader in kaders:
        if kader.used >= len(kader.plan):
            print(f"warning: {kader.username} has saved every visit of its plan; later runs have fewer saves")
    for run in runs:
        print(run.line())
        for key, count in sorted(run.errors.items(), key=lambda kv: -kv[1])[:5]:
            print(f"    {count} x {key}")
    if bar.sample:
        sample = bar.sample
        print(f"sample response: stage={sample['stage']} kms_status={sample['kms_status']} zwei={sample['zwei']} "
              f"zlen={sample['zlen']} zwfl={sample['zwfl']} bb_u={sample['bb_u']!r} referral={sample['referral']}")
        print(f"referral proposals returned: {bar.referrals} of {len(bar.latencies_ms)} saves; "
              f"KMS status: {dict(sorted(bar.kms.items()))}")
    per_save = None
    if cpu_before is not None and cpu_after is not None and bar.latencies_ms:
        per_save = (cpu_after - cpu_before) / len(bar.latencies_ms) * 1000
        pg = (pg_after - pg_before) / len(bar.latencies_ms) * 1000 if pg_before is not None and pg_after else 0.0
        print(f"CPU per save: gunicorn workers {per_save:.1f} ms, PostgreSQL {pg:.1f} ms; "
              f"{os.cpu_count()} CPUs give at most ~{os.cpu_count() / (per_save + pg) * 1000:.0f} saves/s")
    print(f"ratio p95 loaded / p95 concurrency 1 (queueing on {os.cpu_count()} CPUs): "
          f"{bar.pct(95) / base_a.pct(95):.1f}x")
    print(f"ratio p95 POST visit / p95 GET /healthz at concurrency {args.clients}: "
          f"{bar.pct(95) / base_b.pct(95):.1f}x; throughput ratio {bar.throughput / base_b.throughput:.2f}")
    return Measured(server, runs, bar, paced, lockstep, per_save)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent kader (default 20)")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the loaded run (default 30)")
    parser.add_argument("--max-requests", type=int, default=2000, help="cap per client (default 2000)")
    parser.add_argument("--think-ms", type=float, default=1000.0,
                        help="mean pause between a kader's saves in the paced runs (default 1000; 0: no paced run)")
    parser.add_argument("--think-jitter", type=float, default=0.5,
                        help="the bar's pauses vary by this fraction either side of --think-ms (default 0.5: 0.5-1.5 s)")
    parser.add_argument("--baseline-seconds", type=float, default=10.0, help="length of each baseline (default 10)")
    parser.add_argument("--servers", default=DEFAULT_SERVER,
                        help=f"gunicorn configurations to compare, comma-separated (default {DEFAULT_SERVER}; "
                             "e.g. sync:8,gthread:4x4)")
    args = parser.parse_args()
    servers = [Server.parse(text.strip()) for text in args.servers.split(",") if text.strip()]
    per_client = min(args.max_requests, CHILDREN_PER_POSYANDU * LOAD_MONTHS)

    name = create_database()
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; database {name} on {PG['host']}")
    try:
        setup_django(f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}", secrets.token_urlsafe(40))
        from django.db import connections
        from django.urls import Resolver404, resolve

        try:
            resolve("/api/visits/")
        except Resolver404:
            raise SystemExit("/api/visits/ is not routed: include apps.serviceday.api.urls in config/api_urls.py") \
                from None
        # One kader more than the load uses: baseline A gets its own Posyandu, children and hari buka.
        kaders = prepare(args.clients + 1)
        connections.close_all()
        load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
        results = [measure(server, name, kaders, args, per_client) for server in servers]
        print(f"\nload average before/after: {load_before} / {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
              "(other processes on the machine share its CPUs)")
        print(f"\n{'gunicorn':<28} {'p95 1 user':>10} {'p95 no pause':>13} {'saves/s':>8} "
              f"{'p95 lockstep':>13} {'p95 paced':>10} {'CPU/save':>9}")
        for m in results:
            base_a = m.runs[1]
            lockstep = f"{m.lockstep.pct(95):8.1f}ms" if m.lockstep else "-"
            paced = f"{m.paced.pct(95):8.1f}ms" if m.paced else "-"
            cpu = f"{m.cpu_per_save_ms:7.1f}ms" if m.cpu_per_save_ms is not None else "-"
            print(f"{str(m.server):<28} {base_a.pct(95):8.1f}ms {m.bar.pct(95):11.1f}ms {m.bar.throughput:8.1f} "
                  f"{lockstep:>13} {paced:>10} {cpu:>9}")
        first = results[0]
        for m in results[1:]:
            print(f"ratio p95 no pause {m.server} / {first.server}: {m.bar.pct(95) / first.bar.pct(95):.2f}x")
        for m in results:
            judged = m.paced or m.bar
            verdict = "met" if judged.pct(95) < BAR_P95_MS and not judged.errors else "MISSED"
            print(f"bar ({m.server}): p95 < {BAR_P95_MS:.0f} ms with {args.clients} users "
                  f"({judged.name}): {verdict} (p95 {judged.pct(95):.1f} ms, {sum(judged.errors.values())} errors)")
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - Django may not be set up yet; the drop below still runs
            pass
        drop_database(name)
        print(f"dropped database {name}")


if __name__ == "__main__":
    main()
