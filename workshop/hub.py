"""Start the course's workshop hub on this machine, as root: ``workshop/start`` (or ``python -m workshop.hub``).

JupyterHub behind configurable-http-proxy, learners who choose their password on first login, one server per
learner as their own Unix user with the course in their home, memory/CPU/process limits, a private /tmp, an idle
culler and the class check-in. Before the hub starts, everything it needs is checked, and installed where it can
be; anything missing is named with the command that installs it:

* the hub's Python packages (``workshop/requirements.txt``; ``workshop/start`` installs them);
* configurable-http-proxy: ``npm ci`` into ``workshop/node_modules`` when missing (needs node ≥ 20 and npm);
* a Python for the learners' servers outside the repository: built once in
  ``/opt/massage-course-hub/learner-env`` from a system Python (about 30 s, from PyPI), or ``--python``;
* the repository is made private to root (``chmod o-rwx``), so no learner can read the answer key or the
  instructor's guide.

    workshop/start                                       # http://127.0.0.1:8000
    workshop/start --ip 0.0.0.0 --learners roster.txt --instructor maria --prestart
    workshop/start prestart                              # start every roster learner's server now

Stop it with Ctrl+C (within 5 s): every learner's server and process stops too; their homes, passwords and
answers stay.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORKSHOP = REPO / "workshop"
LEARNER_ENV = Path("/opt/massage-course-hub/learner-env")
"""The learners' Python environment: outside the repository, which learners may not enter."""
NOBODY_UID = 65534
NAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
HUB_MODULES = {"jupyterhub": "jupyterhub", "firstuseauthenticator": "jupyterhub-firstuseauthenticator",
               "jupyterhub_idle_culler": "jupyterhub-idle-culler", "bcrypt": "bcrypt", "psutil": "psutil"}
"""Python modules the hub process needs, and the PyPI package of each (all in workshop/requirements.txt)."""
NODE_MIN = (20, 0)
"""configurable-http-proxy 5.2.0 and every package under it (package-lock.json) ask for node ≥ 20."""
LEFT_OUT_OF_LEARNER_ENV = ["rfc3987-syntax"]
"""An optional IRI checker of jsonschema whose import builds a parser for about 1.8 CPU-s at every server start;
nothing in a learner's server validates IRIs (jsonschema works without it)."""
SERVER_EXTENSIONS_OFF = ["jupyter_lsp", "jupyter_server_terminals", "voila.server_extension", "notebook_shim"]
"""Server extensions a learner's server does not load: the language server, terminals, Voila (the instructor
projects it from their own machine) and the classic-notebook shim. JupyterLab, ipywidgets and ipympl (front-end
extensions) stay."""
SINGLEUSER_ARGS = [*(f"--ServerApp.jpserver_extensions={name}=False" for name in SERVER_EXTENSIONS_OFF),
                   "--ServerApp.terminals_enabled=False"]
"""Command-line options of every learner's server (with LEFT_OUT_OF_LEARNER_ENV: a start costs about half the
CPU-seconds; benchmarks/hub_load.py --startup-cost measures it)."""
STOP_BUDGET_S = 4.5
"""Ctrl+C: how long the hub gets to stop by itself before everything left is killed."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_root_hint() -> str:
    return "workshop/start" if os.geteuid() == 0 or shutil.which("sudo") is None else "sudo workshop/start"


def missing_hub_modules() -> list[str]:
    """PyPI names of the hub's packages that this Python cannot import."""
    return [pkg for mod, pkg in HUB_MODULES.items() if importlib.util.find_spec(mod) is None]


def check_hub_modules() -> None:
    missing = missing_hub_modules()
    if missing:
        pip = Path(sys.executable).with_name("pip")
        sys.exit(f"The workshop hub needs Python packages that {sys.executable} does not have: {', '.join(missing)}.\n"
                 f"Install them with:\n    {pip if pip.exists() else sys.executable + ' -m pip'} install -r "
                 f"{os.path.relpath(WORKSHOP / 'requirements.txt')}\n"
                 f"or start the hub with {_as_root_hint()}, which installs everything it needs.")


def proxy_command() -> Path:
    return WORKSHOP / "node_modules" / ".bin" / "configurable-http-proxy"


def node_version() -> tuple[int, int] | None:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        return None
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout
        major, minor = out.strip().lstrip("v").split(".")[:2]
        return int(major), int(minor)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


