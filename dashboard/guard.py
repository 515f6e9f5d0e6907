"""What the dashboard checks before it draws anything: the Host and Origin of the request.

A DNS-rebinding page (evil.example resolving to 127.0.0.1) talks to the dashboard as a page of its
own origin, so CORS does not stop it; only the Host name it sends gives it away. Streamlit's
``server.allowedHosts`` only guards the websocket, so ``argmap dashboard`` puts the same check in
front of every request (dashboard/serve.py); the app makes it again before drawing, so it also
holds when the dashboard is started some other way (``streamlit run dashboard/app.py``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

METRICS_PATH = "/_stcore/metrics"


def _name(host: str) -> str:
    """The host name of a Host header or URL netloc, without port or brackets, lower-cased."""
    try:
        parsed = urlsplit(f"//{host.strip()}")
        return (parsed.hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _port(netloc: str, scheme: str) -> int | None:
    """The port of a netloc, or the scheme's default when it names none (None: not a port)."""
    try:
        return urlsplit(f"//{netloc.strip()}").port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None


def _foreign_origin(origin: str, host: str, allowed: list[str]) -> bool:
    """Whether ``origin`` is not the page's own: another host name, or the same name on another
    port (another local app, e.g. a dev server on localhost:3000, is another site to a browser)."""
    try:
        parts = urlsplit(origin.strip())
    except ValueError:
        return True
    name = _name(parts.netloc)
    if name not in allowed:
        return True
    return _port(parts.netloc, parts.scheme) != _port(host, parts.scheme)


def refused_reason(headers: dict[str, str], allowed: list[str]) -> str | None:
    """Why a request with ``headers`` must not be served, or ``None`` when it may."""
    lower = {k.lower(): v for k, v in headers.items()}
    host = lower.get("host")
    if host is None:
        return None  # not an HTTP request (AppTest, a script run): nothing to check
    if _name(host) not in allowed:
        return f"this dashboard does not answer to the host name {_name(host)!r}"
    origin = lower.get("origin")
    # "null" is what a sandboxed frame of any site sends: not one of ours.
    if origin is not None and _foreign_origin(origin, host, allowed):
        return "this dashboard does not answer to pages of another site"
    return None


def closed_path(path: str, metrics: bool) -> bool:
    """Whether ``path`` (with any ``server.baseUrlPath`` before it) is one the dashboard keeps shut."""
    return not metrics and path.rstrip("/").endswith(METRICS_PATH)


def request_refused(raw: list[tuple[bytes, bytes]], allowed: list[str]) -> tuple[str | None, str]:
    """Why a request with these raw headers is refused (or None), and the Host it named."""
    pairs = [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in raw]
    hosts = [v for k, v in pairs if k == "host"]
    if len(hosts) != 1 or [k for k, _ in pairs].count("origin") > 1:
        # None, or two (which would a check downstream believe?): refused as foreign.
        return "this dashboard answers only requests with one Host and at most one Origin", ""
    return refused_reason(dict(pairs), allowed), hosts[0]
