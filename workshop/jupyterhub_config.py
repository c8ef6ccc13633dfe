# JupyterHub configuration of the course workshop hub. Start it with `workshop/start` or `python -m workshop.hub`
# (as root), which sets the WORKSHOP_* settings below from its command-line options and checks what the hub needs
# first.
# ruff: noqa: F821  (JupyterHub gives this file `c`, its configuration object)
import json
import os
import sqlite3
import sys
from pathlib import Path

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workshop.checkin_service import ROOM_SCOPE  # noqa: E402
from workshop.hub import SINGLEUSER_ARGS  # noqa: E402

env = os.environ
state = Path(env.get("WORKSHOP_STATE_DIR", REPO / "workshop" / "state")).resolve()
state.mkdir(mode=0o700, parents=True, exist_ok=True)
instructors = [n for n in env.get("WORKSHOP_INSTRUCTORS", "instructor").split(",") if n]
learners = [n for n in env.get("WORKSHOP_LEARNERS", "").split(",") if n]
learner_python = env.get("WORKSHOP_PYTHON", str(REPO / ".venv" / "bin" / "python"))
ip = env.get("WORKSHOP_IP", "127.0.0.1")
port = int(env.get("WORKSHOP_PORT", "8000"))
hub_port = int(env.get("WORKSHOP_HUB_PORT", "8081"))
proxy_api_port = int(env.get("WORKSHOP_PROXY_API_PORT", "8001"))
checkin_port = int(env.get("WORKSHOP_CHECKIN_PORT", "8090"))

# --- the hub and its proxy (configurable-http-proxy from npm, installed in workshop/node_modules)
c.JupyterHub.ip = ip
c.JupyterHub.port = port
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = hub_port
c.ConfigurableHTTPProxy.command = [str(REPO / "workshop" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"


# JupyterHub's database calls run in its event loop, and with SQLite's default journal every commit waits for the
# disk (fsync): profiled under a room's logins (py-spy), those commits were the largest share of the time the
# hub's loop was busy. Write-ahead logging with synchronous=NORMAL syncs at checkpoints only: the database stays
# consistent after a crash or power cut, and at worst the last moments' logins and server starts are forgotten
# (learners log in again). The check-in's answers are in their own file, synced on every answer.
@sa_event.listens_for(Engine, "connect")
def _sqlite_write_ahead_log(dbapi_connection, _record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the learners' servers

# --- who may log in: learners choose their own password on first login (bcrypt hash in the state folder)
# (the workshop's subclass hashes passwords in a worker thread: a room logging in at once never stalls the hub)
c.JupyterHub.authenticator_class = "workshop.auth.WorkshopAuthenticator"
c.FirstUseAuthenticator.dbm_path = str(state / "passwords.dbm")
c.FirstUseAuthenticator.min_password_length = 8
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{0,30}$"  # also a valid Unix user name
c.Authenticator.admin_users = set(instructors)
if learners:  # a roster: only these names (and the instructors) can be claimed
    c.Authenticator.allowed_users = set(learners) | set(instructors)
    c.Authenticator.allow_existing_users = False  # a name taken off the roster cannot log in after a restart
    c.FirstUseAuthenticator.create_users = False
else:  # open workshop: anyone who reaches the hub can pick an unused name
    c.Authenticator.allow_all = True
    c.FirstUseAuthenticator.create_users = True

# --- one server per learner, as the learner's own Unix user, the course copied into the home
c.JupyterHub.spawner_class = "workshop.spawner.WorkshopSpawner"
c.WorkshopSpawner.course_dir = str(REPO)
c.WorkshopSpawner.home_root = env.get("WORKSHOP_HOME_ROOT", "/home")
c.WorkshopSpawner.pids_limit = int(env.get("WORKSHOP_PIDS_LIMIT", "512"))
c.Spawner.cmd = [learner_python, "-m", "jupyterhub.singleuser"]
# only what a learner uses (workshop/hub.py, SINGLEUSER_ARGS: no language server, terminals, Voila or
# classic-notebook shim)
c.Spawner.args = SINGLEUSER_ARGS
# the landing page: the file browser in notebooks/, no notebook (and so no kernel) opened by itself; the learner
# opens the one notebook the instructor names
c.Spawner.default_url = "/lab/tree/notebooks"
c.Spawner.mem_limit = env.get("WORKSHOP_MEM_LIMIT", "2G") or None
c.Spawner.cpu_limit = float(env.get("WORKSHOP_CPU_LIMIT", "1")) or None
# generous: when a whole room logs in at once, a server can take a minute or more to answer on a small machine
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.Spawner.env_keep = ["LANG", "LC_ALL"]  # not the hub's PYTHONPATH (the repository, private to root)
c.Spawner.environment = {
    "PATH": f"{Path(learner_python).parent}:/usr/local/bin:/usr/bin:/bin",
    # where course_utils.checkin sends quiz answers (straight to the service, on the loopback)
    "COURSE_CHECKIN_URL": f"http://127.0.0.1:{checkin_port}/services/checkin/api/answers",
}



def _landing(handler):
    """After login an instructor lands on the hub's home page (no server of their own is started, so no Unix
    user is made for them until they press "Start My Server"); a learner goes to their server."""
    user = handler.current_user
    return "/hub/home" if user is not None and getattr(user, "admin", False) else ""


c.JupyterHub.default_url = _landing

# --- prestarting: `python -m workshop.hub prestart` starts every roster learner's server through the hub's REST
# API with this token (written by workshop/hub.py into the state folder, which only root can read)
prestart_file = state / "prestart.json"
prestart = json.loads(prestart_file.read_text()) if prestart_file.exists() else None

# --- roles: every learner (and the token of their server) may talk to the check-in service; the instructors
# may see the room's answers there
c.JupyterHub.custom_scopes = {ROOM_SCOPE: {"description": "See how the whole room answered the course's quizzes"}}
c.JupyterHub.load_roles = [
    {"name": "user", "scopes": ["self", "access:services!service=checkin"]},
    {"name": "server", "scopes": ["users:activity!user", "access:servers!server", "access:services!service=checkin"]},
    {"name": "checkin-instructor", "scopes": [ROOM_SCOPE], "users": instructors},
    {"name": "idle-culler", "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
     "services": ["idle-culler"]},
]
if prestart:
    c.JupyterHub.load_roles.append({"name": "prestart", "scopes": ["list:users", "read:servers", "servers"],
                                    "services": ["prestart"]})

# --- services: class check-in (its own SQLite file) and the idle culler
c.JupyterHub.services = [
    {
        "name": "checkin",
        "display": True,
        "url": f"http://127.0.0.1:{checkin_port}",
        # `workshop.quiet` runs the module so that the hub stopping it prints no traceback. It runs as the hub's
        # user (root; no "user" is set), so it reads the question bank from the repository's notebooks even though
        # workshop/hub.py makes the repository private (chmod o-rwx) before the hub starts; the learners cannot.
        "command": [sys.executable, "-m", "workshop.quiet", "workshop.checkin_service",
                    "--db", str(state / "checkin.sqlite"), "--bank", str(REPO / "notebooks")],
        "cwd": str(REPO),
        "environment": {"PYTHONPATH": str(REPO)},
        "oauth_no_confirm": True,
        "oauth_client_allowed_scopes": [ROOM_SCOPE],
    },
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "workshop.quiet", "jupyterhub_idle_culler",
                    f"--timeout={int(env.get('WORKSHOP_CULL_IDLE', '3600'))}", "--cull-every=60"],
    },
]
if prestart:
    c.JupyterHub.services.append({"name": "prestart", "api_token": prestart["token"]})
