"""The learners' Linux control groups: where they are, and how to end every process in them (no JupyterHub import,
so that the hub's launcher can use it quickly when it stops)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
V1_CONTROLLERS = ("memory", "cpu", "pids", "freezer")
"""cgroup v1 controllers a learner gets a cgroup in (pids and freezer: to count, limit and end every process)."""


HUB_CGROUP = "workshop-hub"
"""The cpu cgroup (v1) of the hub, its proxy and services: a sibling of the learners' "workshop" cgroup."""


def _own_cgroup(controller: str) -> str | None:
    """The hub process's cgroup path for ``controller`` (v1), or for the unified hierarchy (v2, ``""``).

    For the cpu controller, a hub moved into its own cgroup (``hub_cpu_cgroup``) reports the cgroup it came from
    (``WORKSHOP_CGROUP_CPU_BASE``), so that learners' cgroups stay siblings of the hub's.
    """
    if controller == "cpu" and os.environ.get("WORKSHOP_CGROUP_CPU_BASE"):
        return os.environ["WORKSHOP_CGROUP_CPU_BASE"]
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if (controller and controller in controllers.split(",")) or (not controller and controllers == ""):
            return path
    return None


def cgroup_dirs(username: str) -> dict[str, Path]:
    """Directories of the learner's cgroups (not created): {"memory": ..., "pids": ...} or {"unified": ...}."""
    if (CGROUP_ROOT / "cgroup.controllers").exists():  # cgroup v2
        own = _own_cgroup("") or "/"
        return {"unified": CGROUP_ROOT / own.lstrip("/") / "workshop" / username}
    out = {}
    for controller in V1_CONTROLLERS:
        own = _own_cgroup(controller)
        if own is not None and (CGROUP_ROOT / controller).is_dir():
            out[controller] = CGROUP_ROOT / controller / own.lstrip("/") / "workshop" / username
    return out


def cgroup_pids(dirs: dict[str, Path]) -> set[int]:
    """Every process id in the learner's cgroups (all of them, so that nothing is missed)."""
    pids: set[int] = set()
    for d in dirs.values():
        try:
            pids.update(int(x) for x in (d / "cgroup.procs").read_text().split())
        except (OSError, ValueError):
            pass
    return pids


def end_cgroup(dirs: dict[str, Path], timeout_s: float = 5.0) -> tuple[int, bool]:
    """Kill every process in the learner's cgroups and remove the cgroups; return (processes killed, removed).

    cgroup v2: ``cgroup.kill``. cgroup v1: the freezer cgroup is frozen first, so that no process can fork while
    the others are killed, then every process gets SIGKILL and the cgroup is thawed (they die on thawing).
    """
    killed: set[int] = set()
    deadline = time.monotonic() + timeout_s
    freezer = dirs.get("freezer")
    while time.monotonic() < deadline:
        pids = cgroup_pids(dirs)
        if not pids:
            break
        unified = dirs.get("unified")
        if unified is not None and (unified / "cgroup.kill").exists():
            try:
                (unified / "cgroup.kill").write_text("1")
            except OSError:
                pass
        frozen = False
        if freezer is not None and freezer.is_dir():
            try:
                (freezer / "freezer.state").write_text("FROZEN")
                frozen = True
                t_freeze = time.monotonic()
                while (freezer / "freezer.state").read_text().strip() != "FROZEN" and time.monotonic() - t_freeze < 1:
                    time.sleep(0.01)
            except OSError:
                frozen = False
        for pid in cgroup_pids(dirs):
            try:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            except ProcessLookupError:
                pass
            except OSError:
                pass
        if frozen:
            try:
                (freezer / "freezer.state").write_text("THAWED")
            except OSError:
                pass
        time.sleep(0.05)
    removed = True
    for d in dirs.values():
        while d.is_dir():
            try:
                d.rmdir()
            except OSError:
                if time.monotonic() > deadline:
                    removed = False
                    break
                time.sleep(0.05)
    for d in dirs.values():
        if d.parent.is_dir():
            _rebalance_cpu_weight(d.parent)
    return len(killed), removed


def _rebalance_cpu_weight(parent: Path) -> None:
    """Weigh the learners' parent cgroup as one ordinary process per learner in it.

    Without this the kernel's scheduler treats all learners together like a single process next to every other
    process on the machine, and a room of learners starves as soon as anything else runs.
    """
    try:
        n = max(1, sum(1 for p in parent.iterdir() if p.is_dir()))
        if (parent / "cpu.shares").exists():  # cgroup v1 (default 1024 for one process)
            (parent / "cpu.shares").write_text(str(min(262144, 1024 * n)))
            hub = parent.parent / HUB_CGROUP
            if hub.is_dir():  # the hub weighs as much as the whole room: it never starves while they start
                (hub / "cpu.shares").write_text(str(min(262144, max(4096, 1024 * n))))
        elif (parent / "cpu.weight").exists():  # cgroup v2 (default 100)
            (parent / "cpu.weight").write_text(str(min(10000, 100 * n)))
    except OSError:
        pass


def hub_cpu_cgroup() -> dict[str, str]:
    """Move this process (the hub's launcher; its children inherit it) into a cpu cgroup of its own (v1).

    Otherwise the hub is one process next to the learners' cgroup, which weighs as one process per learner:
    while a room's servers and kernels start, the hub got a twentieth of the CPU and its event loop stalled for
    seconds. Returns the environment variables that keep the learners' cgroups where they were ({} if not done).
    """
    base = _own_cgroup("cpu")
    root = CGROUP_ROOT / "cpu"
    if base is None or not (root / "cpu.shares").exists() or base.rstrip("/").endswith(HUB_CGROUP):
        return {}
    try:
        d = root / base.lstrip("/") / HUB_CGROUP
        d.mkdir(exist_ok=True)
        (d / "cpu.shares").write_text("4096")
        (d / "cgroup.procs").write_text(str(os.getpid()))
    except OSError:
        return {}
    return {"WORKSHOP_CGROUP_CPU_BASE": base}
