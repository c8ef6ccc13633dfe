"""Load test of the workshop hub: N simulated learners on one machine, on the loopback only.

Starts a throw-away workshop hub on 127.0.0.1 (``workshop.testhub``; needs root: it creates one Unix user per
learner and deletes them at the end). The learners arrive over ``--ramp`` seconds; each one

1. logs in through the hub's login form (first login: sets a password) and starts a server;
2. opens notebook 07 in a kernel of that server and runs its code cells (through the proxy, over the Jupyter
   server's REST and websocket kernel API, as JupyterLab does);
3. moves the vibration explorer's frequency control ``--moves`` times (``explorer.set_values(frequency_hz=…)``
   in the kernel, then the PNG of the changed pixels that ipympl would send to a browser; a short pause between
   moves, everyone at the same time) and times each update from request to reply;
4. answers notebook 07's quiz through the quiz's own Check (a wrong first try, then the right answer), which
   reports to the class check-in through ``course_utils.checkin``.

With every server and kernel still running it then measures the memory of each learner's server and kernel
(RSS and PSS, the latter counting shared pages fairly), counts the answers the kernels sent and the check-in
stored, and estimates how many learners one 24 GB machine holds. It stops by itself after ``--time-limit``
seconds whatever happens, and always removes the hub and its users.

    sudo .venv/bin/python benchmarks/hub_load.py                 # 20 learners
    sudo .venv/bin/python benchmarks/hub_load.py --learners 5 --moves 10

Prints numbers; no assertion (a person judges them).
"""

from __future__ import annotations

import argparse
import os
import pwd
import secrets
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workshop.client import NOTEBOOK_07, HubError, Learner
from workshop.testhub import TemporaryHub