def ensure_proxy() -> Path:
    """Install configurable-http-proxy from npm (pinned by workshop/package-lock.json) if it is missing."""
    install = ("Debian/Ubuntu: apt-get install -y nodejs npm (check node --version; if it is older, install "
               "node 20 or newer from https://nodejs.org or NodeSource)")
    version = node_version()
    if version is None:
        sys.exit(f"The hub's proxy, configurable-http-proxy, runs on node, which is not installed. {install}.")
    if version < NODE_MIN:
        sys.exit(f"node {version[0]}.{version[1]} is too old for configurable-http-proxy 5.2 (it needs node "
                 f"{NODE_MIN[0]} or newer). {install}.")
    cmd = proxy_command()
    if not cmd.exists():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit(f"The hub needs configurable-http-proxy from npm, but npm is not installed. {install}.")
        print("Installing configurable-http-proxy into workshop/node_modules (npm ci) ...", flush=True)
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=WORKSHOP, check=True, timeout=600)
    return cmd


def _as_nobody():
    os.setgroups([])
    os.setgid(NOBODY_UID)
    os.setuid(NOBODY_UID)


def learner_can_run(python: str | os.PathLike, code: str | None = "import jupyterhub, jupyterlab, course_utils",
                    path: Path | None = None) -> bool:
    """Whether an unprivileged user (nobody) can run ``python`` and import what a learner's server needs.

    With ``code=None`` and a ``path`` (``python`` then being a shell): whether nobody can list that folder.
    """
    cmd = [os.fspath(python), "-c", code] if code is not None else [os.fspath(python), "-c", 'ls "$0"', str(path)]
    try:
        proc = subprocess.run(cmd, preexec_fn=_as_nobody, cwd="/", timeout=60,
                              env={"PATH": "/usr/bin:/bin", "HOME": "/"}, capture_output=True)
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0


def learner_can_read(path: Path) -> bool:
    """Whether an unprivileged user (nobody) can read ``path``."""
    try:
        proc = subprocess.run(["/bin/cat", str(path)], preexec_fn=_as_nobody, cwd="/", timeout=30,
                              capture_output=True)
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0


def protect_repository() -> None:
    """Make the repository private to root: learners must not read instructor/answers.md or the guide."""
    mode = stat.S_IMODE(REPO.stat().st_mode)
    if mode & 0o007:
        REPO.chmod(mode & ~0o007)
        print(f"Made {REPO} private to its owner (chmod o-rwx): learners' servers cannot read the answer key or "
              "the instructor's guide. Learners get their own copy of notebooks/ and images/ only.", flush=True)
    if REPO.stat().st_gid != 0 and mode & 0o050:
        print(f"Note: {REPO} can be entered by group {REPO.stat().st_gid}; keep learners out of that group.",
              flush=True)
    answers = REPO / "instructor" / "answers.md"
    if answers.exists() and learner_can_read(answers):
        sys.exit(f"An ordinary user can still read {answers}: make {REPO} private (chmod 700) and start again.")


