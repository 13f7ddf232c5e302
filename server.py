"""The dashboard as served: Streamlit's app (``app.py``) plus the login routes and the page gate.

Start with ``streamlit run server.py`` (``scripts/start`` does): Streamlit finds the ``st.App`` below
and serves it. A Streamlit script cannot set cookies; these routes can (see ``ui/web.py``). As the
server starts, the demo data (on an empty database) and the first page's numbers are prepared in the
background (``ui/startup.py``), so the first visitor does not wait for work the server could do alone.
"""

import contextlib

import streamlit as st
from starlette.middleware import Middleware

from ui import startup
from ui.web import ROUTES, AuthGate


@contextlib.asynccontextmanager
async def lifespan(_app):
    startup.start()
    yield


app = st.App("app.py", routes=ROUTES, middleware=[Middleware(AuthGate)], lifespan=lifespan)
