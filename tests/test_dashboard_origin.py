"""The dashboard serves only its own pages: an Origin is another site unless it is the very
origin the request was sent to (same host name and port)."""

from __future__ import annotations

from argmap.dashboard.guard import refused_reason, request_refused

ALLOWED = ["localhost", "127.0.0.1"]


def test_another_local_app_on_another_port_is_another_site() -> None:
    """Was: only the host name was compared, so a page of any other localhost app (a dev
    server on :3000) could open the dashboard's websocket and read or drive it."""
    reason = refused_reason({"Host": "localhost:8501", "Origin": "http://localhost:3000"}, ALLOWED)
    assert reason and "another site" in reason
    reason, _ = request_refused(
        [(b"host", b"127.0.0.1:8501"), (b"origin", b"http://127.0.0.1:8502")], ALLOWED
    )
    assert reason and "another site" in reason


def test_the_pages_own_origin_is_served_with_or_without_default_ports() -> None:
    assert (
        refused_reason({"Host": "localhost:8501", "Origin": "http://localhost:8501"}, ALLOWED)
        is None
    )
    # A proxy on the default port: the Host names no port, the Origin may or may not.
    assert refused_reason({"Host": "localhost", "Origin": "http://localhost"}, ALLOWED) is None
    assert refused_reason({"Host": "localhost", "Origin": "http://localhost:80"}, ALLOWED) is None
    assert refused_reason({"Host": "localhost:443", "Origin": "https://localhost"}, ALLOWED) is None
    # ...but the page's https on 443 is not a request sent to port 80.
    assert refused_reason({"Host": "localhost:80", "Origin": "https://localhost"}, ALLOWED)


def test_a_garbled_origin_port_is_refused() -> None:
    assert refused_reason({"Host": "localhost:8501", "Origin": "http://localhost:99999"}, ALLOWED)
    assert refused_reason({"Host": "localhost:8501", "Origin": "http://localhost:abc"}, ALLOWED)