def _fingerprint(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
    return h.hexdigest()[:16]


def _course_code_fingerprint() -> str:
    files = sorted(p for p in (REPO / "course_utils").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return _fingerprint(*(str(p.relative_to(REPO)).encode() + p.read_bytes() for p in files),
                        (REPO / "pyproject.toml").read_bytes())


def build_learner_env(env_dir: Path = LEARNER_ENV) -> Path:
    """Build (once) a learner environment outside the repository from a system Python; return its python.

    ``requirements.txt`` goes in once (rebuilt when it or the hub's jupyterhub version changes), without the
    packages in LEFT_OUT_OF_LEARNER_ENV; course_utils is installed as a copy (not editable, so learners need no
    access to the repository) and reinstalled whenever its code changes (a few seconds).
    """
    import jupyterhub

    python = env_dir / "bin" / "python"
    stamp, course_stamp = env_dir / ".fingerprint", env_dir / ".course-fingerprint"
    requirements = [ln for ln in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()
                    if ln.split("#")[0].strip() not in ("-e .", ".")]
    wanted = _fingerprint("\n".join(requirements), jupyterhub.__version__, *LEFT_OUT_OF_LEARNER_ENV)
    if not (python.exists() and stamp.exists() and stamp.read_text() == wanted and learner_can_run(python, "")):
        candidates = [os.path.realpath(getattr(sys, "_base_executable", sys.executable)), "/usr/bin/python3",
                      "/usr/local/bin/python3"]
        version_ok = "import sys, venv, ensurepip; assert sys.version_info >= (3, 10)"
        base = next((p for p in candidates if os.path.exists(p) and learner_can_run(p, version_ok)), None)
        if base is None:
            sys.exit(f"No Python ≥ 3.10 with venv that learners may run was found (tried {candidates}). Install one "
                     "for all users (Debian/Ubuntu: apt-get install -y python3-venv) or pass --python with an "
                     "environment learners can run.")
        print(f"Building the learners' Python environment in {env_dir} from {base} (once; about 30 s) ...",
              flush=True)
        shutil.rmtree(env_dir, ignore_errors=True)
        env_dir.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        subprocess.run([base, "-m", "venv", str(env_dir)], check=True, timeout=300)
        req_file = env_dir / "requirements-learner.txt"
        req_file.write_text("\n".join([*requirements, f"jupyterhub=={jupyterhub.__version__}", ""]))
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(req_file)], cwd="/", check=True,
                       timeout=1200)
        subprocess.run([str(python), "-m", "pip", "uninstall", "--quiet", "-y", *LEFT_OUT_OF_LEARNER_ENV],
                       cwd="/", check=False, timeout=300)
        env_dir.chmod(0o755)
        stamp.write_text(wanted)
    course = _course_code_fingerprint()
    if not (course_stamp.exists() and course_stamp.read_text() == course):
        with tempfile.TemporaryDirectory() as tmp:  # build from a copy: nothing is written into the repository
            src = Path(tmp) / "src"
            shutil.copytree(REPO / "course_utils", src / "course_utils",
                            ignore=shutil.ignore_patterns("__pycache__"))
            for name in ("pyproject.toml", "README.md", "LICENSE"):
                if (REPO / name).exists():
                    shutil.copy(REPO / name, src / name)
            subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall",
                            str(src)], cwd="/", check=True, timeout=600)
        course_stamp.write_text(course)
    if not learner_can_run(python):
        sys.exit(f"Built {env_dir}, but a learner still cannot run it: check that every folder above it "
                 "can be entered by all users (chmod o+x).")
    return python


def learner_python(requested: str | None) -> str:
    """The python each learner's server runs with: the requested one, else one built outside the repository."""
    if requested:
        if Path(os.path.abspath(requested)).is_relative_to(REPO):
            sys.exit(f"--python {requested}: learners cannot run anything inside the repository, which the hub "
                     "keeps private to root (it holds the answer key). Use an environment outside it, or leave "
                     f"--python out and the hub builds one in {LEARNER_ENV}.")
        if not learner_can_run(requested):
            sys.exit(f"--python {requested}: an ordinary user cannot run it or cannot import jupyterhub, "
                     "jupyterlab and course_utils with it. Install requirements.txt and jupyterhub into an "
                     "environment in a folder all users can enter.")
        return requested
    return str(build_learner_env())


def _names(text: str | None) -> list[str]:
    if not text:
        return []
    try:
        is_file = "," not in text and Path(text).is_file()
    except OSError:  # e.g. a long list of names is no file name
        is_file = False
    raw = Path(text).read_text(encoding="utf-8").split() if is_file else text.replace(",", " ").split()
    bad = [n for n in raw if not NAME.match(n)]
    if bad:
        sys.exit(f"Learner/instructor names must be lower-case letters, digits, - or _ (a Unix user name), "
                 f"starting with a letter, at most 31 characters; these are not: {bad}")
    return raw