FREQUENCIES_HZ = (10, 31.5, 50, 80, 125, 160, 200, 250)  # moved through in turn (snapped to the slider's grid)
GIB = 1024**3
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
print(checkin.flush(20), checkin.STATS['queued'], checkin.STATS['sent'], checkin.STATS['failed'])
"""


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ready_s: list[float] = []
        self.notebook_s: list[float] = []
        self.update_ms: list[float] = []
        self.move_cpu_ms: list[float] = []
        self.queued = self.sent = self.lost = 0
        self.failures: list[str] = []

    def fail(self, who: str, what: str) -> None:
        with self.lock:
            self.failures.append(f"{who}: {what}")


def learner_run(base: str, name: str, password: str, delay_s: float, moves: int, pause_s: float,
                stop: threading.Event, done_moving: threading.Barrier, measured: threading.Event,
                res: Results) -> None:
    time.sleep(delay_s)
    me = Learner(base, name, timeout_s=60)
    kernel = None
    try:
        t0 = time.monotonic()
        me.login(password)
        me.make_token()
        me.start_server()
        me.wait_ready(timeout_s=300)
        with res.lock:
            res.ready_s.append(time.monotonic() - t0)
        t1 = time.monotonic()
        kernel = me.kernel(NOTEBOOK_07)
        for cell in me.notebook(NOTEBOOK_07)["cells"]:
            if cell["cell_type"] == "code" and not stop.is_set():
                _out, err = kernel.execute(cell["source"], timeout_s=180)
                if err:
                    res.fail(name, f"notebook 07 cell: {err}")
        with res.lock:
            res.notebook_s.append(time.monotonic() - t1)
        # as with a browser attached: the figure sends only the changed pixels (PNG) after each change
        _out, err = kernel.execute(SETUP_CANVAS, timeout_s=60)
        if err:
            res.fail(name, f"canvas set-up: {err}")
        for i in range(moves):
            if stop.is_set():
                break
            f = FREQUENCIES_HZ[i % len(FREQUENCIES_HZ)]
            t = time.monotonic()
            _out, err = kernel.execute(MOVE.format(f=f), timeout_s=60)
            dt = (time.monotonic() - t) * 1e3
            if err:
                res.fail(name, f"explorer update: {err}")
            else:
                with res.lock:
                    res.update_ms.append(dt)
            time.sleep(pause_s)
        out, err = kernel.execute(MOVES_CPU, timeout_s=60)
        if not err and res.update_ms:
            with res.lock:
                res.move_cpu_ms.append(float(out) * 1e3 / moves)
        out, err = kernel.execute(QUIZ_CODE, timeout_s=60)
        if err:
            res.fail(name, f"quiz: {err}")
        else:
            flushed, queued, sent, lost = out.split()
            with res.lock:
                res.queued += int(queued)
                res.sent += int(sent)
                res.lost += int(lost)
            if flushed != "True":
                res.fail(name, "check-in answers still queued after 20 s")
    except Exception as exc:  # one learner's failure is counted, the others carry on
        res.fail(name, f"{type(exc).__name__}: {exc}")
    finally:
        try:
            done_moving.wait(timeout=1800)  # the main thread breaks the barrier at the time limit
        except threading.BrokenBarrierError:
            pass
        measured.wait(timeout=900)  # keep every kernel alive until memory is measured
        if kernel is not None:
            try:
                kernel.close()
            except (HubError, OSError):
                pass


def memory_of(uid: int) -> dict[str, tuple[float, float, float]]:
    """RSS, PSS (bytes) and CPU time used so far (s) of a learner's server and of their kernel.

    Returns {"server": (rss, pss, cpu_s), "kernel": (rss, pss, cpu_s)}.
    """
    out = {"server": [0.0, 0.0, 0.0], "kernel": [0.0, 0.0, 0.0]}
    for p in psutil.process_iter(["pid", "uids", "cmdline"]):
        if not p.info["uids"] or p.info["uids"].real != uid:
            continue
        cmd = " ".join(p.info["cmdline"] or [])
        kind = "kernel" if "ipykernel" in cmd else "server" if "jupyterhub.singleuser" in cmd else None
        if kind is None:
            continue
        try:
            m = p.memory_full_info()
            t = p.cpu_times()
        except psutil.Error:
            continue
        out[kind][0] += m.rss
        out[kind][1] += m.pss
        out[kind][2] += t.user + t.system
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(xs, q)) if xs else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=20, help="simulated learners, 1-60 (default 20)")
    parser.add_argument("--moves", type=int, default=20, help="explorer moves per learner, 1-200 (default 20)")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between a learner's moves (default 0.5)")
    parser.add_argument("--ramp", type=float, default=10.0, help="learners arrive over this many seconds")
    parser.add_argument("--time-limit", type=float, default=900.0, help="stop after this many seconds, 60-1800")
    parser.add_argument("--mem-limit", default="2G", help="memory limit per learner (default 2G, as the hub)")
    parser.add_argument("--cpu-limit", type=float, default=1.0, help="CPU cores per learner (default 1)")
    parser.add_argument("--hub-log", default="/tmp/hub_load_hub.log", help="where the hub's log is kept")
    args = parser.parse_args()
    if not 1 <= args.learners <= 60:
        parser.error(f"--learners must be from 1 to 60; got {args.learners}")
    if not 1 <= args.moves <= 200:
        parser.error(f"--moves must be from 1 to 200; got {args.moves}")
    if not 60 <= args.time_limit <= 1800:
        parser.error(f"--time-limit must be from 60 to 1800 s; got {args.time_limit}")
    if os.geteuid() != 0:
        sys.exit("The load test starts a workshop hub, which creates one Unix user per learner: run it as root.")

    tag = secrets.token_hex(2)
    names = [f"load{tag}{i:02d}" for i in range(1, args.learners + 1)]
    instructor = f"load{tag}i"
    res = Results()
    t_start = time.monotonic()
    print(f"Starting a workshop hub on 127.0.0.1 for {args.learners} learners (cores: {os.cpu_count()}, memory: "
          f"{psutil.virtual_memory().total / GIB:.1f} GiB) ...", flush=True)
    with TemporaryHub(names, instructor, "instructor-pass-1", mem_limit=args.mem_limit,
                      cpu_limit=args.cpu_limit, keep_log=args.hub_log) as hub:
        stop = threading.Event()
        measured = threading.Event()
        done = threading.Barrier(args.learners + 1)
        t_hub = time.monotonic() - t_start
        with ThreadPoolExecutor(max_workers=args.learners) as pool:
            futures = [pool.submit(learner_run, hub.base, n, f"password-{n}", args.ramp * i / args.learners,
                                   args.moves, args.pause, stop, done, measured, res)
                       for i, n in enumerate(names)]
            remaining = args.time_limit - (time.monotonic() - t_start) - 60  # keep a minute to measure and stop
            try:
                done.wait(timeout=max(10.0, remaining))
            except threading.BrokenBarrierError:
                stop.set()
                res.fail("load test", f"time limit: not every learner finished within {args.time_limit:.0f} s")
            # every learner's server and kernel are up (or failed): measure memory now
            mem = {n: memory_of(pwd.getpwnam(n).pw_uid) for n in names if _exists(n)}
            hub_rss = sum(p.memory_info().rss for p in hub.hub_processes() if p.is_running())
            instructor_me = Learner(hub.base, instructor)
            stored = None
            try:
                instructor_me.login("instructor-pass-1")
                instructor_me.make_token()
                stored = instructor_me.api("GET", "/services/checkin/api/room").json()["answers_stored"]
            except Exception as exc:
                res.fail("instructor", f"check-in room: {exc}")
            measured.set()
            stop.set()
            wait(futures, timeout=120)
        elapsed = time.monotonic() - t_start
    report(args, res, mem, hub_rss, stored, t_hub, elapsed)


def _exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def report(args, res: Results, mem: dict, hub_rss: float, stored: int | None, t_hub: float, elapsed: float) -> None:
    mib = 1024**2
    servers = [m["server"] for m in mem.values() if m["server"][0]]
    kernels = [m["kernel"] for m in mem.values() if m["kernel"][0]]
    per_learner_pss = [m["server"][1] + m["kernel"][1] for m in mem.values() if m["server"][0] and m["kernel"][0]]
    per_learner_rss = [m["server"][0] + m["kernel"][0] for m in mem.values() if m["server"][0] and m["kernel"][0]]
    print(f"\nWorkshop hub load test: {args.learners} learners, {args.moves} explorer moves each "
          f"({args.pause} s apart), arriving over {args.ramp:.0f} s; {os.cpu_count()} cores; "
          f"limits {args.mem_limit} and {args.cpu_limit} CPU per learner")
    load = os.getloadavg()
    print(f"  hub up in                          {t_hub:6.1f} s;   whole run {elapsed:.0f} s;   load average at the "
          f"end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min; other work on the machine counts)")
    print(f"  login -> ready server              median {pct(res.ready_s, 50):6.1f} s"
          f"   p95 {pct(res.ready_s, 95):6.1f} s   (n={len(res.ready_s)})")
    print(f"  notebook 07 run (all code cells)   median {pct(res.notebook_s, 50):6.1f} s"
          f"   p95 {pct(res.notebook_s, 95):6.1f} s")
    print(f"  explorer update under load         median {pct(res.update_ms, 50):6.0f} ms  p95 "
          f"{pct(res.update_ms, 95):6.0f} ms  (n={len(res.update_ms)}; request -> new value and PNG -> reply, "
          "through the proxy)")
    if servers and kernels:
        print(f"  memory per learner: server         RSS median {statistics.median(s[0] for s in servers) / mib:5.0f}"
              f" MiB   PSS median {statistics.median(s[1] for s in servers) / mib:5.0f} MiB")
        print(f"                      kernel (07)    RSS median {statistics.median(k[0] for k in kernels) / mib:5.0f}"
              f" MiB   PSS median {statistics.median(k[1] for k in kernels) / mib:5.0f} MiB")
        print(f"                      together       RSS p95 {pct(per_learner_rss, 95) / mib:5.0f} MiB      "
              f"PSS p95 {pct(per_learner_pss, 95) / mib:5.0f} MiB")
    if servers and kernels:
        print(f"  CPU time per learner: server       median {statistics.median(x[2] for x in servers):5.1f} s "
              "(start-up and serving)")
        print(f"                        kernel       median {statistics.median(x[2] for x in kernels):5.1f} s "
              f"(notebook 07, {args.moves} moves, the quiz)")
    cpu_ms = pct(res.move_cpu_ms, 50)
    print(f"  kernel CPU per explorer update     median {cpu_ms:5.1f} ms   -> one core serves about "
          f"{1000 / cpu_ms:.0f} updates per second")
    print(f"  hub + proxy + services             RSS {hub_rss / mib:5.0f} MiB")
    print(f"  check-in answers                   queued {res.queued}, sent {res.sent}, lost {res.lost}, "
          f"stored {stored}")
    print(f"  failed requests / errors           {len(res.failures)}")
    for f in res.failures[:10]:
        print(f"      {f}")
    print(f"  (the hub's log: {args.hub_log})")
    if per_learner_pss:
        usable = (MACHINE_GIB - RESERVE_GIB) * GIB
        by_pss = int(usable // pct(per_learner_pss, 95))
        by_rss = int(usable // pct(per_learner_rss, 95))
        print(f"  one {MACHINE_GIB} GB machine, by memory: about {by_pss} learners (p95 PSS; {by_rss} counting RSS,"
              f" which double-counts shared libraries), keeping {RESERVE_GIB} GiB for the system and the hub; "
              f"by memory limit ({args.mem_limit} each) {int(usable // _bytes(args.mem_limit))} guaranteed.")
        print(f"  by CPU: with every learner moving a control once a second, at most about {1000 / cpu_ms:.0f} "
              f"learners per core at 100 % CPU ({2 * 1000 / cpu_ms:.0f} on 2 cores, {8 * 1000 / cpu_ms:.0f} on 8; "
              "plan for half, updates queue near the limit); "
              "a whole room logging in at once costs about "
              f"{statistics.median(x[2] for x in servers) if servers else float('nan'):.1f} CPU-s per server start.")


def _bytes(text: str) -> float:
    units = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
    text = text.strip().upper()
    return float(text[:-1]) * units[text[-1]] if text and text[-1] in units else float(text or "inf")


if __name__ == "__main__":
    main()
