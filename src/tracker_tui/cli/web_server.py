"""textual-serve's server, made safe to leave running on a laptop (`tracker serve`).

textual-serve (Textualize's own server for Textual apps) starts one app process per
browser tab and bridges it to xterm.js over a websocket. This subclass adds what a
server with no login needs, through its public methods only:
- a websocket opened by another site's page is refused (a browser lets any page open
  one to 127.0.0.1, and it would drive the app), checked by its Origin header;
- on loopback, a request for any host name but localhost's is refused, so a site whose
  name is rebound to 127.0.0.1 cannot load the page as its own either;
- the page's URLs are the ones the browser used, so `--host 0.0.0.0` or `::1` works;
- the page's font comes from this server, not Google Fonts (serve_page/app_index.html).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from tracker_tui.cli.serve_commands import is_loopback

FONT_SIZE_DEFAULT = 16
SESSIONS_QUIT_SECONDS = 10.0
"""On ctrl+c, how long the tabs' apps may take to quit (and save) before the server goes."""
PAGE_TEMPLATES = Path(__file__).parent / "serve_page"
"""textual-serve's page, its font from this server instead of Google Fonts (offline)."""


class TrackerServer(Server):
    """One tracker process per tab, its page and websocket for this machine's browser."""

    def __init__(
        self, command: str, *, host: str, port: int, loopback_only: bool, banner: str
    ) -> None:
        super().__init__(
            command, host=host, port=port, title="tracker", templates_path=PAGE_TEMPLATES
        )
        self.loopback_only = loopback_only
        self.banner = banner
        self.sessions: set[asyncio.Task[web.WebSocketResponse]] = set()
        """Each open tab's websocket handler, which runs its app process."""

    def initialize_logging(self) -> None:
        """Errors only: a line per HTTP request would bury the address to open."""
        super().initialize_logging()
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def on_startup(self, app: web.Application) -> None:
        """The address and how to stop, instead of textual-serve's logo."""
        print(self.banner, flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        """ctrl+c: each tab's app is told to quit, and saves, before the server goes.

        Without this the server would wait (a minute) for every browser to close its
        websocket; ending a session's handler makes textual-serve send its app "quit".
        """
        for session in self.sessions:
            session.cancel()
        if self.sessions:
            await asyncio.wait(self.sessions, timeout=SESSIONS_QUIT_SECONDS)

    def refuse_foreign(self, request: web.Request) -> None:
        """403 for a request another site's page made (see the module's docstring)."""
        if self.loopback_only and not is_loopback(request.url.host or ""):
            raise web.HTTPForbidden(text="tracker serve answers to localhost only\n")
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"{request.scheme}://{request.host}":
            raise web.HTTPForbidden(text="tracker serve refuses other sites' pages\n")

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """textual-serve's page, its URLs made from the address the browser asked for."""
        self.refuse_foreign(request)
        origin = f"{request.scheme}://{request.host}"
        socket_origin = f"{'wss' if request.scheme == 'https' else 'ws'}://{request.host}"
        router = request.app.router
        try:
            font_size = int(request.query.get("fontsize", FONT_SIZE_DEFAULT))
        except ValueError:
            font_size = FONT_SIZE_DEFAULT
        statics = str(router["static"].url_for(filename="/")).rstrip("/") + "/"
        return {
            "font_size": font_size,
            "app_websocket_url": f"{socket_origin}{router['websocket'].url_for()}",
            "config": {"static": {"url": f"{origin}{statics}"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A tab's app process, for a page this server served."""
        self.refuse_foreign(request)
        session = asyncio.ensure_future(super().handle_websocket(request))
        self.sessions.add(session)
        try:
            return await session
        finally:
            self.sessions.discard(session)