def _seed_instructor_password(state: Path, name: str, password: str) -> None:
    """Set the instructor's password before anyone else can claim the name (only if none is set yet)."""
    import dbm

    import bcrypt

    with dbm.open(str(state / "passwords.dbm"), "c", 0o600) as db:
        if db.get(name.encode()) is None:
            db[name] = bcrypt.hashpw(password.encode(), bcrypt.gensalt())


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m workshop.hub", description=__doc__.splitlines()[0],
                                epilog="python -m workshop.hub prestart --help: start every roster learner's server "
                                "of a running hub")
    p.add_argument("--ip", default="127.0.0.1", help="address learners connect to (default 127.0.0.1: this "
                   "machine only; 0.0.0.0 for a room, behind HTTPS)")
    p.add_argument("--port", type=int, default=8000, help="port learners connect to (default 8000)")
    p.add_argument("--instructor", default="instructor", help="instructor (admin) user name(s), comma-separated")
    p.add_argument("--learners", default=None, help="roster: a file with one name a line, or names separated by "
                   "commas; only these can log in (default: anyone can pick a free name)")
    p.add_argument("--prestart", action="store_true", help="start every roster learner's server as soon as the "
                   "hub is up (as `python -m workshop.hub prestart` does)")
    p.add_argument("--python", default=None, help="python of the learners' servers, outside the repository "
                   f"(default: one built in {LEARNER_ENV})")
    p.add_argument("--mem-limit", default="2G", help="memory per learner, server and kernels together "
                   "(e.g. 1.5G; '' for none; default 2G)")
    p.add_argument("--cpu-limit", type=float, default=1.0, help="CPU cores per learner (0 for none; default 1)")
    p.add_argument("--pids-limit", type=int, default=512, help="processes and threads per learner (0 for none; "
                   "default 512)")
    p.add_argument("--cull-idle", type=int, default=3600, help="stop a server idle this many seconds (default 3600)")
    p.add_argument("--state-dir", default=str(WORKSHOP / "state"), help="hub database, passwords, check-in "
                   "answers (default workshop/state)")
    p.add_argument("--home-root", default="/home", help="where learners' home folders are made (default /home)")
    for name in ("hub-port", "proxy-api-port", "checkin-port"):
        p.add_argument(f"--{name}", type=int, default=0, help="internal port on 127.0.0.1 (default: a free one)")
    return p.parse_args(argv)


# ---------------------------------------------------------------------------------------------- prestart
def _prestart_info(state: Path) -> dict:
    path = state / "prestart.json"
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        sys.exit(f"No running hub found: {path} is missing. Start the hub first ({_as_root_hint()}), with the same "
                 "--state-dir.")
    except PermissionError:
        sys.exit(f"Cannot read {path}: run this as root, like the hub.")


def prestart(state: Path | None, parallel: int = 0, timeout_s: float = 900.0, names: list[str] | None = None,
             out=sys.stdout, api: str | None = None, token: str | None = None) -> list[str]:
    """Start the server of every roster learner (or of ``names``) of the running hub; return who is not ready.

    Talks to the hub's REST API on 127.0.0.1 with a token that only this hub and root can read (the state folder).
    At most ``parallel`` servers are starting at any time (default: 2 per CPU core), so that the machine is never
    swamped and the hub keeps answering while it works; servers that are already running are left alone.
    """
    import requests

    info = _prestart_info(state) if api is None else {"api": api.rstrip("/"), "token": token, "learners": []}
    api, headers = info["api"], {"Authorization": f"token {info['token']}"}
    learners = list(names if names is not None else info["learners"])
    if not learners:
        print("No roster (--learners), so there is nobody to prestart: learners' servers start at their login.",
              file=out, flush=True)
        return []
    parallel = parallel or 2 * (os.cpu_count() or 1)
    todo, pending, ready, failed = list(learners), set(), set(), {}
    t0 = time.monotonic()
    last_print = 0.0

    def state_of(name: str) -> str:
        r = requests.get(f"{api}/users/{name}", headers=headers, timeout=30)
        if r.status_code == 404:
            return "unknown"
        r.raise_for_status()
        server = r.json().get("servers", {}).get("", {})
        return "ready" if server.get("ready") else "pending" if server.get("pending") else "stopped"

    while (todo or pending) and time.monotonic() - t0 < timeout_s:
        for name in list(pending):
            s = state_of(name)
            if s == "ready":
                pending.discard(name)
                ready.add(name)
            elif s == "stopped":
                pending.discard(name)
                failed[name] = "the server stopped while starting (see the hub's log)"
        while todo and len(pending) < parallel:
            name = todo.pop(0)
            s = state_of(name)
            if s == "ready":
                ready.add(name)
                continue
            if s == "unknown":
                failed[name] = "not a user of this hub"
                continue
            if s == "stopped":
                r = requests.post(f"{api}/users/{name}/server", headers=headers, timeout=60)
                if r.status_code not in (201, 202, 400):
                    failed[name] = f"HTTP {r.status_code}: {r.text[:200]}"
                    continue
            pending.add(name)
        now = time.monotonic()
        if now - last_print > 5 or not (todo or pending):
            print(f"prestart: {len(ready)}/{len(learners)} servers ready after {now - t0:.0f} s", file=out, flush=True)
            last_print = now
        if todo or pending:
            time.sleep(0.5)
    for name in [*todo, *pending]:
        failed[name] = f"not ready after {timeout_s:.0f} s"
    for name, why in failed.items():
        print(f"prestart: {name}: {why}", file=out, flush=True)
    print(f"prestart: {len(ready)} of {len(learners)} learners' servers ready in {time.monotonic() - t0:.1f} s"
          + (f"; not ready: {', '.join(sorted(failed))}" if failed else "; they log in to a running server."),
          file=out, flush=True)
    return sorted(failed)


