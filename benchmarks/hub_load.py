"""Load test of the workshop hub: a room of N simulated learners on one machine, on the loopback only.

Starts a throw-away workshop hub on 127.0.0.1 (``workshop.testhub``; needs root: it creates one Unix user per
learner and deletes them at the end). With ``--prestart`` the instructor's step comes first: every roster
learner's server is started (``python -m workshop.hub prestart``) before anyone arrives. Then the learners arrive
within ``--ramp`` seconds (default 10); each one, as a browser does:

1. logs in through the hub's login form (first login: sets a password) and follows the redirects to JupyterLab's
   page in their server (cold: through the hub's spawn page, which starts the server; prestarted: straight to the
   running server, through its OAuth with the hub). *login → ready* ends when JupyterLab's page has loaded;
2. opens notebook 07 (a session and its kernel, as JupyterLab does) and waits for the kernel to answer: *login →
   working notebook*;
3. runs 07's code cells, then moves the vibration explorer's frequency control once a second for ``--seconds``
   (default 60): ``explorer.set_values(frequency_hz=…)`` in the kernel and the PNG of the changed pixels that
   ipympl sends to the browser, each timed from request to reply (*explorer update*);
4. answers notebook 07's quiz through the quiz's own Check, which reports to the class check-in.

``--logins-only`` stops after step 2 (a room of 100: two cores cannot serve 100 learners' explorers at once).

Measured as well: the CPU-seconds each learner's server used to start (its process's CPU time when it first
answered), the hub's event-loop stalls (a separate process asks the hub's own port for ``/hub/api/`` every 50 ms;
a reply that takes long means the hub's event loop was busy: the same probe before anyone logs in gives the
baseline), memory per learner (RSS and PSS of server and kernels), and the load average.

``--startup-cost`` measures instead where a single-user server's start goes (no hub, no users): the CPU-seconds of
``jupyterhub.singleuser`` until it answers, as the hub ran it before (repository .venv, every server extension)
and as it runs now (learners' environment, trimmed), alternating, ``--repeat`` times each.

    .venv/bin/python benchmarks/hub_load.py --learners 20                 # cold
    .venv/bin/python benchmarks/hub_load.py --learners 20 --prestart      # prestarted
    .venv/bin/python benchmarks/hub_load.py --learners 100 --prestart --logins-only
    .venv/bin/python benchmarks/hub_load.py --startup-cost --repeat 10

Prints numbers; no assertion (a person judges them).
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import secrets
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import numpy as np
import psutil
import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workshop.client import NOTEBOOK_07, HubError, Learner  # noqa: E402
from workshop.hub import LEARNER_ENV, SINGLEUSER_ARGS, free_port  # noqa: E402
from workshop.testhub import TemporaryHub  # noqa: E402

FREQUENCIES_HZ = (10, 31.5, 50, 80, 125, 160, 200, 250)  # moved through in turn (snapped to the slider's grid)
GIB = 1024**3
MIB = 1024**2
MACHINE_GIB = 24
RESERVE_GIB = 2  # operating system, hub, proxy and services, page cache headroom

SETUP_CANVAS = ("import time as _time; _cv = explorer.fig.canvas; _cv.syncing_data_url = False; _cv.draw(); "
                "_cv.get_diff_image(); _cpu0 = _time.process_time()")
MOVES_CPU = "print(_time.process_time() - _cpu0)"  # the kernel's CPU time for all the moves, in s
MOVE = "explorer.set_values(frequency_hz={f}); _cv.get_diff_image()"  # the new value, then the PNG to send

QUIZ_CODE = """
from course_utils import checkin, quiz as _quiz
qz = [v for v in Out.values() if isinstance(v, _quiz.Quiz)][-1]
q = next(x for x in qz.questions if isinstance(x, _quiz.MultipleChoice))
q.choice.index = (q.answer + 1) % len(q.options); q.submit()
q.choice.index = q.answer; q.submit()
print(checkin.flush(20))
"""

PROBE = r"""
import json, sys, time, urllib.request
url, interval, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
samples = []
while True:
    t0 = time.monotonic()
    try:
        urllib.request.urlopen(url, timeout=30).read()
        samples.append((time.time(), time.monotonic() - t0))
    except Exception:
        samples.append((time.time(), float("nan")))
    if len(samples) % 20 == 0:
        with open(out, "w") as f:
            json.dump(samples, f)
    time.sleep(max(0.0, interval - (time.monotonic() - t0)))
