"""Benchmark: a burst of visit saves while a gunicorn worker is killed (SIGKILL), counting what
the clients' successes really left in the database.

Issue 16 part 3: requests lost, duplicated or half-saved must all be 0 for the requests the
client saw succeed, and retries are safe by an idempotency key.

The path: the offline hari buka's sync endpoint (POST /offline/posyandu/<id>/sinkron/), the one
write path that carries a client idempotency key: each visit record has the UUID the phone made
when the kader saved it (apps/offline/services.py: the SyncRecord is written in the visit's own
transaction, and a retry of the same UUID is answered from it). The online visit form needs no
key: it edits a visit that already exists (made when the kader marks the person present), so
resending it updates the same row.

What it does, all on loopback and undone at the end:
- creates its own PostgreSQL database (127.0.0.1:5432, user postgres), migrates, loads the regions
  of Provinsi Bengkulu and the demo of Kota Bengkulu (or, with --database-url, uses a migrated
  database that already holds the demo, as the test does);
- gives each client a kader account on its own Posyandu and children to weigh;
- starts gunicorn (config/gunicorn.py, --workers gthread workers with 4 threads each);
- each client logs in through the login page (session cookie and CSRF token, as a browser), then
  sends one visit per request, each with its own UUID; a failed request (connection cut, 5xx) is
  sent again with the same UUID until it is answered;
- run 1, the baseline: the burst with nothing killed; run 2: the same burst (other children)
  while a killer SIGKILLs the busiest worker (--kills times, spread over the burst; gunicorn's
  master starts a new one);
- then reads the database: for every save a client saw succeed, the visit must exist with the
  weight sent and its results computed, once, with its sync record; nothing may exist that no
  client was told about.
Prints both runs' throughput and the ratio, the retries, the answers replayed from an earlier
attempt, and the counts; exits 1 if any of lost, duplicated, half-saved or given up is not 0.

Usage: .venv/bin/python bench/bench_kill_worker.py [--clients 8] [--saves 60] [--workers 3] [--kills 2]
       [--quick] [--database-url postgres://...]
It is not a test (apps/offline/tests/test_kill_worker.py runs it with --quick); the throughput
figures depend on the machine (CPU count and load average are printed).
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import secrets
import signal
import statistics
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_visit_load as load  # noqa: E402 - the database, Django and gunicorn helpers

HOST = load.HOST
MAX_ATTEMPTS = 30
WARM_UP = 3  # saves per client before the baseline (workers' database connections opened), not counted


@dataclass
class Client:
    username: str
    password: str
    posyandu_id: int
    children: list[int]  # person ids, one visit each
    cookies: dict[str, str] = field(default_factory=dict)


@dataclass
class Save:
    """One visit the client saved: its key, what it sent and what it was told."""

    key: str
    person_id: int
    weight: str
    attempts: int = 0
    ok: bool = False
    object_id: int | None = None
    replayed: bool = False
    latency_ms: float = 0.0
    failure: str = ""


@dataclass
class Phase:
    name: str
    saves: list[Save] = field(default_factory=list)
    wall_s: float = 0.0
    killed: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def done(self) -> int:
        return sum(1 for s in self.saves if s.ok)

    @property
    def throughput(self) -> float:
        return self.done / self.wall_s if self.wall_s else float("nan")

    def pct(self, p: float) -> float:
        ordered = sorted(s.latency_ms for s in self.saves if s.ok)
        return ordered[max(0, min(len(ordered) - 1, int(len(ordered) * p / 100)))] if ordered else float("nan")


# --- Set-up --------------------------------------------------------------------------------------

def prepare(n_clients: int, per_client: int, seed_demo: bool) -> tuple[list[Client], dt.date]:
    from django.core.management import call_command
    from django.db import transaction

    from apps.accounts.models import Assignment, Role, User
    from apps.people.models import Person
    from apps.posyandu.models import Posyandu

    started = time.perf_counter()
    if seed_demo:
        from apps.demo.services import build_demo_area
        from apps.regions.services import load_regions

        call_command("migrate", verbosity=0)
        load_regions(prefixes=("17",))
        build_demo_area("17.71", per_village=1)
    day = dt.date.today() - dt.timedelta(days=1)
    run = secrets.token_hex(3)  # a second run on the same database makes its own accounts
    places = list(Posyandu.objects.filter(regency_code="17.71").select_related("village").order_by("pk")[:n_clients])
    if len(places) < n_clients:
        raise SystemExit(f"only {len(places)} Posyandu in Kota Bengkulu; need {n_clients}")
    clients = []
    with transaction.atomic():
        for i, place in enumerate(places):
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(f"bench.kill.{run}.{i:02d}", password=password, role=Role.KADER)
            Assignment.objects.create(user=user, posyandu=place, can_write=True)
            children = []
            for c in range(2 * per_client + WARM_UP):  # a half per run, then the warm-up's; 12-18 months, so
                # 9-10.4 kg and 78 cm are usual values
                child = Person(name=f"Anak Uji Henti {run} {i:02d}-{c:03d}", sex="LP"[c % 2], posyandu=place,
                               birth_date=day - dt.timedelta(days=365 + (7 * c) % 180), region=place.village)
                child.set_region_code(place.village.code)
                children.append(child)
            Person.objects.bulk_create(children)
            clients.append(Client(user.username, password, place.pk, [c.pk for c in children]))
    print(f"set-up: {time.perf_counter() - started:.1f} s ({n_clients} kader, {2 * per_client + WARM_UP} children each)")
    return clients, day


# --- HTTP ----------------------------------------------------------------------------------------

def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def login(port: int, client: Client) -> None:
    """As a browser does: the login page sets the CSRF cookie and token, the POST the session."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            conn.request("GET", "/masuk/", headers={"Host": HOST})
            page = conn.getresponse()
            body = page.read().decode()
            _cookies(page, client.cookies)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
            if token is None:
                raise SystemExit(f"no CSRF token on the login page (HTTP {page.status}): {body[:300]}")
            form = urlencode({"username": client.username, "password": client.password,
                              "csrfmiddlewaretoken": token.group(1)})
            conn.request("POST", "/masuk/", body=form, headers={
                "Host": HOST, "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": _cookie_header(client.cookies)})
            answer = conn.getresponse()
            answer.read()
            _cookies(answer, client.cookies)
            conn.close()
            if answer.status == 302 and "sessionid" in client.cookies:
                return
            raise SystemExit(f"login of {client.username} answered {answer.status}")
        except (OSError, http.client.HTTPException):
            time.sleep(0.1 * (attempt + 1))
    raise SystemExit(f"login of {client.username} never answered")