def prestart_main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(prog="python -m workshop.hub prestart",
                                description="Start every roster learner's server of the running workshop hub, so "
                                "that each learner's login opens a running server (run it before the room arrives).")
    p.add_argument("--state-dir", default=str(WORKSHOP / "state"), help="the hub's --state-dir (default "
                   "workshop/state)")
    p.add_argument("--parallel", type=int, default=0, help="servers starting at once (default: 2 per CPU core)")
    p.add_argument("--timeout", type=float, default=900.0, help="give up after this many seconds (default 900)")
    p.add_argument("--api-url", default=None, help="another hub's REST API (e.g. https://course.example.org/hub/api "
                   "on Kubernetes); the token is then read from $WORKSHOP_PRESTART_TOKEN and the names are required")
    p.add_argument("names", nargs="*", help="only these learners (default: the whole roster)")
    args = p.parse_args(argv)
    token = os.environ.get("WORKSHOP_PRESTART_TOKEN")
    if args.api_url and not (token and args.names):
        p.error("--api-url needs the learners' names and a token with the 'servers' scope in $WORKSHOP_PRESTART_TOKEN")
    try:
        failed = prestart(None if args.api_url else Path(args.state_dir).resolve(), args.parallel, args.timeout,
                          args.names or None, api=args.api_url, token=token)
    except KeyboardInterrupt:
        print("prestart: interrupted; servers already starting go on starting.", flush=True)
        sys.exit(130)
    except OSError as exc:
        sys.exit(f"prestart: cannot reach the hub ({exc}). Is it running?")
    sys.exit(1 if failed else 0)


# ---------------------------------------------------------------------------------------------- the hub
def end_all_learners() -> int:
    """Kill every learner process the hub's cgroups still hold and remove the cgroups; return how many."""
    from .cgroups import cgroup_dirs, end_cgroup

    names = set()
    for d in cgroup_dirs("x").values():
        try:
            names.update(p.name for p in d.parent.iterdir() if p.is_dir())
        except OSError:
            pass
    return sum(end_cgroup(cgroup_dirs(n), timeout_s=2.0)[0] for n in sorted(names))


def _kill_all(processes) -> None:
    for p in processes:
        try:
            if p.is_running():  # (psutil checks that the pid was not reused by another process)
                p.kill()
        except psutil_error():
            pass


def psutil_error():
    import psutil

    return psutil.Error


