"""How ``argmap dashboard`` serves the app: Streamlit's own server, with a gate in front of it.

Streamlit's ``server.allowedHosts`` guards only the WebSocket (the page, ``/_stcore/health``,
``/_stcore/host-config`` and media answer to any Host), its cross-origin WebSocket check looks up
the machine's external IP on the network before refusing, and no setting closes
``/_stcore/metrics``. The gate below sees every request first: another Host or Origin gets one
403 line, and ``/_stcore/metrics`` a 404 unless ``ARGMAP_DASHBOARD_METRICS`` asks for it. It is an
ASGI middleware given to ``st.App``, Streamlit's public way to add one (no patching of its
internals); ``streamlit run`` finds the ``app`` below and serves it with every ``--server.*``
option as usual.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st
from argmap.dashboard.guard import closed_path, request_refused
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocketClose

from argmap.core.settings import get_settings

log = logging.getLogger("argmap.dashboard")


def gate(app: ASGIApp, allowed: list[str], metrics: bool) -> ASGIApp:
    """``app`` behind the Host/Origin check and the metrics switch (an ASGI middleware)."""

    async def gated(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await app(scope, receive, send)  # lifespan
        reason, host = request_refused(scope["headers"], allowed)
        if reason:
            log.warning("argmap dashboard refused %s: %s", host, reason)
            if scope["type"] == "websocket":
                return await WebSocketClose(code=1008)(scope, receive, send)  # HTTP 403
            line = f"{reason}; set ARGMAP_DASHBOARD_ALLOWED_HOSTS to allow it" if host else reason
            return await PlainTextResponse(line + "\n", status_code=403)(scope, receive, send)
        if scope["type"] == "http" and closed_path(scope["path"], metrics):
            response = PlainTextResponse("not served; ARGMAP_DASHBOARD_METRICS=1 opens it\n", 404)
            return await response(scope, receive, send)
        await app(scope, receive, send)

    return gated


if __name__ == "__main__":
    # Run as a page script (a Streamlit that does not look for ``app`` below, or `python
    # serve.py`): nothing would stand in front of the app. Refuse rather than run ungated.
    raise RuntimeError(
        "dashboard/serve.py is served by `streamlit run` (Streamlit >= 1.67, via argmap "
        "dashboard); run as a page script it would leave the dashboard without its gate"
    )

_settings = get_settings()
# Found by `streamlit run` (it looks for `app = st.App(...)`) and served by it.
app = st.App(
    Path(__file__).resolve().parent / "app.py",
    middleware=[
        Middleware(gate, allowed=_settings.allowed_hosts(), metrics=_settings.dashboard_metrics)
    ],
)