"""


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ready_s: list[float] = []  # login -> JupyterLab's page loaded
        self.working_s: list[float] = []  # login -> notebook 07's kernel answers
        self.notebook_s: list[float] = []
        self.update_ms: list[float] = []
        self.move_cpu_ms: list[float] = []
        self.start_cpu_s: list[float] = []
        self.checkin_ok = 0
        self.failures: list[str] = []
        self.arrivals: list[float] = []

    def add(self, field: str, value: float) -> None:
        with self.lock:
            getattr(self, field).append(value)

    def fail(self, who: str, what: str) -> None:
        with self.lock:
            self.failures.append(f"{who}: {what}")


def server_cpu_s(uid: int) -> float | None:
    """CPU time (user + system, s) of the learner's single-user server process, or None."""
    for p in psutil.process_iter(["uids", "cmdline"]):
        if p.info["uids"] and p.info["uids"].real == uid and "jupyterhub.singleuser" in (p.info["cmdline"] or []):
            try:
                t = p.cpu_times()
                return t.user + t.system
            except psutil.Error:
                return None
    return None


def learner_run(base: str, name: str, password: str, delay_s: float, args, prestarted: bool,
                stop: threading.Event, done: threading.Barrier, measured: threading.Event, res: Results) -> None:
    time.sleep(delay_s)
    me = Learner(base, name, timeout_s=120)
    kernel = None
    try:
        t0 = time.monotonic()
        res.add("arrivals", time.time())
        me.login(password)
        page = me.open_landing_page()
        if "/lab" not in page.url:  # cold: the hub's spawn page; the browser waits for the server, then goes on
            me.make_token()
            me.wait_ready(timeout_s=600)
            if not prestarted:
                cpu = server_cpu_s(pwd.getpwnam(name).pw_uid)
                if cpu is not None:
                    res.add("start_cpu_s", cpu)
            page = me.session.get(f"{base}/user/{name}/lab/tree/notebooks", timeout=120)
            if page.status_code != 200:
                raise HubError(f"JupyterLab's page: HTTP {page.status_code}")
        else:
            me.make_token()
        res.add("ready_s", time.monotonic() - t0)
        kernel = me.kernel(NOTEBOOK_07)
        _out, err = kernel.execute("1", timeout_s=300)
        if err:
            raise HubError(f"the new kernel: {err}")
        res.add("working_s", time.monotonic() - t0)
        if args.logins_only:
            return
        t1 = time.monotonic()
        for cell in me.notebook(NOTEBOOK_07)["cells"]:
            if cell["cell_type"] == "code" and not stop.is_set():
                _out, err = kernel.execute(cell["source"], timeout_s=300)
                if err:
                    res.fail(name, f"notebook 07 cell: {err}")
        res.add("notebook_s", time.monotonic() - t1)
        _out, err = kernel.execute(SETUP_CANVAS, timeout_s=60)
        if err:
            res.fail(name, f"canvas set-up: {err}")
        t_moves, i = time.monotonic(), 0
        while time.monotonic() - t_moves < args.seconds and not stop.is_set():  # once a second
            t = time.monotonic()
            _out, err = kernel.execute(MOVE.format(f=FREQUENCIES_HZ[i % len(FREQUENCIES_HZ)]), timeout_s=60)
            dt = time.monotonic() - t
            if err:
                res.fail(name, f"explorer update: {err}")
            else:
                res.add("update_ms", dt * 1e3)
            i += 1
            time.sleep(max(0.0, 1.0 - dt))
        out, err = kernel.execute(MOVES_CPU, timeout_s=60)
        if not err and i:
            res.add("move_cpu_ms", float(out) * 1e3 / i)
        out, err = kernel.execute(QUIZ_CODE, timeout_s=60)
        if err:
            res.fail(name, f"quiz: {err}")
        elif out.strip() == "True":
            with res.lock:
                res.checkin_ok += 1
    except Exception as exc:  # one learner's failure is counted, the others carry on
        res.fail(name, f"{type(exc).__name__}: {exc}")
    finally:
        try:
            done.wait(timeout=3600)
        except threading.BrokenBarrierError:
            pass
        measured.wait(timeout=900)  # keep every kernel alive until memory is measured
        if kernel is not None:
            try:
                kernel.close()
            except (HubError, OSError, requests.RequestException):
                pass


