"""Serve a GGUF model on loopback with an OpenAI-compatible API (xllamacpp's llama.cpp server).

For the integration test and for trying the generative writer on an office machine without
Ollama: ``assistant llm-serve`` serves the verified Qwen2.5-Coder-0.5B copy from the model
cache, then set ``ASSISTANT_LLM_BASE_URL=http://127.0.0.1:8081/v1``. A real deployment
points that variable at its own Ollama, vLLM or llama-server instead.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


def start_server(model: Path, host: str, port: int, context: int = 4096):
    """Load the model and listen; returns the running server (stops when collected)."""
    import xllamacpp

    if not model.is_file():
        raise FileNotFoundError(
            f"{model}: modellfilen finns inte (kör 'python -m kbcore.model_fetch generator')"
        )
    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.model_alias = model.stem
    params.n_ctx = context
    params.n_parallel = 1
    threads = max(1, os.cpu_count() or 1)
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.hostnames = [host]
    params.port = port
    params.no_extra_bufts = True  # the default CPU path crashes on this machine's AMX (STACK_NOTES)
    return xllamacpp.Server(params)


def serve_forever(model: Path, host: str, port: int) -> None:
    server = start_server(model, host, port)
    print(f"Språkmodellen {model.name} svarar på {server.listening_address}/v1", flush=True)
    threading.Event().wait()
