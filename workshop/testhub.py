"""A throw-away workshop hub on 127.0.0.1 for the hub test and the load test: started, used, and removed.

``TemporaryHub`` starts ``python -m workshop.hub`` on free ports with a roster, a state folder and a folder of
homes of its own (under /home: a home under /tmp would be hidden by the learner's private /tmp), waits until the
hub and its check-in answer, and on ``close()`` stops the hub as Ctrl+C does (SIGINT to its process group; the
hub stops the learners' servers), ends any process left to the roster's Unix users, deletes those users with
their homes and removes its folders and cgroups. Needs root.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import requests

from .cgroups import CGROUP_ROOT, HUB_CGROUP, cgroup_dirs, end_cgroup
from .hub import REPO, free_port


class TemporaryHub:
    """A workshop hub for ``learners`` and ``instructor`` (whose password is ``instructor_password``).

    ``keep_log``: a file to copy the hub's log to when it stops (the state folder is deleted).
    """

    def __init__(self, learners: list[str], instructor: str, instructor_password: str, *, mem_limit: str = "1G",
                 cpu_limit: float = 1.0, pids_limit: int = 512, start_timeout_s: float = 300.0,
                 keep_log: str | None = None, extra_args: tuple[str, ...] = ()) -> None:
        self.names = [*learners, instructor]
        self.keep_log = keep_log
        self.learners, self.instructor = learners, instructor
        self.state = tempfile.mkdtemp(prefix="workshop-state-")
        self.homes = tempfile.mkdtemp(prefix="workshop-test-homes-", dir="/home")
        os.chmod(self.homes, 0o755)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(self.state) / "hub.log"
        self._log = open(self.log_path, "wb")  # closed in close()
        env = dict(os.environ, WORKSHOP_INSTRUCTOR_PASSWORD=instructor_password)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "workshop.hub", "--ip", "127.0.0.1", "--port", str(self.port),
             "--state-dir", self.state, "--home-root", self.homes, "--learners", ",".join(learners),
             "--instructor", instructor, "--mem-limit", mem_limit, "--cpu-limit", str(cpu_limit),
             "--pids-limit", str(pids_limit), *extra_args],
            cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            # the first start on a machine may build the learners' Python environment (about 30 s)
            self._wait(lambda: requests.get(f"{self.base}/hub/api/", timeout=5).status_code == 200,
                       start_timeout_s, "the hub to answer")
            self._wait(lambda: requests.get(f"{self.base}/services/checkin/api/room", timeout=5).status_code == 401,
                       60, "the check-in service")
        except BaseException:
            self.close()
            raise

    def _wait(self, predicate, timeout_s: float, what: str) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                if predicate():
                    return
            except (requests.RequestException, OSError):
                pass
            time.sleep(0.3)
        raise TimeoutError(f"timed out after {timeout_s:.0f} s waiting for {what}:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def checkin_pid(self) -> int | None:
        """Process id of this hub's check-in service, or None."""
        for p in psutil.process_iter(["pid", "cmdline"]):
            cmd = p.info["cmdline"] or []
            if "workshop.checkin_service" in cmd and self.state in " ".join(cmd):
                return p.info["pid"]
        return None

    def hub_processes(self) -> list[psutil.Process]:
        """The hub, its proxy and its services (the hub's processes that run as root, not the learners')."""
        try:
            hub = psutil.Process(self.proc.pid)
            return [hub, *(c for c in hub.children(recursive=True) if c.uids().real == 0)]
        except psutil.Error:
            return []

    def interrupt(self, timeout_s: float = 30.0) -> float:
        """Stop the hub as Ctrl+C in its terminal does (SIGINT to its process group); return the seconds it took."""
        t0 = time.monotonic()
        try:
            os.killpg(self.proc.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            pass
        return time.monotonic() - t0

    def close(self) -> None:
        started = []
        if self.proc.poll() is None:
            try:
                started = psutil.Process(self.proc.pid).children(recursive=True)
            except psutil.Error:
                pass
            self.interrupt()
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=10)
        for p in started:  # anything the hub started and left behind
            try:
                p.kill()
            except psutil.Error:
                pass
        self._log.close()
        if self.keep_log:
            shutil.copy(self.log_path, self.keep_log)
        for name in self.names:
            try:
                uid = pwd.getpwnam(name).pw_uid
            except KeyError:
                continue
            for p in psutil.process_iter(["pid", "uids"]):
                if p.info["uids"] and p.info["uids"].real == uid:
                    try:
                        p.kill()
                    except psutil.NoSuchProcess:
                        pass
            subprocess.run(["userdel", "--remove", name], capture_output=True, timeout=30)
            end_cgroup(cgroup_dirs(name), timeout_s=5)
        for d in {*(d.parent for d in cgroup_dirs("x").values()), CGROUP_ROOT / "cpu" / HUB_CGROUP}:
            try:  # the learners' parent cgroups and the hub's, once empty (another hub may still use them)
                d.rmdir()
            except OSError:
                pass
        shutil.rmtree(self.homes, ignore_errors=True)
        shutil.rmtree(self.state, ignore_errors=True)

    def __enter__(self) -> TemporaryHub:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
