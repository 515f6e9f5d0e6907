"""Keeping the LLM endpoint's secrets out of everything argmap says.

An endpoint's error text reaches the user as one line on stderr (and a batch's record), and
endpoints echo what they were sent: a proxy answering a 401 with "Received API key = sk-...",
an SDK connection error naming the base URL written with a login in it
(``https://user:password@host/v1``). Every message built from an SDK error goes through
``scrub`` before it is cut to one short line, so no prefix of a secret survives the cut either.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import openai

MASK = "***"
# What ``make_client`` sends a local server that needs no key: not a secret, and masking it
# would only hide which placeholder went out.
UNUSED_KEY = "unused-by-local-server"
# Shorter "secrets" (a one-letter password) would mask ordinary words all over the message.
MIN_SECRET = 4


def shown_url(url: object) -> str:
    """``url`` without the login a user may have written into it (``user:password@``)."""
    text = str(url)
    parts = urlsplit(text)
    if "@" not in parts.netloc:
        return text
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=host).geturl()


def client_secrets(client: openai.OpenAI) -> list[str]:
    """The API key and the base URL's login password, as sent and as written."""
    found = [] if client.api_key in ("", UNUSED_KEY) else [client.api_key]
    netloc = urlsplit(str(client.base_url)).netloc
    if "@" in netloc:
        login = netloc.rpartition("@")[0]
        user, _, password = login.partition(":")
        found += [password, unquote(password)] if password else [user, unquote(user)]
    return [s for s in found if len(s) >= MIN_SECRET]


def scrub(text: str, client: openai.OpenAI) -> str:
    """``text`` with every secret of ``client`` masked and its base URL shown without a login."""
    text = text.replace(str(client.base_url), shown_url(client.base_url))
    # Longest first: a key that contains the password is masked whole, not around it.
    for secret in sorted(set(client_secrets(client)), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text
