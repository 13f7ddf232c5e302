"""The dashboard as served: Streamlit's app (``app.py``) plus the login routes and the page gate.

Start with ``streamlit run server.py`` (``scripts/start`` does): Streamlit finds the ``st.App`` below
and serves it. A Streamlit script cannot set cookies; these routes can (see ``ui/web.py``).
"""

import streamlit as st
from starlette.middleware import Middleware

from ui.web import ROUTES, AuthGate

app = st.App("app.py", routes=ROUTES, middleware=[Middleware(AuthGate)])
