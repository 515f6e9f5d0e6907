"""How local OpenAI-compatible servers answer where OpenAI's API would not, in their own words,
for the test chat server (``llm_server.ChatServer``): a prompt longer than the model's context
(llama.cpp's ``llama-server``, vLLM), a model name the server does not have (Ollama), and the
response formats a server refuses (LM Studio takes no ``json_object``, old llama.cpp servers no
``json_schema``).

The texts are the servers' own, as their issue trackers quote them (llama.cpp #15780 and
#19774, vLLM #20409, Ollama's 404, LM Studio's bug tracker #189).
"""

from __future__ import annotations

from typing import Any

# llama-server: a prompt of n_ctx tokens or more (the answer's tokens are not counted).
LLAMA_CPP_CONTEXT = "the request exceeds the available context size, try increasing it"
# llama-server on another path (and older builds): a 500, so the client retries it.
LLAMA_CPP_CONTEXT_500 = "Context size has been exceeded."
# vLLM: the prompt and max_tokens together over --max-model-len.
VLLM_CONTEXT = (
    "This model's maximum context length is {n_ctx} tokens. However, you requested {total} "
    "tokens ({prompt} in the messages, {completion} in the completion). Please reduce the length "
    "of the messages or completion."
)
# What servers say about a response format they do not take.
LM_STUDIO_FORMAT = "'response_format.type' must be 'json_schema' or 'text'"
LLAMA_CPP_FORMAT = (
    'response_format type must be one of "text" or "json_object", but got: json_schema'
)


def context_error(
    style: str, n_ctx: int, prompt: int, completion: int
) -> tuple[int, dict[str, Any]] | None:
    """The error a server of ``style`` answers for a prompt of ``prompt`` tokens asking for up to
    ``completion`` more, with a context of ``n_ctx`` tokens (None: it fits)."""
    if style == "vllm":
        if prompt + completion <= n_ctx:
            return None
        total = prompt + completion
        message = VLLM_CONTEXT.format(
            n_ctx=n_ctx, total=total, prompt=prompt, completion=completion
        )
        return 400, {"object": "error", "message": message, "type": "BadRequestError", "code": 400}
    if prompt < n_ctx:
        return None
    if style == "llama.cpp-500":
        return 500, {
            "error": {"code": 500, "message": LLAMA_CPP_CONTEXT_500, "type": "server_error"}
        }
    error = {
        "code": 400,
        "message": LLAMA_CPP_CONTEXT,
        "type": "exceed_context_size_error",
        "n_prompt_tokens": prompt,
        "n_ctx": n_ctx,
    }
    return 400, {"error": error}


def model_error(model: str) -> tuple[int, dict[str, Any]]:
    """Ollama's answer for a model it has not pulled."""
    message = f'model "{model}" not found, try pulling it first'
    return 404, {"error": {"message": message, "type": "api_error", "param": None, "code": None}}


def models_list(models: list[str]) -> dict[str, Any]:
    """``GET /v1/models`` as Ollama answers it."""
    data = [{"id": m, "object": "model", "created": 0, "owned_by": "library"} for m in models]
    return {"object": "list", "data": data}