def memory_of(uid: int) -> dict[str, tuple[float, float]]:
    """RSS and PSS (bytes) of a learner's server and of their kernels: {"server": (rss, pss), "kernel": ...}."""
    out = {"server": [0.0, 0.0], "kernel": [0.0, 0.0]}
    for p in psutil.process_iter(["uids", "cmdline"]):
        if not p.info["uids"] or p.info["uids"].real != uid:
            continue
        cmd = " ".join(p.info["cmdline"] or [])
        kind = "kernel" if "ipykernel" in cmd else "server" if "jupyterhub.singleuser" in cmd else None
        if kind is None:
            continue
        try:
            m = p.memory_full_info()
        except psutil.Error:
            continue
        out[kind][0] += m.rss
        out[kind][1] += m.pss
    return {k: (v[0], v[1]) for k, v in out.items()}


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(xs, q)) if xs else float("nan")


class Probe:
    """Asks the hub's own port for /hub/api/ every ``interval_s`` from a separate process."""

    def __init__(self, hub_port: int, interval_s: float = 0.05) -> None:
        self.out = f"/tmp/hub_load_probe_{os.getpid()}.json"
        self.proc = subprocess.Popen([sys.executable, "-c", PROBE, f"http://127.0.0.1:{hub_port}/hub/api/",
                                      str(interval_s), self.out])

    def samples(self, since: float = 0.0, until: float = float("inf")) -> list[float]:
        try:
            data = json.loads(Path(self.out).read_text())
        except (OSError, ValueError):
            return []
        return [dt for t, dt in data if since <= t <= until and dt == dt]

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        Path(self.out).unlink(missing_ok=True)


def stall_line(xs: list[float]) -> str:
    if not xs:
        return "no samples"
    return (f"median {statistics.median(xs) * 1e3:5.0f} ms  p99 {pct(xs, 99) * 1e3:6.0f} ms  max "
            f"{max(xs) * 1e3:6.0f} ms  replies over 0.5 s: {sum(x > 0.5 for x in xs)}, over 1 s: "
            f"{sum(x > 1 for x in xs)} (n={len(xs)})")


def run_room(args) -> None:
    tag = secrets.token_hex(2)
    names = [f"load{tag}{i:03d}" for i in range(1, args.learners + 1)]
    instructor = f"load{tag}i"
    res = Results()
    load_start = os.getloadavg()
    t_start = time.monotonic()
    hub_port = free_port()
    print(f"Starting a workshop hub on 127.0.0.1 for {args.learners} learners (cores: {os.cpu_count()}, memory: "
          f"{psutil.virtual_memory().total / GIB:.1f} GiB; load average {load_start[0]:.1f}) ...", flush=True)
    prestart_s = None
    with TemporaryHub(names, instructor, "instructor-pass-1", mem_limit=args.mem_limit, cpu_limit=args.cpu_limit,
                      keep_log=args.hub_log, extra_args=("--hub-port", str(hub_port))) as hub:
        probe = Probe(hub_port)
        try:
            time.sleep(5)
            t_idle0 = time.time()
            time.sleep(10)  # the baseline: the hub with nobody on it
            t_idle1 = time.time()
            if args.prestart:
                t = time.monotonic()
                out = subprocess.run([sys.executable, "-m", "workshop.hub", "prestart", "--state-dir", hub.state],
                                     cwd=REPO, capture_output=True, text=True, timeout=3600)
                prestart_s = time.monotonic() - t
                print(out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr, flush=True)
                for n in names:
                    cpu = server_cpu_s(pwd.getpwnam(n).pw_uid) if _exists(n) else None
                    if cpu is not None:
                        res.start_cpu_s.append(cpu)
                time.sleep(5)
            t_room = time.time()
            stop, measured = threading.Event(), threading.Event()
            done = threading.Barrier(args.learners + 1)
            with ThreadPoolExecutor(max_workers=args.learners) as pool:
                futures = [pool.submit(learner_run, hub.base, n, f"password-{n}", args.ramp * i / args.learners,
                                       args, args.prestart, stop, done, measured, res)
                           for i, n in enumerate(names)]
                try:
                    done.wait(timeout=max(60.0, args.time_limit - (time.monotonic() - t_start)))
                except threading.BrokenBarrierError:
                    stop.set()
                    res.fail("load test", f"time limit: not every learner finished within {args.time_limit:.0f} s")
                t_room_end = time.time()
                load_end = os.getloadavg()
                mem = {n: memory_of(pwd.getpwnam(n).pw_uid) for n in names if _exists(n)}
                hub_rss = sum(p.memory_info().rss for p in hub.hub_processes() if p.is_running())
                measured.set()
                stop.set()
                wait(futures, timeout=300)
            idle = probe.samples(t_idle0, t_idle1)
            room = probe.samples(t_room, t_room_end)
        finally:
            probe.close()
    report(args, res, mem, hub_rss, idle, room, prestart_s, load_start, load_end, time.monotonic() - t_start)


