"""The Files and Batches endpoints of the local test server, as the ``openai`` SDK calls them.

- ``POST /v1/files`` (multipart: ``purpose``, ``file``) keeps the file; ``GET /v1/files/{id}``
  and ``GET /v1/files/{id}/content`` give it back; ``GET /v1/files`` lists them, newest first,
  in one page; ``DELETE /v1/files/{id}`` deletes one;
- ``POST /v1/batches`` (``input_file_id``, ``endpoint``, ``completion_window``, ``metadata``)
  creates a batch in ``validating``; every ``GET /v1/batches/{id}`` moves it on: ``in_progress``
  for ``polls`` retrieves, then its outcome: ``completed`` (each line answered by the chat
  server, answers in ``output_file_id``, request errors in ``error_file_id``), ``expired`` (the
  first half answered, the rest in the error file as ``batch_expired``) or ``failed`` (the input
  rejected: ``errors``, no output). An input line that is not a chat-completion request fails the
  batch, as the real API's validation does. ``outcomes`` queues the outcome of the next batches
  (``completed`` once it is empty);
- ``GET /v1/batches`` lists every batch, newest first, in one page (``has_more`` false).

``hold`` (``"upload"``, ``"create"`` or ``"retrieve"``) keeps the answer to the next such call back, its work
done (a batch created, moved on), until ``release`` is set: ``held`` says one is waiting, so a
test can stop the client exactly there, the server having done what it was asked. ``drop =
"create"`` closes the connection of the next ``POST /v1/batches`` unanswered, no batch made
(``"upload"``: of the next ``POST /v1/files``, no file kept).
"""

from __future__ import annotations

import json
import re
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any


