"""Start the course's workshop hub on this machine: ``sudo .venv/bin/python -m workshop.hub``.

JupyterHub behind configurable-http-proxy, learners who choose their password on first login, one server per
learner as their own Unix user with the course in their home, memory/CPU limits, an idle culler and the class
check-in. Everything it needs is checked (and, where it can be, installed) before the hub starts:

* configurable-http-proxy: ``npm ci`` into ``workshop/node_modules`` when missing (needs node ≥ 20 and npm);
* a Python for the learners' servers that learners can run: ``--python`` (default: this repository's
  ``.venv/bin/python``). If a learner could not run it (for example it lives under ``/root``), a learner
  environment is built once in ``workshop/.learner-env`` (or ``/opt/massage-course-hub/learner-env`` when
  learners cannot enter the repository) from a system Python (about 30 s, from PyPI).

    sudo .venv/bin/python -m workshop.hub                              # http://127.0.0.1:8000, open sign-up
    sudo .venv/bin/python -m workshop.hub --ip 0.0.0.0 --learners roster.txt --instructor maria

Stop it with Ctrl+C: the learners' servers stop too; their homes, passwords and answers stay.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORKSHOP = REPO / "workshop"
LEARNER_ENV = WORKSHOP / ".learner-env"
OPT_LEARNER_ENV = Path("/opt/massage-course-hub/learner-env")  # when learners cannot enter the repository
NOBODY_UID = 65534
NAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proxy_command() -> Path:
    return WORKSHOP / "node_modules" / ".bin" / "configurable-http-proxy"


def ensure_proxy() -> Path:
    """Install configurable-http-proxy from npm (pinned by workshop/package-lock.json) if it is missing."""
    cmd = proxy_command()
    if not cmd.exists():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("The hub needs configurable-http-proxy from npm, but npm is not installed "
                     "(Debian/Ubuntu: apt-get install -y nodejs npm; node must be version 20 or newer).")
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


def _fingerprint(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
    return h.hexdigest()[:16]


def _course_code_fingerprint() -> str:
    files = sorted(p for p in (REPO / "course_utils").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return _fingerprint(*(str(p.relative_to(REPO)).encode() + p.read_bytes() for p in files),
                        (REPO / "pyproject.toml").read_bytes())


def _learner_env_dir() -> Path:
    """workshop/.learner-env when learners can enter the repository, else a folder under /opt."""
    return LEARNER_ENV if learner_can_run("/bin/sh", None, path=REPO / "course_utils") else OPT_LEARNER_ENV


def build_learner_env() -> Path:
    """Build (once) a learner environment from a system Python everyone can run; return its python.

    ``requirements.txt`` goes in once (rebuilt when it or the hub's jupyterhub version changes); course_utils is
    installed as a copy (not editable, so learners need no access to the repository) and reinstalled whenever
    its code changes (a few seconds).
    """
    import jupyterhub

    env_dir = _learner_env_dir()
    python = env_dir / "bin" / "python"
    stamp, course_stamp = env_dir / ".fingerprint", env_dir / ".course-fingerprint"
    requirements = [ln for ln in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()
                    if ln.split("#")[0].strip() not in ("-e .", ".")]
    wanted = _fingerprint("\n".join(requirements), jupyterhub.__version__)
    if not (python.exists() and stamp.exists() and stamp.read_text() == wanted and learner_can_run(python, "")):
        candidates = [os.path.realpath(getattr(sys, "_base_executable", sys.executable)), "/usr/bin/python3",
                      "/usr/local/bin/python3"]
        version_ok = "import sys, venv; assert sys.version_info >= (3, 10)"
        base = next((p for p in candidates if os.path.exists(p) and learner_can_run(p, version_ok)), None)
        if base is None:
            sys.exit(f"No Python ≥ 3.10 that learners may run was found (tried {candidates}). Install one for all "
                     "users (apt-get install -y python3-venv) or pass --python with an environment learners can "
                     "run.")
        print(f"Building the learners' Python environment in {env_dir} from {base} (once; about 30 s) ...",
              flush=True)
        shutil.rmtree(env_dir, ignore_errors=True)
        env_dir.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        subprocess.run([base, "-m", "venv", str(env_dir)], check=True, timeout=300)
        req_file = env_dir / "requirements-learner.txt"
        req_file.write_text("\n".join([*requirements, f"jupyterhub=={jupyterhub.__version__}", ""]))
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(req_file)], cwd=REPO, check=True,
                       timeout=1200)
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
                            str(src)], check=True, timeout=600)
        course_stamp.write_text(course)
    if not learner_can_run(python):
        sys.exit(f"Built {env_dir}, but a learner still cannot run it: check that every folder above it "
                 "can be entered by all users (chmod o+x).")
    return python


def learner_python(requested: str | None) -> str:
    """The python each learner's server runs with: the requested one, else the repo's .venv, else a built one."""
    if requested:
        if not learner_can_run(requested):
            sys.exit(f"--python {requested}: an ordinary user cannot run it or cannot import jupyterhub, "
                     "jupyterlab and course_utils with it. Install requirements.txt and jupyterhub into an "
                     "environment in a folder all users can enter.")
        return requested
    venv = REPO / ".venv" / "bin" / "python"
    if venv.exists() and learner_can_run(venv):
        return str(venv)
    return str(build_learner_env())


def _names(text: str | None) -> list[str]:
    if not text:
        return []
    path = Path(text)
    raw = path.read_text(encoding="utf-8").split() if path.is_file() else text.replace(",", " ").split()
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
    p = argparse.ArgumentParser(prog="python -m workshop.hub", description=__doc__.splitlines()[0])
    p.add_argument("--ip", default="127.0.0.1", help="address learners connect to (default 127.0.0.1: this "
                   "machine only; 0.0.0.0 for a room, behind HTTPS)")
    p.add_argument("--port", type=int, default=8000, help="port learners connect to (default 8000)")
    p.add_argument("--instructor", default="instructor", help="instructor (admin) user name(s), comma-separated")
    p.add_argument("--learners", default=None, help="roster: a file with one name a line, or names separated by "
                   "commas; only these can log in (default: anyone can pick a free name)")
    p.add_argument("--python", default=None, help="python of the learners' servers (default: this repo's .venv)")
    p.add_argument("--mem-limit", default="2G", help="memory per learner, server and kernels together "
                   "(e.g. 1.5G; '' for none; default 2G)")
    p.add_argument("--cpu-limit", type=float, default=1.0, help="CPU cores per learner (0 for none; default 1)")
    p.add_argument("--cull-idle", type=int, default=3600, help="stop a server idle this many seconds (default 3600)")
    p.add_argument("--state-dir", default=str(WORKSHOP / "state"), help="hub database, passwords, check-in "
                   "answers (default workshop/state)")
    p.add_argument("--home-root", default="/home", help="where learners' home folders are made (default /home)")
    for name in ("hub-port", "proxy-api-port", "checkin-port"):
        p.add_argument(f"--{name}", type=int, default=0, help="internal port on 127.0.0.1 (default: a free one)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("The workshop hub runs each learner's server as that learner's own Unix user, so it must be "
                 "started as root: sudo .venv/bin/python -m workshop.hub")
    instructors = _names(args.instructor)
    if not instructors:
        sys.exit("--instructor: give at least one instructor name.")
    learners = _names(args.learners)
    if not learners and args.ip not in ("127.0.0.1", "localhost", "::1"):
        print(f"Warning: the hub listens on {args.ip} without a roster, so anyone who reaches it can create an "
              "account. Give --learners with the names of the room.", file=sys.stderr, flush=True)
    state = Path(args.state_dir).resolve()
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    proxy = ensure_proxy()
    python = learner_python(args.python)
    if os.environ.get("WORKSHOP_INSTRUCTOR_PASSWORD"):
        for name in instructors:
            _seed_instructor_password(state, name, os.environ["WORKSHOP_INSTRUCTOR_PASSWORD"])
    env = dict(os.environ)
    env.pop("WORKSHOP_INSTRUCTOR_PASSWORD", None)
    env.update({
        "WORKSHOP_IP": args.ip, "WORKSHOP_PORT": str(args.port), "WORKSHOP_STATE_DIR": str(state),
        "WORKSHOP_INSTRUCTORS": ",".join(instructors), "WORKSHOP_LEARNERS": ",".join(learners),
        "WORKSHOP_PYTHON": python, "WORKSHOP_MEM_LIMIT": args.mem_limit, "WORKSHOP_CPU_LIMIT": str(args.cpu_limit),
        "WORKSHOP_CULL_IDLE": str(args.cull_idle), "WORKSHOP_HOME_ROOT": args.home_root,
        "WORKSHOP_HUB_PORT": str(args.hub_port or free_port()),
        "WORKSHOP_PROXY_API_PORT": str(args.proxy_api_port or free_port()),
        "WORKSHOP_CHECKIN_PORT": str(args.checkin_port or free_port()),
        "PYTHONPATH": os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]),
    })
    print(f"Workshop hub: http://{args.ip}:{args.port}/  (instructor: {', '.join(instructors)}; proxy {proxy}; "
          f"learners' python {python})", flush=True)
    cmd = [sys.executable, "-m", "jupyterhub", "-f", str(WORKSHOP / "jupyterhub_config.py")]
    os.chdir(state)
    os.execve(sys.executable, cmd, env)


if __name__ == "__main__":
    main()
