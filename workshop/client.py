"""A small client for the workshop hub, as a learner's browser would use it: log in, start a server, run code.

Used by ``tests/test_workshop_hub.py`` and ``benchmarks/hub_load.py``. It talks HTTP to the hub's public address
(through configurable-http-proxy) and to a learner's kernel over the Jupyter server's websocket API.
"""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlparse

import requests
import websocket

NOTEBOOK_07 = "notebooks/07_vibration_effects.ipynb"


class HubError(RuntimeError):
    """The hub or a learner's server answered something unexpected."""


class Learner:
    """One person on the hub: a logged-in browser session and an API token of their own."""

    def __init__(self, base_url: str, name: str, timeout_s: float = 30.0) -> None:
        self.base = base_url.rstrip("/")
        self.name = name
        self.timeout = timeout_s
        self.session = requests.Session()
        self.token: str | None = None
        self.landing: str | None = None  # where the hub sent the browser after login

    # ------------------------------------------------------------------ hub
    def login(self, password: str) -> None:
        """Log in through the hub's login form (on first login this sets the learner's password)."""
        r = self.session.get(f"{self.base}/hub/login", timeout=self.timeout)
        r.raise_for_status()
        xsrf = self.session.cookies.get("_xsrf", path="/hub/") or self.session.cookies.get("_xsrf")
        r = self.session.post(f"{self.base}/hub/login?next=", data={"username": self.name, "password": password,
                              "_xsrf": xsrf}, allow_redirects=False, timeout=self.timeout)
        if r.status_code != 302:
            raise HubError(f"login of {self.name} failed: HTTP {r.status_code}")
        self.landing = r.headers.get("Location")

    def open_landing_page(self) -> requests.Response:
        """Follow the login's redirect as a browser does (through the server's OAuth with the hub) to the page.

        For a learner with a running server this ends on JupyterLab's page in that server; for one without, on
        the hub's spawn page (which starts the server).
        """
        if not self.landing:
            raise HubError(f"{self.name} has not logged in")
        url = self.landing if self.landing.startswith("http") else f"{self.base}{self.landing}"
        r = self.session.get(url, timeout=self.timeout)
        if r.status_code != 200:
            raise HubError(f"{self.name}'s page after login: HTTP {r.status_code} at {r.url}")
        return r

    def _xsrf_headers(self) -> dict:
        return {"X-XSRFToken": self.session.cookies.get("_xsrf", path="/hub/") or ""}

    def make_token(self) -> str:
        """Ask the hub (with the login session) for an API token of this learner."""
        r = self.session.post(f"{self.base}/hub/api/users/{self.name}/tokens", json={"note": "workshop client"},
                              headers=self._xsrf_headers(), timeout=self.timeout)
        if r.status_code != 201:
            raise HubError(f"token for {self.name}: HTTP {r.status_code} {r.text[:200]}")
        self.token = r.json()["token"]
        return self.token

    def api(self, method: str, path: str, token: str | None = "own", **kw) -> requests.Response:
        """A request to the hub's public address with a token (``"own"``: this learner's; None: no token)."""
        token = self.token if token == "own" else token
        headers = kw.pop("headers", {})
        if token:
            headers["Authorization"] = f"token {token}"
        return requests.request(method, f"{self.base}{path}", headers=headers, timeout=kw.pop("timeout",
                                self.timeout), allow_redirects=False, **kw)

    def start_server(self) -> None:
        r = self.api("POST", f"/hub/api/users/{self.name}/server")
        if r.status_code not in (201, 202, 400):  # 400: already running
            raise HubError(f"start of {self.name}'s server: HTTP {r.status_code} {r.text[:200]}")

    def wait_ready(self, timeout_s: float = 120.0) -> float:
        """Wait until the learner's server answers through the proxy; return the seconds waited."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout_s:
            r = self.api("GET", f"/hub/api/users/{self.name}")
            server = r.json().get("servers", {}).get("", {}) if r.ok else {}
            if server.get("ready"):
                s = self.api("GET", f"/user/{self.name}/api/status")
                if s.status_code == 200:
                    return time.monotonic() - t0
            elif not server.get("pending") and r.ok and time.monotonic() - t0 > 5:
                raise HubError(f"{self.name}'s server is neither starting nor ready: {server}")
            time.sleep(0.25)
        raise HubError(f"{self.name}'s server was not ready after {timeout_s:.0f} s")

    def stop_server(self) -> None:
        self.api("DELETE", f"/hub/api/users/{self.name}/server", timeout=90)

    def notebook(self, path: str = NOTEBOOK_07) -> dict:
        r = self.api("GET", f"/user/{self.name}/api/contents/{path}")
        if r.status_code != 200:
            raise HubError(f"reading {path} in {self.name}'s server: HTTP {r.status_code}")
        return r.json()["content"]

    def kernel(self, notebook: str = NOTEBOOK_07) -> Kernel:
        """A new kernel for ``notebook`` in this learner's server (it runs in the notebook's folder)."""
        return Kernel(self, self.name, notebook=notebook)


class Kernel:
    """A kernel in a learner's server, driven over the websocket API (``/api/kernels/<id>/channels``)."""

    def __init__(self, learner: Learner, server_owner: str, token: str | None = "own",
                 notebook: str = NOTEBOOK_07) -> None:
        self.learner = learner
        self.token = learner.token if token == "own" else token
        r = learner.api("POST", f"/user/{server_owner}/api/sessions", token=self.token,
                        json={"path": notebook, "type": "notebook", "name": notebook.rsplit("/", 1)[-1],
                              "kernel": {"name": "python3"}})
        if r.status_code != 201:
            raise HubError(f"starting a kernel in {server_owner}'s server: HTTP {r.status_code}")
        self.session_path = f"/user/{server_owner}/api/sessions/{r.json()['id']}"
        self.path = f"/user/{server_owner}/api/kernels/{r.json()['kernel']['id']}"
        u = urlparse(learner.base)
        ws_url = f"{'wss' if u.scheme == 'https' else 'ws'}://{u.netloc}{self.path}/channels"
        self.ws = websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"],
                                              timeout=learner.timeout)
        self.session = uuid.uuid4().hex

    def execute(self, code: str, timeout_s: float = 120.0) -> tuple[str, str | None]:
        """Run ``code``; return (text it printed, error text or None). Raises HubError on a timeout."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.learner.name, "session": self.session,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        out, error, replied, idle = [], None, False, False
        deadline = time.monotonic() + timeout_s
        while not (replied and idle):
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                raw = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                raise HubError(f"code did not finish within {timeout_s:.0f} s: {code[:80]!r}") from None
            if isinstance(raw, bytes):  # a binary message (e.g. a figure's image buffer)
                continue
            msg = json.loads(raw)
            state = msg.get("content", {}).get("execution_state") if msg.get("msg_type") == "status" else None
            if state in ("restarting", "dead"):  # the kernel died (e.g. stopped at its memory limit)
                return "".join(out), f"kernel {state}"
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["header"]["msg_type"], msg["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                out.append(content.get("data", {}).get("text/plain", ""))
            elif kind == "error":
                error = f"{content['ename']}: {content['evalue']}"
            elif kind == "execute_reply":
                replied = True
                if content.get("status") == "error" and error is None:
                    error = f"{content.get('ename')}: {content.get('evalue')}"
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
        return "".join(out), error

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.learner.api("DELETE", self.session_path, token=self.token)