def send(port: int, client: Client, saves: list[Save], day: dt.date, phase: Phase, start: threading.Barrier) -> None:
    """Save each visit; on a cut connection or a 5xx, send the same record (same UUID) again."""
    conn: http.client.HTTPConnection | None = None
    path = f"/offline/posyandu/{client.posyandu_id}/sinkron/"
    start.wait()
    for save in saves:
        record = {"uuid": save.key, "kind": "visit", "saved_at": dt.datetime.now(dt.UTC).isoformat(),
                  "data": {"date": day.isoformat(), "person": save.person_id,
                           "fields": {"weight_kg": save.weight, "height_cm": "78.0", "position": "l"}}}
        body = json.dumps({"records": [record]})
        t0 = time.perf_counter()
        while save.attempts < MAX_ATTEMPTS and not save.ok:
            save.attempts += 1
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, port, timeout=30)
                conn.request("POST", path, body=body, headers={
                    "Host": HOST, "Content-Type": "application/json", "Cookie": _cookie_header(client.cookies),
                    "X-CSRFToken": client.cookies["csrftoken"]})
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as exc:
                save.failure = type(exc).__name__
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.05 * save.attempts)
                continue
            if response.status >= 500:
                save.failure = f"HTTP {response.status}"
                time.sleep(0.05 * save.attempts)
                continue
            if response.status != 200:
                save.failure = f"HTTP {response.status} {payload[:200]!r}"
                break  # a 4xx is the request's own fault: retrying would not help
            outcome = json.loads(payload)["results"][0]
            if outcome["status"] != "diterima":
                save.failure = f"{outcome['status']}: {outcome['message']}"
                break
            save.ok, save.object_id, save.replayed = True, outcome["object_id"], outcome["replayed"]
            save.latency_ms = (time.perf_counter() - t0) * 1000
        with phase.lock:
            phase.saves.append(save)
    if conn is not None:
        conn.close()


# --- Workers -------------------------------------------------------------------------------------