def _exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def report(args, res: Results, mem: dict, hub_rss: float, idle: list[float], room: list[float],
           prestart_s: float | None, load_start, load_end, elapsed: float) -> None:
    kind = "prestarted" if args.prestart else "cold"
    what = "logins only" if args.logins_only else f"07 run, explorer moved once a second for {args.seconds:.0f} s"
    spread = max(res.arrivals) - min(res.arrivals) if res.arrivals else float("nan")
    print(f"\nWorkshop hub, {args.learners} learners, {kind}, arriving within {spread:.1f} s ({what}); "
          f"{os.cpu_count()} cores; limits {args.mem_limit} and {args.cpu_limit} CPU per learner")
    print(f"  load average (1/5/15 min)          at the start {load_start[0]:.1f} / {load_start[1]:.1f} / "
          f"{load_start[2]:.1f}, at the end {load_end[0]:.1f} / {load_end[1]:.1f} / {load_end[2]:.1f} "
          f"(other work on the machine counts);  whole run {elapsed:.0f} s")
    if prestart_s is not None:
        print(f"  prestart of every server           {prestart_s:6.1f} s (before the room arrives)")
    print(f"  login -> JupyterLab page loaded    median {pct(res.ready_s, 50):6.2f} s   p95 "
          f"{pct(res.ready_s, 95):6.2f} s   (n={len(res.ready_s)})")
    print(f"  login -> 07's kernel answers       median {pct(res.working_s, 50):6.2f} s   p95 "
          f"{pct(res.working_s, 95):6.2f} s   (n={len(res.working_s)})")
    if res.notebook_s:
        print(f"  notebook 07 run (all code cells)   median {pct(res.notebook_s, 50):6.1f} s   p95 "
              f"{pct(res.notebook_s, 95):6.1f} s")
    if res.update_ms:
        print(f"  explorer update under load         median {pct(res.update_ms, 50):6.0f} ms  p95 "
              f"{pct(res.update_ms, 95):6.0f} ms  (n={len(res.update_ms)}; new value and PNG, through the proxy)")
        cpu_ms = pct(res.move_cpu_ms, 50)
        print(f"  kernel CPU per explorer update     median {cpu_ms:5.1f} ms")
    if res.start_cpu_s:
        print(f"  CPU-s per server start             median {statistics.median(res.start_cpu_s):5.2f} s   p95 "
              f"{pct(res.start_cpu_s, 95):5.2f} s  (the server's own process until it first answered; n="
              f"{len(res.start_cpu_s)})")
    print(f"  hub event loop, nobody on it       {stall_line(idle)}")
    print(f"  hub event loop, room arriving      {stall_line(room)}")
    servers = [m["server"] for m in mem.values() if m["server"][0]]
    kernels = [m["kernel"] for m in mem.values() if m["kernel"][0]]
    per_learner_pss = [m["server"][1] + m["kernel"][1] for m in mem.values() if m["server"][0]]
    per_learner_rss = [m["server"][0] + m["kernel"][0] for m in mem.values() if m["server"][0]]
    if servers:
        print(f"  memory per learner: server         RSS median {statistics.median(s[0] for s in servers) / MIB:5.0f}"
              f" MiB   PSS median {statistics.median(s[1] for s in servers) / MIB:5.0f} MiB")
    if kernels:
        print(f"                      kernel (07)    RSS median {statistics.median(k[0] for k in kernels) / MIB:5.0f}"
              f" MiB   PSS median {statistics.median(k[1] for k in kernels) / MIB:5.0f} MiB")
    if per_learner_pss:
        print(f"                      together       PSS median {statistics.median(per_learner_pss) / MIB:5.0f} MiB"
              f"   p95 {pct(per_learner_pss, 95) / MIB:5.0f} MiB   (RSS p95 {pct(per_learner_rss, 95) / MIB:5.0f} MiB)")
        usable = (MACHINE_GIB - RESERVE_GIB) * GIB
        print(f"  one {MACHINE_GIB} GB machine holds about {int(usable // pct(per_learner_pss, 95))} learners like "
              f"these by memory (p95 PSS; {RESERVE_GIB} GiB kept for the system and the hub)")
    print(f"  hub + proxy + services             RSS {hub_rss / MIB:5.0f} MiB")
    if not args.logins_only:
        print(f"  check-in                           {res.checkin_ok} of {args.learners} learners' quiz answers "
              "sent and acknowledged")
    print(f"  failed learners / errors           {len(res.failures)}")
    for f in res.failures[:10]:
        print(f"      {f}")
    print(f"  (the hub's log: {args.hub_log})")


