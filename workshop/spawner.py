"""The workshop's spawner: one server per learner, as the learner's own Unix user, with the course in their home.

:class:`WorkshopSpawner` is JupyterHub's LocalProcessSpawner plus four things:

* it creates the learner's Unix user with ``useradd`` when missing (home mode 0700, so no learner can read
  another's files) and runs servers only as users it created: a learner name that is already an account of the
  machine (``root``, ``nobody``, a colleague's login) is refused;
* on every start it copies the course (``notebooks/``, ``images/``) into the home, file by file, never
  overwriting a file that is there: the first start gets the whole course, later starts keep the learner's edits
  and only add files that are new in the course;
* memory and CPU limits through Linux control groups: LocalProcessSpawner itself does not enforce
  ``mem_limit``/``cpu_limit``, so this spawner puts the server (and with it every kernel it starts) into a cgroup
  of its own under the hub's cgroup, with ``memory.limit_in_bytes`` and a CFS CPU quota (cgroup v1), or
  ``memory.max``/``cpu.max`` (cgroup v2), the learners' parent cgroup weighted as one process per learner so
  that the room gets its fair share of the machine. If the machine's cgroups cannot be written, it says so in
  the log and runs without limits;
* everything it does is logged with the learner's name.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import List, Unicode

CGROUP_ROOT = Path("/sys/fs/cgroup")
LEARNER_MARK = "course workshop learner"
"""The comment (GECOS field) of every Unix user the hub creates; servers run only as such users."""


def _own_cgroup(controller: str) -> str | None:
    """The hub process's cgroup path for ``controller`` (v1), or for the unified hierarchy (v2, ``""``)."""
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
    """Directories of the learner's cgroups (not created): {"memory": ..., "cpu": ...} or {"unified": ...}."""
    if (CGROUP_ROOT / "cgroup.controllers").exists():  # cgroup v2
        own = _own_cgroup("") or "/"
        return {"unified": CGROUP_ROOT / own.lstrip("/") / "workshop" / username}
    out = {}
    for controller in ("memory", "cpu"):
        own = _own_cgroup(controller)
        if own is not None and (CGROUP_ROOT / controller).is_dir():
            out[controller] = CGROUP_ROOT / controller / own.lstrip("/") / "workshop" / username
    return out