def workers(master: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == master:
                found.append(int(entry))
    return sorted(found)


def sockets(pid: int) -> int:
    try:
        return sum(1 for fd in os.listdir(f"/proc/{pid}/fd") if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"))
    except OSError:
        return 0


def killer(master: int, phase: Phase, total: int, kills: int, n_workers: int, stop: threading.Event) -> None:
    """SIGKILL the worker holding the most connections at each 1/(kills+1) of the burst."""
    for k in range(1, kills + 1):
        while not stop.is_set() and len(phase.saves) < total * k / (kills + 1):
            time.sleep(0.005)
        if stop.is_set():
            return
        alive = workers(master)
        if not alive:
            return
        victim = max(alive, key=sockets)
        os.kill(victim, signal.SIGKILL)
        phase.killed.append(victim)
        deadline = time.monotonic() + 30  # the master notices and forks a new worker
        while time.monotonic() < deadline and not stop.is_set():
            now = workers(master)
            if victim not in now and len(now) >= n_workers:
                break
            time.sleep(0.02)


def burst(port: int, clients: list[Client], plans: list[list[Save]], day: dt.date, phase: Phase,
          master: int, kills: int, n_workers: int) -> Phase:
    start = threading.Barrier(len(clients) + 1)
    threads = [threading.Thread(target=send, args=(port, c, plan, day, phase, start)) for c, plan in zip(clients, plans)]
    stop = threading.Event()
    kill_thread = threading.Thread(target=killer, args=(master, phase, sum(map(len, plans)), kills, n_workers, stop))
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    if kills:
        kill_thread.start()
    for t in threads:
        t.join()
    phase.wall_s = time.perf_counter() - t0
    stop.set()
    if kills:
        kill_thread.join()
    return phase


# --- The count -----------------------------------------------------------------------------------

@dataclass
class Count:
    succeeded: int = 0
    lost: int = 0
    duplicated: int = 0
    half_saved: int = 0
    gave_up: int = 0
    unanswered_saves: int = 0
    examples: list[str] = field(default_factory=list)


def count(phases: list[Phase], clients: list[Client], day: dt.date) -> Count:
    from decimal import Decimal

    from django.db.models import Count as DbCount

    from apps.offline.models import SyncRecord, SyncStatus
    from apps.serviceday.models import Referral, Visit

    result = Count()
    saves = [s for p in phases for s in p.saves]
    children = [pk for c in clients for pk in c.children]
    visits: dict[int, list[Visit]] = {}
    for visit in Visit.objects.filter(person_id__in=children):
        visits.setdefault(visit.person_id, []).append(visit)
    records = {str(r.uuid): r for r in SyncRecord.objects.filter(uuid__in=[s.key for s in saves])}
    referrals = dict(Referral.objects.filter(visit__person_id__in=children).values("visit_id")
                     .annotate(n=DbCount("pk")).values_list("visit_id", "n"))

    def note(kind: str, save: Save, detail: str) -> None:
        if len(result.examples) < 10:
            result.examples.append(f"{kind}: {save.key} person {save.person_id}: {detail}")

    for save in saves:
        if not save.ok:
            result.gave_up += 1
            note("gave up", save, f"{save.attempts} attempts, last {save.failure}")
            continue
        result.succeeded += 1
        mine = visits.get(save.person_id, [])
        record = records.get(save.key)
        if not mine or record is None:
            result.lost += 1
            note("lost", save, f"{len(mine)} visits, sync record {'present' if record else 'missing'}")
            continue
        if len(mine) > 1 or referrals.get(mine[0].pk, 0) > 1:
            result.duplicated += 1
            note("duplicated", save, f"{len(mine)} visits, {referrals.get(mine[0].pk, 0)} referrals")
        visit = mine[0]
        whole = (visit.pk == save.object_id == record.object_id and record.status == SyncStatus.ACCEPTED
                 and visit.visit_date == day and visit.weight_kg == Decimal(save.weight)
                 and visit.zwei is not None and bool(visit.kms_status) and visit.step_measured)
        if not whole:
            result.half_saved += 1
            note("half-saved", save, f"visit {visit.pk} weight {visit.weight_kg} zwei {visit.zwei} "
                                     f"kms {visit.kms_status!r} record {record.status} {record.object_id}")
    told = {s.person_id for s in saves if s.ok}
    result.unanswered_saves = sum(len(v) for pid, v in visits.items() if pid not in told)
    return result


# --- Main ----------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent kader (default 8)")
    parser.add_argument("--saves", type=int, default=60, help="visits per client per run (default 60)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers, 4 threads each (default 3)")
    parser.add_argument("--kills", type=int, default=2, help="workers killed during the second run (default 2)")
    parser.add_argument("--quick", action="store_true", help="4 clients x 15 saves, 2 workers, 1 kill (the test)")
    parser.add_argument("--database-url", default="", help="use this migrated database holding the demo of "
                        "Kota Bengkulu instead of creating one (it is not dropped)")
    args = parser.parse_args()
    if args.quick:
        args.clients, args.saves, args.workers, args.kills = 4, 15, 2, 1
    if args.workers < 2:
        parser.error("--workers: at least 2, so one survives the kill")

    own = not args.database_url
    name = load.create_database() if own else ""
    url = f"postgres://{load.PG['user']}@{load.PG['host']}:{load.PG['port']}/{name}" if own else args.database_url
    proc = None
    # Pages render {% static %}: without collectstatic's manifest, plain static URLs (the saves
    # measured here are JSON; no static file is fetched).
    os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    try:
        load.setup_django(url, secrets.token_urlsafe(32))
        from django.db import connection

        if connection.vendor != "postgresql":
            raise SystemExit("this benchmark runs on PostgreSQL")
        clients, day = prepare(args.clients, args.saves, seed_demo=own)
        connection.close()  # gunicorn forks from a clean state; we reconnect for the count
        port = load.free_port()
        log = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench_kill_worker_{os.getpid()}.log"
        proc = load.start_gunicorn(port, log, load.Server("gthread", args.workers, 4))
        for client in clients:
            login(port, client)

        def plans(first: int, size: int) -> list[list[Save]]:
            return [[Save(str(uuid.uuid4()), pk, f"{9 + (n % 15) / 10:.2f}")
                     for n, pk in enumerate(c.children[first:first + size])] for c in clients]

        warm = burst(port, clients, plans(2 * args.saves, WARM_UP), day, Phase("warm-up"), proc.pid, 0, args.workers)
        baseline = burst(port, clients, plans(0, args.saves), day, Phase("baseline (no kill)"), proc.pid, 0, args.workers)
        killed = burst(port, clients, plans(args.saves, args.saves), day, Phase(f"{args.kills} worker(s) SIGKILLed"), proc.pid,
                       args.kills, args.workers)
        load.stop_gunicorn(proc)
        proc = None
        result = count([warm, baseline, killed], clients, day)  # the warm-up's saves must be whole too
    finally:
        if proc is not None:
            load.stop_gunicorn(proc)
        if own:
            from django.db import connections

            connections.close_all()
            load.drop_database(name)

    print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"server: gunicorn config/gunicorn.py -k gthread -w {args.workers} --threads 4, PostgreSQL; "
          f"{args.clients} clients, {args.saves} visit saves each per run, one visit per request")
    for phase in (baseline, killed):
        retries = sum(s.attempts - 1 for s in phase.saves)
        print(f"{phase.name:<26} {len(phase.saves):>5} sent {phase.done:>5} ok {phase.throughput:7.1f} saves/s  "
              f"p50 {phase.pct(50):6.1f}  p95 {phase.pct(95):6.1f} ms  retries {retries:>3}  "
              f"replayed {sum(s.replayed for s in phase.saves):>3}  workers killed {len(phase.killed)}")
    ratio = killed.throughput / baseline.throughput if baseline.throughput else float("nan")
    print(f"throughput with the kill / baseline: {ratio:.2f}x")
    cut = sum(1 for s in killed.saves if s.attempts > 1)
    print(f"saves sent {len(baseline.saves) + len(killed.saves)}, succeeded {baseline.done + killed.done}, "
          f"cut by a kill and retried {cut} (the {len(warm.saves)} warm-up saves are counted below too)")
    print(f"lost {result.lost}  duplicated {result.duplicated}  half-saved {result.half_saved}  "
          f"gave up {result.gave_up}  saved without an answer {result.unanswered_saves}")
    mean = statistics.fmean(s.attempts for s in killed.saves) if killed.saves else float("nan")
    print(f"attempts per save during the kill run: mean {mean:.2f}, max {max((s.attempts for s in killed.saves), default=0)}")
    for line in result.examples:
        print("  " + line)
    bad = result.lost + result.duplicated + result.half_saved + result.gave_up + result.unanswered_saves
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
