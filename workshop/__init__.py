"""The course's workshop hub: JupyterHub for a room of learners (start it with ``python -m workshop.hub``)."""
