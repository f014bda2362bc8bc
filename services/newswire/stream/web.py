"""A worker's HTTP endpoints: /metrics (Prometheus), /healthz, /readyz, /status (JSON) and / (HTML)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from newswire.metrics import Metrics
from newswire.ops.status import render_page


class HealthServer:
    """A small aiohttp server in the worker's event loop."""

    def __init__(
        self,
        metrics: Metrics,
        readiness: Callable[[], tuple[bool, dict[str, object]]],
        host: str,
        port: int,
        status: Callable[[], dict[str, Any]] | None = None,
    ):
        self._metrics = metrics
        self._readiness = readiness
        self._status = status
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/metrics", self._metrics_page)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        if self._status is not None:
            app.router.add_get("/status", self._status_json)
            app.router.add_get("/", self._status_page)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._host, self._port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _metrics_page(self, _request: web.Request) -> web.Response:
        body = generate_latest(self._metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _healthz(self, _request: web.Request) -> web.Response:
        return web.Response(text='{"status": "ok"}', content_type="application/json")

    async def _readyz(self, _request: web.Request) -> web.Response:
        ready, detail = self._readiness()
        body = json.dumps({"ready": ready, **detail})
        return web.Response(text=body, status=200 if ready else 503, content_type="application/json")

    async def _status_json(self, _request: web.Request) -> web.Response:
        assert self._status is not None
        return web.Response(text=json.dumps(self._status(), indent=1), content_type="application/json")

    async def _status_page(self, _request: web.Request) -> web.Response:
        assert self._status is not None
        return web.Response(text=render_page(self._status()), content_type="text/html", charset="utf-8")
