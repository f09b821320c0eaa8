"""`assistant serve`: one FastAPI server on one port with the OpenAI-compatible API (/v1, see
app.api.openai_routes) and the chat app (Gradio) mounted beside it, behind the login of
app/web/login.py when the users file exists; served by uvicorn."""

from __future__ import annotations

import logging
import time

import gradio as gr
import uvicorn
from fastapi import FastAPI
from starlette.middleware import Middleware

from app.api.gateway import Gateway
from app.api.openai_routes import openai_router
from app.web.app import ChatApp
from app.web.login import Login
from app.web.theme import CSS, JS, SwedishLightPage, theme
from kbcore.loopback import ensure_port_free
from kbcore.settings import Settings

log = logging.getLogger(__name__)


def build_server(app: ChatApp) -> FastAPI:
    """The FastAPI server of ``app``: the /v1 routes (API keys; their answers go to the audit
    log like the app's), then the login routes when users exist (else local single-user
    mode), then Gradio at "/"."""
    server = FastAPI(title="Plattformsassistenten", docs_url=None, redoc_url=None, openapi_url=None)
    server.include_router(openai_router(Gateway(app.assistant, app.audit), app.users))
    demo = app.build().queue(default_concurrency_limit=app.settings.app_concurrency)
    auth_dependency = None
    if app.users.enabled:
        login = Login(app.settings, app.users, app.audit)
        login.add_routes(server)
        auth_dependency = login.user_for
    return gr.mount_gradio_app(
        server,
        demo,
        path="/",
        auth_dependency=auth_dependency,
        css=CSS,
        js=JS,
        theme=theme(),
        footer_links=[],
        app_kwargs={"middleware": [Middleware(SwedishLightPage)]},
        show_error=False,
    )


def serve(settings: Settings) -> None:
    """Start the app on settings.app_host:app_port. RuntimeError (in Swedish) when the port
    is taken, checked before the model loads."""
    started = time.perf_counter()
    ensure_port_free(settings.app_host, settings.app_port)  # before the model's load, not after it
    app = ChatApp(settings)
    app.assistant.embedder.embed_queries(["uppvärmning"])  # load the model now, not at the first question
    server = build_server(app)
    log.info("Appen startad på %.1f s", time.perf_counter() - started)
    print(f"Plattformsassistenten: http://{settings.app_host}:{settings.app_port}", flush=True)
    uvicorn.run(server, host=settings.app_host, port=settings.app_port, log_level="warning")
