"""What the dashboard checks before it draws anything: the Host and Origin of the request.

A DNS-rebinding page (evil.example resolving to 127.0.0.1) talks to the dashboard as a page of its
own origin, so CORS does not stop it; only the Host name it sends gives it away. Streamlit's
``server.allowedHosts`` (set by ``argmap dashboard``) refuses such a websocket; this check does the
same inside the app, so it also holds when the dashboard is started some other way.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def _name(host: str) -> str:
    """The host name of a Host header or URL netloc, without port or brackets, lower-cased."""
    try:
        parsed = urlsplit(f"//{host.strip()}")
        return (parsed.hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def refused_reason(headers: dict[str, str], allowed: list[str]) -> str | None:
    """Why a request with ``headers`` must not be served, or ``None`` when it may."""
    lower = {k.lower(): v for k, v in headers.items()}
    host = lower.get("host")
    if host is None:
        return None  # not an HTTP request (AppTest, a script run): nothing to check
    if _name(host) not in allowed:
        return f"this dashboard does not answer to the host name {_name(host)!r}"
    origin = lower.get("origin")
    if origin and origin != "null" and _name(urlsplit(origin).netloc) not in allowed:
        return "this dashboard does not answer to pages of another site"
    return None
