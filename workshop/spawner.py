"""The workshop's spawner: one server per learner, as the learner's own Unix user, with the course in their home.

:class:`WorkshopSpawner` is JupyterHub's LocalProcessSpawner plus:

* it creates the learner's Unix user with ``useradd`` when missing (home mode 0700, so no learner can read
  another's files) and runs servers only as users it created: a learner name that is already an account of the
  machine (``root``, ``nobody``, a colleague's login) is refused;
* on every start it copies the course (``notebooks/``, ``images/``; never the instructor's folder) into the home,
  file by file, never overwriting a file that is there: the first start gets the whole course, later starts keep
  the learner's edits and only add files that are new in the course;
* every process of a learner (server, kernels, anything they start, ``setsid``/daemonised ones included) lives in
  Linux control groups of the learner's own: a memory limit, a CFS CPU quota and a process-count limit (pids
  controller), cgroup v1 (tried here) or v2 (written for it, not tried). The learners' parent cgroup is weighted
  as one process per learner so that the room gets its fair share of the machine. Stopping the server (the
  instructor, the idle culler, the hub shutting down) ends every process in those cgroups and removes them;
* a private temporary folder: the server starts in a mount namespace of its own in which ``/tmp`` and
  ``/var/tmp`` are the learner's own folder (mode 0700) and ``/dev/shm`` a small tmpfs of its own; where mount
  namespaces are not available ``TMPDIR`` still points to that private folder (then ``/tmp`` itself stays shared);
* the slow steps of a start (``useradd``, copying the course, cgroups) and of a stop run in a worker thread, so
  the hub's event loop keeps serving logins and pages while a room arrives;
* everything it does is logged with the learner's name.

If the machine's cgroups cannot be written, it says so in the log and runs without limits.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import os
import pwd
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Bool, Float, Integer, List, Unicode

from .cgroups import _rebalance_cpu_weight, cgroup_dirs, cgroup_pids, end_cgroup

__all__ = ["LEARNER_MARK", "WorkshopSpawner", "cgroup_dirs", "cgroup_pids", "end_cgroup"]

LEARNER_MARK = "course workshop learner"
"""The comment (GECOS field) of every Unix user the hub creates; servers run only as such users."""

_USERADD_LOCK = threading.Lock()  # useradd locks /etc/passwd; concurrent calls fail, so make them wait in turn
CLONE_NEWNS, MS_REC, MS_PRIVATE, MS_BIND, MS_NOSUID, MS_NODEV = 0x20000, 0x4000, 0x40000, 0x1000, 0x2, 0x4
_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
_namespaces_ok: bool | None = None


def _mount_namespaces_work() -> bool:
    """Whether this machine lets the hub give a process a mount namespace of its own (tried once)."""
    global _namespaces_ok
    if _namespaces_ok is None:
        def trial():
            if _libc.unshare(CLONE_NEWNS) != 0 or _libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
                os._exit(1)

        try:
            _namespaces_ok = subprocess.run(["/bin/true"], preexec_fn=trial, timeout=10).returncode == 0
        except (OSError, subprocess.SubprocessError):
            _namespaces_ok = False
    return _namespaces_ok


class WorkshopSpawner(LocalProcessSpawner):
    """LocalProcessSpawner that creates the learner's user, copies the course in and contains the learner."""

    course_dir = Unicode(help="The repository folder whose notebooks/ and images/ are copied to each learner").tag(
        config=True)
    course_folders = List(Unicode(), ["notebooks", "images"], help="Folders of course_dir copied").tag(config=True)
    home_root = Unicode("/home", help="Where learners' homes are created").tag(config=True)
    pids_limit = Integer(512, help="Most processes and threads one learner may run at once (0: no limit)").tag(
        config=True)
    private_tmp = Bool(True, help="Give each learner a private /tmp (mount namespace) and TMPDIR").tag(config=True)
    tmp_root = Unicode(help="Folder (root's, mode 0711) that holds each learner's private temporary folder; "
                       "default: <home_root>/.workshop-tmp").tag(config=True)
    stop_grace_s = Float(2.0, help="Seconds a stopping server gets to shut down before every process of the "
                         "learner is killed").tag(config=True)

    # ------------------------------------------------------------------ the learner's user, home and course
    def _ensure_user(self) -> pwd.struct_passwd:
        name = self.user.name
        with _USERADD_LOCK:
            try:
                entry = pwd.getpwnam(name)
            except KeyError:
                self.log.info("Creating Unix user %s", name)
                subprocess.run(["useradd", "--create-home", "--home-dir", f"{self.home_root}/{name}",
                                "--shell", "/bin/bash", "--comment", LEARNER_MARK, name],
                               check=True, capture_output=True, timeout=60)
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
            if folder.split("/")[0] == "instructor":
                raise ValueError(f"course_folders: {folder!r} would copy the answer key to the learners")
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

    # ------------------------------------------------------------------ private temporary folder
    @property
    def private_tmp_dir(self) -> Path:
        return Path(self.tmp_root or os.path.join(self.home_root, ".workshop-tmp")) / self.user.name

    def _use_namespace(self, entry: pwd.struct_passwd) -> bool:
        home = os.path.realpath(entry.pw_dir)
        if any(home == d or home.startswith(d + "/") for d in ("/tmp", "/var/tmp", "/dev/shm")):
            self.log.warning("No private /tmp for %s: their home %s is under a temporary folder", self.user.name,
                             home)
            return False
        return _mount_namespaces_work()

    def _setup_tmp(self, entry: pwd.struct_passwd) -> None:
        """The learner's own temporary folders, empty at every start: <tmp_root>/<name>/{tmp,var-tmp}, mode 0700."""
        self._tmp_binds: list[tuple[bytes, bytes]] = []
        self._tmpdir = ""
        if not self.private_tmp:
            return
        root = self.private_tmp_dir.parent
        root.mkdir(mode=0o711, parents=True, exist_ok=True)
        os.chown(root, 0, 0)
        root.chmod(0o711)  # learners may pass through (TMPDIR without a namespace) but not list it
        mine = self.private_tmp_dir
        shutil.rmtree(mine, ignore_errors=True)
        mine.mkdir(mode=0o700)
        for sub in ("tmp", "var-tmp"):
            (mine / sub).mkdir(mode=0o700)
            os.chown(mine / sub, entry.pw_uid, entry.pw_gid)
        if self._use_namespace(entry):
            self._tmp_binds = [(os.fsencode(mine / "tmp"), b"/tmp"), (os.fsencode(mine / "var-tmp"), b"/var/tmp")]
            self._tmpdir = "/tmp"
            self.log.info("Private /tmp for %s: %s (mount namespace)", self.user.name, mine)
        else:
            os.chown(mine, entry.pw_uid, entry.pw_gid)
            self._tmpdir = str(mine / "tmp")
            self.log.warning("Private TMPDIR only for %s (no mount namespace here): %s; /tmp stays shared",
                             self.user.name, self._tmpdir)

    def get_env(self):
        env = super().get_env()
        if getattr(self, "_tmpdir", ""):
            env["TMPDIR"] = self._tmpdir
        return env

    # ------------------------------------------------------------------ cgroups
    def _setup_cgroups(self) -> list[Path]:
        """Create the learner's cgroups with the limits; return the cgroup.procs files to join (may be empty)."""
        procs = []
        try:
            dirs = cgroup_dirs(self.user.name)
            if not dirs:
                raise OSError("no writable cgroup hierarchy found")
            if cgroup_pids(dirs):  # left from a server that was not stopped through the hub (e.g. a hub crash)
                n, _ = end_cgroup(dirs)
                self.log.warning("Ended %d process(es) of %s left from an earlier server", n, self.user.name)
            for kind, d in dirs.items():
                d.mkdir(parents=True, exist_ok=True)
                if kind == "unified":
                    for parent in (d.parent, d.parent.parent):
                        ctl = parent / "cgroup.subtree_control"
                        if ctl.exists():
                            ctl.write_text("+memory +cpu +pids")
                    if self.mem_limit:
                        (d / "memory.max").write_text(str(int(self.mem_limit)))
                    if self.cpu_limit:
                        (d / "cpu.max").write_text(f"{int(self.cpu_limit * 100000)} 100000")
                    if self.pids_limit:
                        (d / "pids.max").write_text(str(self.pids_limit))
                elif kind == "memory" and self.mem_limit:
                    (d / "memory.limit_in_bytes").write_text(str(int(self.mem_limit)))
                elif kind == "cpu" and self.cpu_limit:
                    (d / "cpu.cfs_period_us").write_text("100000")
                    (d / "cpu.cfs_quota_us").write_text(str(int(self.cpu_limit * 100000)))
                elif kind == "pids" and self.pids_limit:
                    (d / "pids.max").write_text(str(self.pids_limit))
                procs.append(d / "cgroup.procs")
                if kind in ("cpu", "unified"):
                    _rebalance_cpu_weight(d.parent)
        except OSError as exc:
            self.log.warning("No memory/CPU/process limits for %s: cannot use cgroups (%s)", self.user.name, exc)
            return []
        self.log.info("Limits for %s: memory %s bytes, CPU %s cores, %s processes (cgroups %s)", self.user.name,
                      self.mem_limit, self.cpu_limit, self.pids_limit or "any",
                      ", ".join(str(p.parent) for p in procs))
        return procs

    def make_preexec_fn(self, name):
        setuid = set_user_setuid(name)
        procs = [os.fspath(p) for p in getattr(self, "_cgroup_procs", [])]
        binds = list(getattr(self, "_tmp_binds", []))
        unshare, mount = _libc.unshare, _libc.mount

        def preexec():
            for path in procs:  # join the learner's cgroups while still root; children (kernels) inherit them
                fd = os.open(path, os.O_WRONLY)
                try:
                    os.write(fd, b"0")
                finally:
                    os.close(fd)
            if binds:  # a mount namespace of the server's own: its /tmp, /var/tmp and /dev/shm are private
                if unshare(CLONE_NEWNS) != 0 or mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
                    raise OSError(ctypes.get_errno(), "cannot make a mount namespace for the learner's /tmp")
                for src, dst in binds:
                    if mount(src, dst, None, MS_BIND, None) != 0:
                        raise OSError(ctypes.get_errno(), f"cannot mount the learner's {dst.decode()}")
                if mount(b"tmpfs", b"/dev/shm", b"tmpfs", MS_NOSUID | MS_NODEV, b"size=256m,mode=1777") != 0:
                    raise OSError(ctypes.get_errno(), "cannot mount the learner's /dev/shm")
            setuid()

        return preexec

    def _prepare(self) -> None:
        """Everything before the server's process starts (blocking; runs in a worker thread)."""
        t0 = time.monotonic()
        entry = self._ensure_user()
        n = self._copy_course(entry)
        self.log.info("Course for %s: %d file(s) copied into %s", self.user.name, n, entry.pw_dir)
        self._setup_tmp(entry)
        self._cgroup_procs = self._setup_cgroups()
        self.log.info("Prepared %s's start in %.2f s", self.user.name, time.monotonic() - t0)

    async def start(self):
        await asyncio.to_thread(self._prepare)
        return await super().start()

    def _end_everything(self) -> None:
        n, removed = end_cgroup(cgroup_dirs(self.user.name))
        if n:
            self.log.info("Ended %d process(es) left in %s's cgroups", n, self.user.name)
        if not removed:
            self.log.warning("Could not remove %s's cgroups", self.user.name)
        if self.private_tmp:
            shutil.rmtree(self.private_tmp_dir, ignore_errors=True)

    async def stop(self, now=False):
        """Ask the server to stop (SIGTERM), then end every process of the learner and remove their cgroups."""
        if not now and await self.poll() is None:
            await self._signal(signal.SIGTERM)
            await self.wait_for_death(self.stop_grace_s)
        await asyncio.to_thread(self._end_everything)
        await super().stop(now=True)