def run_hub(cmd: list[str], env: dict, cwd: Path, base_url: str, state: Path, do_prestart: bool) -> int:
    """Run JupyterHub as a child in a session of its own; on Ctrl+C (or SIGTERM) stop it within 5 s."""
    import psutil

    stop = threading.Event()
    received: list[int] = []

    def on_signal(signum, frame):
        received.append(signum)
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, start_new_session=True)  # Ctrl+C reaches only this process
    if do_prestart:
        def prestart_when_up():
            import requests

            while not stop.is_set() and proc.poll() is None:
                try:
                    if requests.get(f"{base_url}hub/api/", timeout=2).ok:
                        break
                except requests.RequestException:
                    pass
                time.sleep(0.5)
            if not stop.is_set() and proc.poll() is None:
                try:
                    prestart(state)
                except Exception as exc:  # the hub runs on; the instructor can run prestart again
                    print(f"prestart failed: {exc}; run `workshop/start prestart` again.", flush=True)

        threading.Thread(target=prestart_when_up, daemon=True).start()
    seen: dict[int, psutil.Process] = {}  # the hub's proxy and services run in sessions of their own: kept track of
    while proc.poll() is None and not stop.is_set():
        try:
            for p in psutil.Process(proc.pid).children(recursive=True):
                seen.setdefault(p.pid, p)
        except psutil.Error:
            pass
        stop.wait(0.5)
    if proc.poll() is not None and not stop.is_set():
        print(f"The hub exited by itself (status {proc.returncode}); see the messages above.", flush=True)
        _kill_all(seen.values())
        end_all_learners()
        return proc.returncode or 1
    t0 = time.monotonic()
    print("\nStopping the hub, its proxy and services, and every learner's server ...", flush=True)
    try:
        children = [*seen.values(), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.Error:
        children = list(seen.values())
    proc.send_signal(signal.SIGTERM)  # the hub stops the learners' servers, its proxy and its services
    # JupyterHub removes its pid file as the last step of its clean-up; the seconds it then takes to exit (Python
    # tearing down its modules) are not waited for
    pid_file = state / "jupyterhub.pid"
    deadline = t0 + STOP_BUDGET_S - 1.0
    while proc.poll() is None and pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        proc.wait(timeout=0.3)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
    try:
        children += psutil.Process().children(recursive=True)
    except psutil.Error:
        pass
    _kill_all(children)  # anything the hub started and left behind: proxy, services, learners' servers
    n = end_all_learners()  # learners' kernels and detached processes, by their cgroups
    print(f"Stopped in {time.monotonic() - t0:.1f} s" + (f" ({n} learner process(es) ended)." if n else "."),
          flush=True)
    return 0


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["prestart"]:
        return prestart_main(argv[1:])
    args = parse_args(argv)
    check_hub_modules()
    if os.geteuid() != 0:
        sys.exit("The workshop hub runs each learner's server as that learner's own Unix user, so it must be "
                 f"started as root: {_as_root_hint()}")
    instructors = _names(args.instructor)
    if not instructors:
        sys.exit("--instructor: give at least one instructor name.")
    learners = _names(args.learners)
    if not learners and args.ip not in ("127.0.0.1", "localhost", "::1"):
        print(f"Warning: the hub listens on {args.ip} without a roster, so anyone who reaches it can create an "
              "account. Give --learners with the names of the room.", file=sys.stderr, flush=True)
    if args.prestart and not learners:
        sys.exit("--prestart needs a roster (--learners): without one the hub cannot know who will come.")
    state = Path(args.state_dir).resolve()
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    state.chmod(0o700)
    proxy = ensure_proxy()
    protect_repository()
    python = learner_python(args.python)
    if os.environ.get("WORKSHOP_INSTRUCTOR_PASSWORD"):
        for name in instructors:
            _seed_instructor_password(state, name, os.environ["WORKSHOP_INSTRUCTOR_PASSWORD"])
    hub_port = args.hub_port or free_port()
    info = state / "prestart.json"  # read by `python -m workshop.hub prestart` (root only: the folder is 0700)
    fd = os.open(info, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"api": f"http://127.0.0.1:{hub_port}/hub/api", "token": secrets.token_hex(32),
                   "learners": learners}, f)
    from .cgroups import hub_cpu_cgroup

    os.environ.update(hub_cpu_cgroup())  # (the launcher ends learners' processes by their cgroups too)
    env = dict(os.environ)
    env.pop("WORKSHOP_INSTRUCTOR_PASSWORD", None)
    env.update({
        "WORKSHOP_IP": args.ip, "WORKSHOP_PORT": str(args.port), "WORKSHOP_STATE_DIR": str(state),
        "WORKSHOP_INSTRUCTORS": ",".join(instructors), "WORKSHOP_LEARNERS": ",".join(learners),
        "WORKSHOP_PYTHON": python, "WORKSHOP_MEM_LIMIT": args.mem_limit, "WORKSHOP_CPU_LIMIT": str(args.cpu_limit),
        "WORKSHOP_PIDS_LIMIT": str(args.pids_limit),
        "WORKSHOP_CULL_IDLE": str(args.cull_idle), "WORKSHOP_HOME_ROOT": args.home_root,
        "WORKSHOP_HUB_PORT": str(hub_port),
        "WORKSHOP_PROXY_API_PORT": str(args.proxy_api_port or free_port()),
        "WORKSHOP_CHECKIN_PORT": str(args.checkin_port or free_port()),
        "PYTHONPATH": os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]),
    })
    host = "127.0.0.1" if args.ip in ("0.0.0.0", "::") else args.ip
    print(f"Workshop hub: http://{args.ip}:{args.port}/  (instructor: {', '.join(instructors)}; proxy {proxy}; "
          f"learners' python {python}). Stop with Ctrl+C.", flush=True)
    cmd = [sys.executable, "-m", "jupyterhub", "-f", str(WORKSHOP / "jupyterhub_config.py")]
    sys.exit(run_hub(cmd, env, state, f"http://{host}:{args.port}/", state, args.prestart))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:  # Ctrl+C before the hub runs (e.g. while installing): no traceback
        print("\nInterrupted; nothing is running.", flush=True)
        sys.exit(130)