# ---------------------------------------------------------------------------------------------- start-up cost
def _stub_hub() -> int:
    """A stand-in for the hub's API that only says its version (all a starting server asks); return its port."""
    import http.server

    import jupyterhub

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"version": jupyterhub.__version__}).encode()
            self.send_response(200)
            self.send_header("X-JupyterHub-Version", jupyterhub.__version__)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def _singleuser_cpu_s(python: str, extra: list[str], home: str, hub_port: int) -> tuple[float, float]:
    """Start jupyterhub.singleuser alone (a stub hub); return (CPU-s, wall s) until it answers /user/x/api."""
    port = free_port()
    env = {"PATH": f"{Path(python).parent}:/usr/bin:/bin", "HOME": home, "JUPYTERHUB_API_TOKEN": "x" * 32,
           "JUPYTERHUB_API_URL": f"http://127.0.0.1:{hub_port}/hub/api", "JUPYTERHUB_USER": "x",
           "JUPYTERHUB_CLIENT_ID": "jupyterhub-user-x", "JUPYTERHUB_SERVICE_PREFIX": "/user/x/",
           "JUPYTERHUB_BASE_URL": "/", "JUPYTERHUB_OAUTH_CALLBACK_URL": "/user/x/oauth_callback",
           "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{port}/user/x/", "JUPYTERHUB_HOST": ""}
    t0 = time.monotonic()
    proc = subprocess.Popen([python, "-m", "jupyterhub.singleuser", "--ServerApp.allow_root=True",
                             f"--ServerApp.root_dir={home}", *extra], env=env, cwd=home,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.monotonic() - t0 < 120:
            try:
                if requests.get(f"http://127.0.0.1:{port}/user/x/api", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.02)
        wall = time.monotonic() - t0
        t = psutil.Process(proc.pid).cpu_times()
        return t.user + t.system, wall
    finally:
        proc.kill()
        proc.wait()


def startup_cost(args) -> None:
    import tempfile

    before = str(REPO / ".venv" / "bin" / "python")
    after = str(LEARNER_ENV / "bin" / "python")
    print(f"Start-up cost of one single-user server (no hub): {args.repeat} starts each, alternating; load average "
          f"{os.getloadavg()[0]:.1f}", flush=True)
    rows = {"before: repo .venv, every server extension": (before, []),
            "now: learners' env, trimmed": (after, SINGLEUSER_ARGS)}
    got = {k: [] for k in rows}
    hub_port = _stub_hub()
    with tempfile.TemporaryDirectory() as home:
        for _ in range(args.repeat):
            for label, (python, extra) in rows.items():
                got[label].append(_singleuser_cpu_s(python, extra, home, hub_port))
    for label, xs in got.items():
        cpu, wall = [x[0] for x in xs], [x[1] for x in xs]
        print(f"  {label:45s} CPU median {statistics.median(cpu):5.2f} s  p95 {pct(cpu, 95):5.2f} s;  wall median "
              f"{statistics.median(wall):5.2f} s")
    print(f"  load average at the end {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=20, help="simulated learners, 1-120 (default 20)")
    parser.add_argument("--prestart", action="store_true", help="start every server before the room arrives")
    parser.add_argument("--logins-only", action="store_true", help="log in and open 07's kernel, nothing more")
    parser.add_argument("--seconds", type=float, default=60.0, help="seconds of one explorer move a second")
    parser.add_argument("--ramp", type=float, default=10.0, help="learners arrive within this many seconds")
    parser.add_argument("--time-limit", type=float, default=1800.0, help="stop after this many seconds, 60-3600")
    parser.add_argument("--mem-limit", default="2G", help="memory limit per learner (default 2G, as the hub)")
    parser.add_argument("--cpu-limit", type=float, default=1.0, help="CPU cores per learner (default 1)")
    parser.add_argument("--hub-log", default="/tmp/hub_load_hub.log", help="where the hub's log is kept")
    parser.add_argument("--startup-cost", action="store_true", help="measure one server's start-up, before/now")
    parser.add_argument("--repeat", type=int, default=10, help="--startup-cost: starts of each kind (default 10)")
    args = parser.parse_args()
    if not 1 <= args.learners <= 120:
        parser.error(f"--learners must be from 1 to 120; got {args.learners}")
    if not 60 <= args.time_limit <= 3600:
        parser.error(f"--time-limit must be from 60 to 3600 s; got {args.time_limit}")
    if os.geteuid() != 0:
        sys.exit("The load test starts a workshop hub, which creates one Unix user per learner: run it as root.")
    if args.startup_cost:
        startup_cost(args)
    else:
        run_room(args)


if __name__ == "__main__":
    main()