class BatchStore:
    """Files and batches kept in memory by the test server."""

    def __init__(self, chat: Any) -> None:
        self.chat = chat
        self.files: dict[str, dict[str, Any]] = {}
        self.content: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.lines: dict[str, list[dict[str, Any]]] = {}
        self.outcomes: list[str] = []
        self.polls = 1  # retrieves that see in_progress before the outcome
        self.calls: list[tuple[str, str]] = []  # (method, path), in order
        self._seen: dict[str, int] = {}
        self._lock = threading.Lock()
        self.hold: str | None = None
        self.drop: str | None = None
        self.held = threading.Event()
        self.release = threading.Event()

    def _held_back(self, kind: str) -> None:
        """Wait for ``release`` if the answer to this ``kind`` of call is to be held (once)."""
        with self._lock:
            if self.hold != kind:
                return
            self.hold = None
        self.held.set()
        self.release.wait(timeout=120)

    # -- files ----------------------------------------------------------------------------

    def _new_file(self, name: str, data: bytes, purpose: str) -> dict[str, Any]:
        fid = f"file-{len(self.files) + 1}"
        self.files[fid] = {
            "id": fid,
            "object": "file",
            "bytes": len(data),
            "created_at": int(time.time()),
            "filename": name,
            "purpose": purpose,
            "status": "processed",
        }
        self.content[fid] = data
        return self.files[fid]

    def _upload(self, raw: bytes, ctype: str) -> tuple[int, dict[str, Any]]:
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw
        )
        fields: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            fields[str(name)] = (part.get_filename(), part.get_payload(decode=True))
        if "file" not in fields or "purpose" not in fields:
            return 400, _error("multipart body needs 'file' and 'purpose'")
        filename, data = fields["file"]
        purpose = fields["purpose"][1].decode()
        return 200, self._new_file(filename or "upload.jsonl", data, purpose)

    # -- batches --------------------------------------------------------------------------

    def _create(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        fid = body.get("input_file_id")
        if fid not in self.files:
            return 404, _error(f"no such file: {fid}")
        if self.files[fid]["purpose"] != "batch":
            return 400, _error("the input file must be uploaded with purpose 'batch'")
        bid = f"batch_{len(self.batches) + 1}"
        lines = [json.loads(x) for x in self.content[fid].decode().splitlines() if x.strip()]
        self.lines[bid] = lines
        self.batches[bid] = {
            "id": bid,
            "object": "batch",
            "endpoint": body.get("endpoint"),
            "input_file_id": fid,
            "completion_window": body.get("completion_window"),
            "status": "validating",
            "created_at": int(time.time()),
            "metadata": body.get("metadata"),
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
            "outcome": self.outcomes.pop(0) if self.outcomes else "completed",
        }
        self._seen[bid] = 0
        return 200, _public(self.batches[bid])

    def _advance(self, bid: str) -> None:
        batch = self.batches[bid]
        if batch["status"] not in ("validating", "in_progress"):
            return
        self._seen[bid] += 1
        if self._seen[bid] <= self.polls:
            batch["status"] = "in_progress"
            batch["in_progress_at"] = batch.get("in_progress_at") or int(time.time())
            return
        outcome, lines = batch["outcome"], self.lines[bid]
        bad = [
            i
            for i, line in enumerate(lines, start=1)
            if line.get("method") != "POST"
            or line.get("url") != batch["endpoint"]
            or "custom_id" not in line
        ]
        if outcome == "failed" or bad:
            batch["status"], batch["failed_at"] = "failed", int(time.time())
            where = bad[0] if bad else 1
            batch["errors"] = {
                "object": "list",
                "data": [
                    {
                        "code": "invalid_request",
                        "message": "the batch input file is not valid",
                        "line": where,
                        "param": None,
                    }
                ],
            }
            return
        cut = len(lines) // 2 if outcome == "expired" else len(lines)
        out, err = [], []
        for n, line in enumerate(lines):
            rid = f"batch_req_{bid}_{n}"
            if n >= cut:
                error = {
                    "code": "batch_expired",
                    "message": "This request could not be executed before the completion window expired.",
                }
                err.append(
                    {"id": rid, "custom_id": line["custom_id"], "response": None, "error": error}
                )
                continue
            status, payload, _ = self.chat.complete(line.get("body") or {}, batch=True)
            row = {
                "id": rid,
                "custom_id": line["custom_id"],
                "response": {"status_code": status, "request_id": rid, "body": payload},
                "error": None,
            }
            (out if status == 200 else err).append(row)
        counts = batch["request_counts"]
        counts["completed"], counts["failed"] = len(out), len(err)
        if out:
            batch["output_file_id"] = self._new_file(
                f"{bid}_output.jsonl", _jsonl(out), "batch_output"
            )["id"]
        if err:
            batch["error_file_id"] = self._new_file(
                f"{bid}_errors.jsonl", _jsonl(err), "batch_output"
            )["id"]
        batch["status"] = "expired" if outcome == "expired" else "completed"
        batch["expired_at" if outcome == "expired" else "completed_at"] = int(time.time())

    # -- routes ---------------------------------------------------------------------------

    def post(self, path: str, raw: bytes, ctype: str) -> tuple[int, dict[str, Any]]:
        if path.endswith("/batches") and self.drop == "create":
            self.drop = None
            return DROPPED
        if path.endswith("/files") and self.drop == "upload":
            self.drop = None
            return DROPPED
        reply = self._post(path, raw, ctype)
        if path.endswith("/batches"):
            self._held_back("create")
        if path.endswith("/files"):
            self._held_back("upload")
        return reply

    def delete(self, path: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.calls.append(("DELETE", path))
            found = re.search(r"/files/([^/]+)$", path)
            if not found or found.group(1) not in self.files:
                return 404, _error(f"no such object: {path}")
            del self.files[found.group(1)], self.content[found.group(1)]
            return 200, {"id": found.group(1), "object": "file", "deleted": True}

    def _post(self, path: str, raw: bytes, ctype: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.calls.append(("POST", path))
            if path.endswith("/files"):
                return self._upload(raw, ctype)
            if path.endswith("/batches"):
                return self._create(json.loads(raw or b"{}"))
            found = re.search(r"/batches/([^/]+)/cancel$", path)
            if found and found.group(1) in self.batches:
                self.batches[found.group(1)]["status"] = "cancelled"
                return 200, _public(self.batches[found.group(1)])
            return 404, _error(f"no route {path}")

    def get(self, path: str) -> tuple[int, dict[str, Any] | bytes]:
        reply = self._get(path)
        if re.search(r"/batches/[^/]+$", path):
            self._held_back("retrieve")
        return reply

    def _get(self, path: str) -> tuple[int, dict[str, Any] | bytes]:
        with self._lock:
            self.calls.append(("GET", path))
            if path.endswith("/batches"):
                return 200, _page([_public(b) for b in reversed(self.batches.values())])
            if path.endswith("/files"):
                return 200, _page(list(reversed(self.files.values())))
            found = re.search(r"/files/([^/]+)(/content)?$", path)
            if found and found.group(1) in self.files:
                fid = found.group(1)
                return (200, self.content[fid]) if found.group(2) else (200, self.files[fid])
            found = re.search(r"/batches/([^/]+)$", path)
            if found and found.group(1) in self.batches:
                self._advance(found.group(1))
                return 200, _public(self.batches[found.group(1)])
            return 404, _error(f"no such object: {path}")


DROPPED: tuple[int, dict[str, Any]] = (0, {})  # no answer: the connection is closed


def _public(batch: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in batch.items() if k != "outcome"}


def _page(newest: list[dict[str, Any]]) -> dict[str, Any]:
    """A list answer holding every item, newest first, in one page."""
    ids = [x["id"] for x in newest]
    return {
        "object": "list",
        "data": newest,
        "first_id": ids[0] if ids else None,
        "last_id": ids[-1] if ids else None,
        "has_more": False,
    }


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def _error(message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error"}}
