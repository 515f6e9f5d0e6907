"""Rounds a stopped run uploaded and asked a batch for, without learning the batch's id.

``batches.create`` may be stopped (Ctrl-C, SIGTERM, a dropped connection) after the API made the
batch and before its answer arrived. Submitting those posts again would pay for them twice, so
the next run looks for a batch made on the round's requests file (the newest batches first, back
to the file's upload) and, if the API made none, makes it from the same file.

The upload itself may be stopped after the API took the file, which stayed on the account
unused while the next run uploaded the same requests again: the next run looks for it by its
name (the newest files first) and goes on from it as from any uploaded round.
"""

from __future__ import annotations

import openai
from argmap.ingest.extract.llm import LLMExtractor
from argmap.ingest.extract.llm_batch import api_error, create_batch
from argmap.ingest.extract.llm_batch_state import (
    SUBMITTING,
    UPLOADING,
    BatchState,
    upload_key,
    uploaded_file,
    uploading_file,
)
from openai.types import Batch


def _made_from(ext: LLMExtractor, file_id: str) -> Batch | None:
    """The batch made on ``file_id``, if any (the file is gone: ``NotFoundError``)."""
    uploaded = ext.client.files.retrieve(file_id).created_at
    for batch in ext.client.batches.list(limit=100):  # newest first, page by page
        if batch.input_file_id == file_id:
            return batch
        if batch.created_at < uploaded:  # made before the file existed: no need to look further
            return None
    return None


def _uploaded_as(ext: LLMExtractor, name: str) -> str | None:
    """The id of the newest batch file named ``name`` no batch was made on, if any."""
    for file in ext.client.files.list(purpose="batch"):  # newest first, page by page
        if file.filename == name and _made_from(ext, file.id) is None:
            return file.id
    return None


def resume_uploads(ext: LLMExtractor, state: BatchState, thread_id: str) -> list[str]:
    """Settle the thread's rounds a stopped run left ``uploading``: one whose file the API took
    goes on as uploaded (``resume_submissions``), one it did not is dropped; a line on that."""
    lines = []
    for pending in state.submitting(thread_id, UPLOADING):
        try:
            file_id = _uploaded_as(ext, uploading_file(pending))
        except openai.OpenAIError as exc:
            raise api_error(exc, ext) from None
        if file_id is not None:
            state.submitted(pending.id, upload_key(file_id), SUBMITTING)
            continue
        state.forget(pending.id)
        lines.append(
            f"round {pending.round}, stopped while its requests were uploaded, never reached "
            "the API; its posts go into the next round"
        )
    return lines


def resume_submissions(ext: LLMExtractor, state: BatchState, thread_id: str) -> list[str]:
    """Settle the thread's rounds a stopped run left ``uploading`` or ``submitting``; a line
    on each."""
    lines = resume_uploads(ext, state, thread_id)
    for pending in state.submitting(thread_id):
        file_id = uploaded_file(pending)
        try:
            batch = _made_from(ext, file_id)
            said = "found batch {id} of round {round}, submitted by an earlier run that did not hear back"
            if batch is None:
                said = "submitted batch {id} of round {round} from the file an earlier run uploaded"
                batch = create_batch(ext, file_id, thread_id, pending.round)
        except openai.APIStatusError as exc:
            # The file is gone or the batch refused: nothing to collect, the posts go again.
            state.forget(pending.id)
            lines.append(
                f"round {pending.round}, stopped while it was submitted, could not be "
                f"resumed ({api_error(exc, ext)}); its posts go into the next round"
            )
            continue
        except openai.OpenAIError as exc:
            raise api_error(exc, ext) from None
        # Open whatever the API says now: a batch found finished is collected by this same run
        # (kept as finished, it would never be, and its posts would be submitted again).
        state.submitted(pending.id, batch.id, "submitted")
        lines.append(said.format(id=batch.id, round=pending.round))
    return lines