class WorkshopSpawner(LocalProcessSpawner):
    """LocalProcessSpawner that creates the learner's user, copies the course in and applies cgroup limits."""

    course_dir = Unicode(help="The repository folder whose notebooks/ and images/ are copied to each learner").tag(
        config=True)
    course_folders = List(Unicode(), ["notebooks", "images"], help="Folders of course_dir copied").tag(config=True)
    home_root = Unicode("/home", help="Where learners' homes are created").tag(config=True)

    def _ensure_user(self) -> pwd.struct_passwd:
        name = self.user.name
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            self.log.info("Creating Unix user %s", name)
            subprocess.run(["useradd", "--create-home", "--home-dir", f"{self.home_root}/{name}",
                            "--shell", "/bin/bash", "--comment", LEARNER_MARK, name],
                           check=True, capture_output=True, timeout=30)
            entry = pwd.getpwnam(name)
        if entry.pw_uid < 1000 or entry.pw_gecos != LEARNER_MARK:
            # a name that is already an account of this machine (root, nobody, a staff member) is never used
            raise RuntimeError(f"refusing to run a learner server as {name!r}: that Unix account exists and was not "
                               "made by the workshop hub; choose another learner name")
        home = Path(entry.pw_dir)
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chown(home, entry.pw_uid, entry.pw_gid)
        home.chmod(0o700)  # no learner reads another learner's home
        return entry

    def _copy_course(self, entry: pwd.struct_passwd) -> int:
        """Copy course files missing from the learner's home; return how many were copied.

        Every folder on the way belongs to the learner (JupyterLab must be able to write checkpoints and new
        files there; a folder left to root would send them to a shared temporary folder instead).
        """
        copied = 0
        src_root = Path(self.course_dir)
        home = Path(entry.pw_dir)

        def own_dir(d: Path) -> None:
            missing = []
            while d != home and not d.is_dir():
                missing.append(d)
                d = d.parent
            for m in reversed(missing):
                m.mkdir()
            for m in [*missing, d] if d != home else missing:
                if m.stat().st_uid != entry.pw_uid:
                    os.chown(m, entry.pw_uid, entry.pw_gid)

        for folder in self.course_folders:
            own_dir(home / folder)
            for src in sorted((src_root / folder).rglob("*")):
                rel = src.relative_to(src_root)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                dst = home / rel
                if src.is_dir():
                    own_dir(dst)
                    continue
                if dst.exists() or dst.is_symlink():
                    continue  # the learner's copy wins: edits are kept
                own_dir(dst.parent)
                shutil.copyfile(src, dst)
                os.chown(dst, entry.pw_uid, entry.pw_gid)
                copied += 1
        return copied

    def _setup_cgroups(self) -> list[Path]:
        """Create the learner's cgroups with the limits; return the cgroup.procs files to join (may be empty)."""
        if not (self.mem_limit or self.cpu_limit):
            return []
        procs = []
        try:
            dirs = cgroup_dirs(self.user.name)
            if not dirs:
                raise OSError("no writable cgroup hierarchy found")
            for kind, d in dirs.items():
                d.mkdir(parents=True, exist_ok=True)
                if kind == "unified":
                    for parent in (d.parent, d.parent.parent):
                        ctl = parent / "cgroup.subtree_control"
                        if ctl.exists():
                            ctl.write_text("+memory +cpu")
                    if self.mem_limit:
                        (d / "memory.max").write_text(str(int(self.mem_limit)))
                    if self.cpu_limit:
                        (d / "cpu.max").write_text(f"{int(self.cpu_limit * 100000)} 100000")
                elif kind == "memory" and self.mem_limit:
                    (d / "memory.limit_in_bytes").write_text(str(int(self.mem_limit)))
                elif kind == "cpu" and self.cpu_limit:
                    (d / "cpu.cfs_period_us").write_text("100000")
                    (d / "cpu.cfs_quota_us").write_text(str(int(self.cpu_limit * 100000)))
                procs.append(d / "cgroup.procs")
                _rebalance_cpu_weight(d.parent)
        except OSError as exc:
            self.log.warning("No memory/CPU limits for %s: cannot use cgroups (%s)", self.user.name, exc)
            return []
        self.log.info("Limits for %s: memory %s bytes, CPU %s cores (cgroups %s)", self.user.name,
                      self.mem_limit, self.cpu_limit, ", ".join(str(p.parent) for p in procs))
        return procs

    def make_preexec_fn(self, name):
        setuid = set_user_setuid(name)
        procs = [os.fspath(p) for p in getattr(self, "_cgroup_procs", [])]

        def preexec():
            for path in procs:  # join the learner's cgroups while still root; children (kernels) inherit them
                fd = os.open(path, os.O_WRONLY)
                try:
                    os.write(fd, b"0")
                finally:
                    os.close(fd)
            setuid()

        return preexec

    async def start(self):
        entry = self._ensure_user()
        n = self._copy_course(entry)
        self.log.info("Course for %s: %d file(s) copied into %s", self.user.name, n, entry.pw_dir)
        self._cgroup_procs = self._setup_cgroups()
        return await super().start()

    async def stop(self, now=False):
        await super().stop(now=now)
        for d in cgroup_dirs(self.user.name).values():
            try:
                d.rmdir()  # only succeeds once empty; a later start recreates it
                _rebalance_cpu_weight(d.parent)
            except OSError:
                pass


def _rebalance_cpu_weight(parent: Path) -> None:
    """Weigh the learners' parent cgroup as one ordinary process per learner in it.

    Without this the kernel's scheduler treats all learners together like a single process next to every other
    process on the machine, and a room of learners starves as soon as anything else runs.
    """
    n = max(1, sum(1 for p in parent.iterdir() if p.is_dir()))
    try:
        if (parent / "cpu.shares").exists():  # cgroup v1 (default 1024 for one process)
            (parent / "cpu.shares").write_text(str(min(262144, 1024 * n)))
        elif (parent / "cpu.weight").exists():  # cgroup v2 (default 100)
            (parent / "cpu.weight").write_text(str(min(10000, 100 * n)))
    except OSError:
        pass
