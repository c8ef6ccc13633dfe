"""How fast the graded check-in answers, and whether answers survive its restarts. Prints numbers; asserts nothing.

Starts ``workshop.checkin_service`` on a free port of 127.0.0.1 with a small fake hub API (the one call the
service's HubOAuth makes, ``GET /hub/api/user``; a real JupyterHub is not needed), then:

1. **Latency**: N learners (threads, default 20) post M answers each (default 10) to real questions of the course,
   all at once; prints median and p95 of ``POST api/answers`` (parse, grade, SQLite commit with fsync) and, as a
   baseline in the same run, of ``GET api/answers/mine`` (the same authentication, no write).
2. **Restarts**: ``course_utils.checkin`` (as in a learner's kernel) answers while the service is killed and down
   for ``--down`` seconds (default 10, as when the hub restarts it), R times (default 3); prints per restart the
   answers kept in the kernel, how long after the service was back the kernel's queue was empty, and whether
   every answer was stored once, in order.

Run: ``.venv/bin/python benchmarks/checkin_service.py [--learners 20] [--answers 10] [--restarts 3]``.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workshop.question_bank import build_bank  # noqa: E402

PREFIX = "/services/checkin/"
SCOPES = ["access:services!service=checkin"]


class _HubAPI(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("token ").strip()
        ok = token.startswith("tok-") and self.path.rstrip("/") == "/hub/api/user"
        body = json.dumps({"kind": "user", "name": token[4:], "scopes": SCOPES} if ok else {}).encode()
        self.send_response(200 if ok else 403)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(hub_api: str, db: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    env.update(JUPYTERHUB_API_TOKEN="bench", JUPYTERHUB_API_URL=hub_api, JUPYTERHUB_SERVICE_NAME="checkin",
               JUPYTERHUB_SERVICE_PREFIX=PREFIX, JUPYTERHUB_CLIENT_ID="service-checkin", PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-m", "workshop.checkin_service", "--db", str(db), "--port", str(port),
                             "--burst", "100000", "--rate", "10000"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}{PREFIX}api/answers/mine"
    for _ in range(300):
        try:
            if requests.get(url, headers={"Authorization": "token tok-probe"}, timeout=2).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit("the check-in service did not start")


def _pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, round(p / 100 * (len(v) - 1)))]


def latency(base: str, bank: list, learners: int, answers: int) -> None:
    post_ms: list[float] = []
    get_ms: list[float] = []
    codes: list[int] = []
    lock = threading.Lock()
    go = threading.Event()

    def learner(i: int) -> None:
        s = requests.Session()
        s.headers["Authorization"] = f"token tok-l{i}"
        go.wait()
        for j in range(answers):
            q = bank[(i + j) % len(bank)]
            a = 0 if q.kind == "choice" else f"{q.answer:g}"
            t0 = time.perf_counter()
            r = s.post(base + "api/answers", json={"question_id": q.question_id, "answer": a}, timeout=30)
            t1 = time.perf_counter()
            g = s.get(base + "api/answers/mine", timeout=30)
            t2 = time.perf_counter()
            with lock:
                post_ms.append((t1 - t0) * 1000)
                get_ms.append((t2 - t1) * 1000)
                codes.extend((r.status_code, g.status_code))

    threads = [threading.Thread(target=learner, args=(i,)) for i in range(learners)]
    for t in threads:
        t.start()
    t0 = time.perf_counter()
    go.set()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    bad = [c for c in codes if c not in (200, 201)]
    print(f"latency: {learners} learners x {answers} answers at once, {wall:.1f} s wall, {len(bad)} failed requests")
    print(f"  POST api/answers (grade + store)  median {statistics.median(post_ms):6.1f} ms   "
          f"p95 {_pct(post_ms, 95):6.1f} ms   (n={len(post_ms)})")
    print(f"  GET api/answers/mine (baseline)   median {statistics.median(get_ms):6.1f} ms   "
          f"p95 {_pct(get_ms, 95):6.1f} ms   (n={len(get_ms)})")


def restarts(hub_api: str, db: Path, port: int, proc: subprocess.Popen, bank: list, rounds: int,
             down_s: float) -> subprocess.Popen:
    from course_utils import checkin

    base = f"http://127.0.0.1:{port}{PREFIX}"
    os.environ["JUPYTERHUB_API_TOKEN"] = "tok-kernel"
    os.environ["COURSE_CHECKIN_URL"] = base + "api/answers"
    sent: list[str] = []
    for r in range(rounds):
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        batch = [bank[(r * 7 + k) % len(bank)] for k in range(15)]
        t0 = time.perf_counter()
        for k, q in enumerate(batch):
            checkin.report_answer({"question_id": q.question_id, "answer": 0 if q.kind == "choice" else "1"})
            sent.append(q.question_id)
            time.sleep(down_s / len(batch) * 0.9 if k < len(batch) - 1 else 0)
        report_s = time.perf_counter() - t0
        time.sleep(max(0.0, down_s - report_s))
        kept = checkin.pending()
        proc = _start(hub_api, db, port)
        back = time.perf_counter()
        drained = checkin.flush(60)
        drain_s = time.perf_counter() - back
        mine = requests.get(base + "api/answers/mine", headers={"Authorization": "token tok-kernel"},
                            timeout=10).json()["answers"]
        in_order = [a["question_id"] for a in mine] == sent
        print(f"restart {r + 1}: down {down_s:.0f} s, {kept} answers kept in the kernel; queue empty "
              f"{drain_s:.2f} s after the service answered again (drained={drained}); stored "
              f"{len(mine)} of {len(sent)}, once each and in order: {in_order}")
    print(f"kernel STATS: {checkin.STATS}")
    return proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--answers", type=int, default=10)
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--down", type=float, default=10.0, help="seconds the service stays down per restart")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
          f"({os.cpu_count()} cores)")
    bank = list(build_bank().values())
    hub = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HubAPI)
    threading.Thread(target=hub.serve_forever, daemon=True).start()
    hub_api = f"http://127.0.0.1:{hub.server_address[1]}/hub/api"
    with tempfile.TemporaryDirectory() as tmp:
        db, port = Path(tmp) / "checkin.sqlite", _port()
        proc = _start(hub_api, db, port)
        try:
            latency(f"http://127.0.0.1:{port}{PREFIX}", bank, args.learners, args.answers)
            proc = restarts(hub_api, db, port, proc, bank, args.restarts, args.down)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(10)
            hub.shutdown()


if __name__ == "__main__":
    main()
