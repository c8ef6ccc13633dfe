"""Run a hub service's module so that stopping it never prints a traceback: ``python -m workshop.quiet MODULE ARGS``.

JupyterHub stops its managed services with SIGINT, which in a Python program is a KeyboardInterrupt with a
traceback in the hub's log; here SIGINT and SIGTERM end the service at once (the check-in commits every answer
before it replies, so nothing is lost).
"""

import os
import signal


def _leave(signum, frame):
    os._exit(0)


signal.signal(signal.SIGINT, _leave)  # first, before anything slow is imported
signal.signal(signal.SIGTERM, _leave)

if __name__ == "__main__":
    import runpy
    import sys

    if len(sys.argv) < 2:
        sys.exit("usage: python -m workshop.quiet MODULE [ARGS ...]")
    sys.argv = sys.argv[1:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
