"""`assistant serve`: the chat app (Gradio) mounted in a FastAPI server behind the login
of app/web/login.py when the users file exists, served by uvicorn."""

from __future__ import annotations

import logging
import time

import gradio as gr
import uvicorn
from fastapi import FastAPI

from app.web.app import ChatApp
from app.web.login import Login
from app.web.render import CSS
from kbcore.settings import Settings

log = logging.getLogger(__name__)


def build_server(app: ChatApp) -> FastAPI:
    """The FastAPI server of ``app``: with login when users exist, else local single-user mode."""
    server = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    demo = app.build().queue(default_concurrency_limit=4)
    auth_dependency = None
    if app.users.enabled:
        login = Login(app.settings, app.users, app.audit)
        login.add_routes(server)
        auth_dependency = login.user_for
    return gr.mount_gradio_app(
        server, demo, path="/", auth_dependency=auth_dependency, css=CSS, show_error=False
    )


def serve(settings: Settings) -> None:
    """Start the app on settings.app_host:app_port."""
    started = time.perf_counter()
    app = ChatApp(settings)
    app.assistant.embedder.embed_queries(["uppvärmning"])  # load the model now, not at the first question
    server = build_server(app)
    log.info("Appen startad på %.1f s", time.perf_counter() - started)
    print(f"Plattformsassistenten: http://{settings.app_host}:{settings.app_port}", flush=True)
    uvicorn.run(server, host=settings.app_host, port=settings.app_port, log_level="warning")
