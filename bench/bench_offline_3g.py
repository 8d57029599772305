"""Benchmark: the first load of the offline hari buka on a 3G phone (issue 14: "first load on a 3G
profile under 5 s").

What it does, all on loopback, undone at the end:
- builds a throwaway SQLite database (migrate, load_regions, load_demo: Kota Bengkulu with its
  hari buka history, as `make run` does) and collects the static files twice, as production does:
  `CompressedManifestStaticFilesStorage` (hashed names, gzip and brotli copies, what
  config/settings.py uses) and, for the baseline, `ManifestStaticFilesStorage` (hashed, not
  compressed);
- serves each with gunicorn and config/gunicorn.py (DEBUG off, whitenoise serving the static
  files; 2 workers), one server per static root, both on the same database;
- starts Debian's chromium (headless) and drives it with Playwright over CDP; a second, raw CDP
  connection throttles every target the browser starts, the page *and* its service worker: the
  page-level Network.emulateNetworkConditions does not reach a service worker's own fetches (the
  precache), so the worker would download the day's files unthrottled and the figure would lie;
- per run: a fresh browser context (empty HTTP cache, no service worker, no IndexedDB) at 360 x 740,
  the demo kader logs in through /masuk/ unthrottled, the HTTP cache is cleared, the network
  profile and 4x CPU throttling are applied, and the kader's /offline/posyandu/<id>/ is opened;
  it times the load event and "ready offline" (the service worker controls the page, has
  precached the page's files, and the day's data and rules are in IndexedDB: the page's
  data-ready flag, which the Playwright tests wait for too), then checks the claim: the context
  goes offline, the page is reloaded and must show the roster. The worker's own script
  (/offline/sw.js) is fetched before its target can be throttled: its throttled time (latency +
  its brotli size at the profile's speed, less what it took) is added to "ready" for the verdict;
- counts the bytes on the wire per kind (HTML, CSS, JS, fonts, data) from the CDP network events
  of the page and of the service worker.

Network profiles (latency is added once per request, as DevTools applies it; kbit = 1,000 bits
except where DevTools used 1,024):
  regular-3g  DevTools "Regular 3G" (its preset until 2018): 100 ms, 750 kbit/s down, 250 kbit/s up
              (x1024: 96,000 / 32,000 bytes/s)
  fast-3g     DevTools "Fast 3G", since Chrome 119 named "Slow 4G": 562.5 ms, 1.44 Mbit/s down,
              675 kbit/s up (1.6 Mbit/s and 750 kbit/s times DevTools' 0.9)
  slow-3g     DevTools "Slow 3G", now named "3G": 2,000 ms, 400 kbit/s down and up (500 kbit/s x 0.8)
The bar (5 s) is judged on regular-3g and fast-3g, each with 4x CPU throttling (a cheap phone).
slow-3g is printed for information: with 2 s per request, three requests in a row (page, its CSS,
the CSS's font) already take 6 s, whatever their size.

Baselines measured in the same run, same profile, same page: A) the static files not compressed
(ManifestStaticFilesStorage); B) no network or CPU throttling at all. Each figure is the median of
--repeat runs (every run printed).

Usage: .venv/bin/python bench/bench_offline_3g.py [--repeat 3] [--profiles regular-3g,fast-3g,slow-3g]
       [--cpu 4] [--requests] [--keep | --reuse DIR]
It is not a test; the figures depend on the machine (its CPU count and load average are printed).
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import queue
import secrets
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
HOST = "127.0.0.1"
BAR_MS = 5000.0
PHONE = {"width": 360, "height": 740}
DEMO_PASSWORD = "posyandu-demo-2026"
KADER = "kader.posyandu"


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    latency_ms: float
    down_bps: float  # bytes per second
    up_bps: float


PROFILES = {
    "regular-3g": Profile("regular-3g", 'DevTools "Regular 3G"', 100, 750 * 1024 / 8, 250 * 1024 / 8),
    "fast-3g": Profile("fast-3g", 'DevTools "Fast 3G" (now "Slow 4G")', 150 * 3.75, 1.6e6 / 8 * 0.9, 750e3 / 8 * 0.9),
    "slow-3g": Profile("slow-3g", 'DevTools "Slow 3G" (now "3G")', 400 * 5, 500e3 / 8 * 0.8, 500e3 / 8 * 0.8),
}


# --- A minimal CDP client (RFC 6455 WebSocket, flattened sessions) -------------------------------
class RawCDP:
    """Talks to the browser endpoint itself: Playwright's CDP sessions reach pages only, and the
    service worker's requests must be throttled as well."""

    def __init__(self, ws_url: str) -> None:
        url = urllib.parse.urlparse(ws_url)
        self.sock = socket.create_connection((url.hostname, url.port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {url.path} HTTP/1.1\r\nHost: {url.hostname}:{url.port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"CDP WebSocket refused: {head[:80]!r}")
        self.lock = threading.Lock()
        self.next_id = 0
        self.waiting: dict[int, queue.Queue[dict[str, Any]]] = {}
        self.handlers: list[Any] = []
        threading.Thread(target=self._reader, daemon=True).start()

    def _exact(self, n: int) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return bytes(buf)

    def _reader(self) -> None:
        parts: list[bytes] = []
        try:
            while True:
                b1, b2 = self._exact(2)
                n = b2 & 127
                if n == 126:
                    n = struct.unpack(">H", self._exact(2))[0]
                elif n == 127:
                    n = struct.unpack(">Q", self._exact(8))[0]
                data, opcode = self._exact(n), b1 & 0x0F
                if opcode == 8:
                    return
                if opcode not in (0, 1, 2):
                    continue  # ping/pong: the browser does not require answers on this socket
                parts.append(data)
                if not b1 & 0x80:
                    continue
                message = json.loads(b"".join(parts))
                parts = []
                waiter = self.waiting.pop(message.get("id", -1), None) if "id" in message else None
                if waiter is not None:
                    waiter.put(message)
                else:
                    for handler in self.handlers:
                        handler(message)
        except (EOFError, OSError):
            return

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 30) -> dict[str, Any]:
        with self.lock:
            self.next_id += 1
            mid = self.next_id
            answer: queue.Queue[dict[str, Any]] = queue.Queue()
            self.waiting[mid] = answer
            body: dict[str, Any] = {"id": mid, "method": method, "params": params or {}}
            if session:
                body["sessionId"] = session
            data = json.dumps(body).encode()
            mask = os.urandom(4)
            n = len(data)
            if n < 126:
                head = bytes([0x81, 0x80 | n])
            elif n < 65536:
                head = bytes([0x81, 0x80 | 126]) + struct.pack(">H", n)
            else:
                head = bytes([0x81, 0x80 | 127]) + struct.pack(">Q", n)
            masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            self.sock.sendall(head + mask + masked)
        return answer.get(timeout=timeout)


@dataclass
class Request:
    session: str
    kind: str  # page or service_worker
    url: str = ""
    type: str = ""
    status: int = 0
    encoding: str = ""
    cache_control: str = ""
    from_cache: bool = False
    from_sw: bool = False
    wire: int = 0
    decoded: int = 0
    started: float | None = None
    finished: float | None = None
    failed: str = ""


@dataclass
class Throttle:
    """Attaches to every target; applies the current network profile (and CPU rate to pages)."""

    cdp: RawCDP
    profile: Profile | None = None
    cpu: float = 1.0
    sessions: dict[str, str] = field(default_factory=dict)
    requests: dict[tuple[str, str], Request] = field(default_factory=dict)
    load_event: dict[str, float] = field(default_factory=dict)

    def start(self) -> None:
        self.cdp.handlers.append(self.on_message)
        self.cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True})

    def on_message(self, message: dict[str, Any]) -> None:
        method, params, session = message.get("method"), message.get("params", {}), message.get("sessionId")
        if method == "Target.attachedToTarget":
            kind, child = params["targetInfo"]["type"], params["sessionId"]
            # A command's answer comes through the reader thread: never wait for it on that thread.
            threading.Thread(target=self.prepare, args=(child, kind), daemon=True).start()
        elif method == "Target.detachedFromTarget":
            self.sessions.pop(params.get("sessionId", ""), None)
        elif session in self.sessions:
            self.record(session, method or "", params)

    def prepare(self, session: str, kind: str) -> None:
        if kind in ("page", "service_worker"):
            self.sessions[session] = kind
            self.cdp.send("Network.enable", {}, session)
            if kind == "page":
                self.cdp.send("Page.enable", {}, session)
            self.apply(session)
        self.cdp.send("Runtime.runIfWaitingForDebugger", {}, session)

    def apply(self, session: str) -> None:
        profile = self.profile
        rule = {"urlPattern": "", "latency": profile.latency_ms, "downloadThroughput": profile.down_bps,
                "uploadThroughput": profile.up_bps} if profile else {
            "urlPattern": "", "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
        # emulateNetworkConditions (deprecated) leaves a service worker's requests alone in this
        # chromium; the per-rule form applies to them.
        self.cdp.send("Network.emulateNetworkConditionsByRule",
                      {"offline": False, "matchedNetworkConditions": [rule]}, session)
        if self.sessions.get(session) == "page":
            self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": self.cpu}, session)

    def set(self, profile: Profile | None, cpu: float) -> None:
        self.profile, self.cpu = profile, cpu
        for session in list(self.sessions):
            self.apply(session)

    def reset(self) -> None:
        self.requests.clear()
        self.load_event.clear()

    def record(self, session: str, method: str, params: dict[str, Any]) -> None:
        if method == "Page.loadEventFired":
            self.load_event.setdefault(session, params["timestamp"])
            return
        if not method.startswith("Network."):
            return
        key = (session, params.get("requestId", ""))
        request = self.requests.setdefault(key, Request(session, self.sessions.get(session, "")))
        if method == "Network.requestWillBeSent":
            request.url, request.type = params["request"]["url"], params.get("type", request.type)
            request.started = params.get("timestamp")
        elif method == "Network.responseReceived":
            response = params["response"]
            headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
            request.url = response["url"]
            request.type = params.get("type", request.type)
            request.status = response.get("status", 0)
            request.encoding = headers.get("content-encoding", "")
            request.cache_control = headers.get("cache-control", "")
            request.from_cache = bool(response.get("fromDiskCache") or response.get("fromPrefetchCache"))
            request.from_sw = bool(response.get("fromServiceWorker"))
        elif method == "Network.dataReceived":
            request.decoded += params.get("dataLength", 0)
        elif method == "Network.loadingFinished":
            request.wire, request.finished = int(params.get("encodedDataLength", 0)), params["timestamp"]
        elif method == "Network.loadingFailed":
            request.failed = params.get("errorText", "failed")


# --- Server ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def start_gunicorn(env: dict[str, str], static_root: Path, backend: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server_env = {**env, "STATIC_ROOT": str(static_root), "STATICFILES_BACKEND": backend,
                  "GUNICORN_BIND": f"{HOST}:{port}", "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "4"}
    process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
                               cwd=ROOT, env=server_env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://{HOST}:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"gunicorn did not start; see {log}")


def start_chromium(profile_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    shutil.rmtree(profile_dir, ignore_errors=True)  # a kept folder's profile names an old port
    process = subprocess.Popen([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                "--no-first-run", "--remote-debugging-port=0", f"--user-data-dir={profile_dir}",
                                "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    marker = profile_dir / "DevToolsActivePort"
    for _ in range(300):
        if marker.exists() and len(marker.read_text().split()) >= 2:
            port, path = marker.read_text().split()[:2]
            return process, f"{port} {path}"
        time.sleep(0.1)
    process.terminate()
    raise RuntimeError("chromium did not open its DevTools port")


# --- One run -----------------------------------------------------------------------------------
INIT_SCRIPT = """
window.__bench = {};
if (navigator.serviceWorker) navigator.serviceWorker.addEventListener("controllerchange", function () {
  if (!window.__bench.controller) window.__bench.controller = performance.now();
});
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("luring");
  if (!el) return;
  new MutationObserver(function () {
    if (el.dataset.ready === "1" && !window.__bench.ready) window.__bench.ready = performance.now();
  }).observe(el, {attributes: true});
});
"""


@dataclass
class Result:
    load_ms: float
    ready_ms: float
    fcp_ms: float
    offline_ok: bool
    requests: list[Request]


def one_run(browser: Any, throttle: Throttle, base_url: str, page_path: str, profile: Profile | None,
            cpu: float) -> Result:
    throttle.set(None, 1.0)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="id-ID")
    context.set_default_timeout(120_000)
    try:
        page = context.new_page()
        page.goto(base_url + "/masuk/")
        page.get_by_label("Nama pengguna").fill(KADER)
        page.get_by_label("Kata sandi").fill(os.environ.get("DEMO_PASSWORD", DEMO_PASSWORD))
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(base_url + "/")
        page.add_init_script(INIT_SCRIPT)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.clearBrowserCache")  # cold: nothing from the login page's CSS and JS
        cdp.detach()
        throttle.set(profile, cpu)
        throttle.reset()
        page.goto(base_url + page_path, wait_until="load")
        page.wait_for_function("window.__bench.ready && window.__bench.controller", polling=50, timeout=180_000)
        timing = page.evaluate("""() => {
          const nav = performance.getEntriesByType("navigation")[0];
          const fcp = performance.getEntriesByName("first-contentful-paint")[0];
          return {load: nav.loadEventStart, fcp: fcp ? fcp.startTime : 0,
                  ready: Math.max(window.__bench.ready, window.__bench.controller)};
        }""")
        requests = [r for r in throttle.requests.values() if r.url.startswith(base_url)]
        # The claim "ready offline": no network, reload, the roster is there.
        throttle.set(None, 1.0)
        context.set_offline(True)
        try:
            page.reload()
            page.wait_for_function("document.querySelectorAll('#roster [data-person]').length > 0", timeout=20_000)
            offline_ok = True
        except Exception:  # noqa: BLE001 - reported as FAILED with the figures, not a crash
            offline_ok = False
        return Result(timing["load"], timing["ready"], timing["fcp"], offline_ok, requests)
    finally:
        throttle.set(None, 1.0)
        context.close()


def kind_of(request: Request) -> str:
    path = urllib.parse.urlparse(request.url).path
    if request.type == "Document" or path.endswith("/") and request.type in ("Fetch", "Other"):
        return "HTML"
    if path.endswith(".css"):
        return "CSS"
    if path.endswith(".js"):
        return "JS"
    if path.endswith((".woff2", ".woff", ".ttf")):
        return "font"
    if path.endswith((".json", ".webmanifest")):
        return "data"
    if path.endswith((".svg", ".png", ".ico")):
        return "image"
    return "other"


def bytes_table(requests: list[Request]) -> list[str]:
    rows: dict[str, list[int]] = {}
    encodings: dict[str, set[str]] = {}
    for r in requests:
        if r.failed or r.from_sw:
            continue
        row = rows.setdefault(kind_of(r), [0, 0, 0, 0])
        row[0] += 1
        row[1] += 0 if r.from_cache else r.wire
        row[2] += r.decoded
        row[3] += 1 if r.from_cache else 0
        encodings.setdefault(kind_of(r), set()).add(r.encoding or "none")
    lines = [f"    {'kind':<6} {'requests':>8} {'on the wire':>12} {'decoded':>10} {'HTTP cache':>10}  encoding"]
    total = [0, 0, 0, 0]
    for kind in ("HTML", "CSS", "JS", "font", "data", "image", "other"):
        if kind in rows:
            n, wire, decoded, cached = rows[kind]
            total = [t + v for t, v in zip(total, rows[kind], strict=True)]
            lines.append(f"    {kind:<6} {n:>8} {wire / 1024:>9.1f} KB {decoded / 1024:>7.1f} KB {cached:>10}  "
                         f"{', '.join(sorted(encodings[kind]))}")
    lines.append(f"    {'total':<6} {total[0]:>8} {total[1] / 1024:>9.1f} KB {total[2] / 1024:>7.1f} KB {total[3]:>10}")
    return lines


def request_list(requests: list[Request], base_url: str) -> list[str]:
    lines = []
    for r in sorted(requests, key=lambda r: r.finished or 0):
        where = "sw  " if r.kind == "service_worker" else "page"
        how = "cache" if r.from_cache else ("sw" if r.from_sw else f"{r.wire / 1024:.1f} KB")
        took = f"{(r.finished - r.started) * 1000:5.0f} ms" if r.started and r.finished else "       -"
        lines.append(f"      {where} {r.status or '-':>3} {how:>9} {took} {r.encoding or '-':<4} "
                     f"{r.url.removeprefix(base_url)[:90]}{'  ' + r.failed if r.failed else ''}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profiles", default="regular-3g,fast-3g")
    parser.add_argument("--cpu", type=float, default=4.0, help="CPU throttling rate (4 = four times slower)")
    parser.add_argument("--requests", action="store_true", help="list every request of the last bar run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--reuse", type=Path, help="a folder kept by --keep: its database is used again "
                        "(the static files are collected again)")
    args = parser.parse_args()
    profiles = [PROFILES[name] for name in args.profiles.split(",")]

    tmp = args.reuse or Path(tempfile.mkdtemp(prefix="bench-offline-3g-"))
    reuse = bool(args.reuse and (tmp / "db.sqlite3").exists())
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"SQLITE_PATH": str(tmp / "db.sqlite3"), "DJANGO_SECRET_KEY": secrets.token_urlsafe(32),
                "DJANGO_DEBUG": "0", "DJANGO_SECURE_HTTPS": "0", "DJANGO_ALLOWED_HOSTS": HOST,
                "AXES_ENABLED": "0", "MEDIA_ROOT": str(tmp / "media"), "DJANGO_SETTINGS_MODULE": "config.settings",
                "LOG_LEVEL": "ERROR"})
    processes: list[subprocess.Popen[bytes]] = []
    try:
        started = time.perf_counter()
        for step in () if reuse else (("migrate", "--noinput", "-v0"), ("load_regions",), ("load_demo",)):
            manage(env, *step)
            print(f"  {step[0]}: {time.perf_counter() - started:.0f} s", flush=True)
        roots = {"compressed": (tmp / "static-compressed", "whitenoise.storage.CompressedManifestStaticFilesStorage"),
                 "plain": (tmp / "static-plain", "django.contrib.staticfiles.storage.ManifestStaticFilesStorage")}
        for root, backend in roots.values():
            shutil.rmtree(root, ignore_errors=True)
            manage({**env, "STATIC_ROOT": str(root), "STATICFILES_BACKEND": backend}, "collectstatic", "--noinput", "-v0")
        print(f"set-up (database, demo, two collectstatic): {time.perf_counter() - started:.0f} s")

        os.environ.update({k: env[k] for k in ("SQLITE_PATH", "DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_SECURE_HTTPS",
                                                "DJANGO_ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")})
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from apps.accounts.models import User

        posyandu = User.objects.get(username=KADER).assignments.get().posyandu
        page_path = f"/offline/posyandu/{posyandu.pk}/"

        servers = {}
        for name, (root, backend) in roots.items():
            process, url = start_gunicorn(env, root, backend, tmp / f"gunicorn-{name}.log")
            processes.append(process)
            servers[name] = url
        # CDP reports the worker's own script at a few hundred bytes: its size is read here instead.
        sizes = {}
        for encoding in ("br", "identity"):
            ask = urllib.request.Request(servers["compressed"] + "/offline/sw.js", headers={"Accept-Encoding": encoding})
            with urllib.request.urlopen(ask) as answer:
                sizes[encoding] = len(answer.read())
        chromium, endpoint = start_chromium(tmp / "chromium")
        processes.append(chromium)
        port, ws_path = endpoint.split()
        throttle = Throttle(RawCDP(f"ws://{HOST}:{port}{ws_path}"))
        throttle.start()

        from playwright.sync_api import sync_playwright

        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; page {page_path} "
              f"({posyandu.name}); CPU throttling {args.cpu:g}x on the throttled runs")
        with sync_playwright() as playwright:
            browser = playwright.chromium.connect_over_cdp(f"http://{HOST}:{port}")
            plan: list[tuple[str, str, Profile | None, float]] = []
            for profile in profiles:
                plan.append((f"{profile.name} compressed", "compressed", profile, args.cpu))
                plan.append((f"{profile.name} not compressed (baseline A)", "plain", profile, args.cpu))
            plan.append(("no throttling (baseline B)", "compressed", None, 1.0))
            results: dict[str, list[Result]] = {}
            for label, server, profile, cpu in plan:
                for i in range(args.repeat):
                    result = one_run(browser, throttle, servers[server], page_path, profile, cpu)
                    results.setdefault(label, []).append(result)
                    print(f"  {label:<44} run {i + 1}: load {result.load_ms / 1000:5.2f} s, "
                          f"ready offline {result.ready_ms / 1000:5.2f} s, first paint {result.fcp_ms / 1000:5.2f} s, "
                          f"offline reload {'ok' if result.offline_ok else 'FAILED'}", flush=True)
            browser.close()

        def med(label: str, attr: str) -> float:
            return statistics.median(getattr(r, attr) for r in results[label])

        print()
        print(f"{'run (median of ' + str(args.repeat) + ')':<44} {'load':>7} {'ready':>7} {'paint':>7}")
        for label in results:
            print(f"{label:<44} {med(label, 'load_ms') / 1000:6.2f}s {med(label, 'ready_ms') / 1000:6.2f}s "
                  f"{med(label, 'fcp_ms') / 1000:6.2f}s")
        print()
        unthrottled = "no throttling (baseline B)"
        def worker_script_ms(label: str) -> float:
            took = [(r.finished - r.started) * 1000 for res in results[label] for r in res.requests
                    if r.kind == "service_worker" and r.url.endswith("/offline/sw.js") and r.started and r.finished]
            return statistics.median(took) if took else 0.0

        for profile in profiles:
            bar, plain = f"{profile.name} compressed", f"{profile.name} not compressed (baseline A)"
            load, measured = med(bar, "load_ms"), med(bar, "ready_ms")
            # The worker's own script is fetched before its target can be throttled (CDP shows it
            # taking tens of ms at any profile): its throttled time is added to "ready" by hand.
            correction = max(0.0, profile.latency_ms + sizes["br"] / profile.down_bps * 1000 - worker_script_ms(bar))
            ready = measured + correction
            print(f"{profile.label}: {profile.latency_ms:g} ms, {profile.down_bps * 8 / 1000:.0f} kbit/s down, "
                  f"{profile.up_bps * 8 / 1000:.0f} kbit/s up, CPU {args.cpu:g}x")
            verdict = "meets" if max(load, ready) < BAR_MS else "MISSES"
            print(f"  load {load / 1000:.2f} s, ready offline {ready / 1000:.2f} s ({measured / 1000:.2f} s measured + "
                  f"{correction / 1000:.2f} s for the worker script unthrottled): {verdict} the {BAR_MS / 1000:g} s bar")
            # The ratios compare measured figures (the baselines' worker script is unthrottled as well).
            print(f"  vs uncompressed static (A): load {load / med(plain, 'load_ms'):.2f}x, "
                  f"ready {measured / med(plain, 'ready_ms'):.2f}x "
                  f"(A: {med(plain, 'load_ms') / 1000:.2f} s / {med(plain, 'ready_ms') / 1000:.2f} s)")
            print(f"  vs no throttling (B): load {load / med(unthrottled, 'load_ms'):.1f}x, "
                  f"ready {measured / med(unthrottled, 'ready_ms'):.1f}x")
            print("  bytes of the first load, compressed (last run; the service worker's own fetches included):")
            print("\n".join(bytes_table(results[bar][-1].requests)))
            print("  the same, not compressed (baseline A):")
            print("\n".join(bytes_table(results[plain][-1].requests)))
            if args.requests:
                print("  requests of the last compressed run:")
                print("\n".join(request_list(results[bar][-1].requests, servers["compressed"])))
        print(f"the service worker script /offline/sw.js (Workbox inlined): {sizes['br'] / 1024:.1f} KB brotli, "
              f"{sizes['identity'] / 1024:.1f} KB decoded, once per install (then 304 on update checks)")
        print(f"load average at the end {os.getloadavg()[0]:.2f}")
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if args.keep or args.reuse:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
