"""Assembles the web app from the capabilities' blueprints."""
from __future__ import annotations

from sanic import Sanic, response
from sanic.request import Request

from lokseva.settings import Settings, get_settings
from lokseva.web.templates import render


def create_app(settings: Settings | None = None) -> Sanic:
    settings = settings or get_settings()
    app = Sanic("lokseva_web")
    app.ctx.settings = settings

    @app.get("/health")
    async def health(request: Request):
        return response.json({"status": "ok"})

    @app.get("/")
    async def home(request: Request):
        return response.html(render("home.html", settings=settings))

    from lokseva.payments.views import bp as payments

    app.blueprint(payments)

    from lokseva.certificates.views import bp as certificates

    app.blueprint(certificates)  # /verify/<number>, /media/<token>

    from lokseva.delivery.views import bp as delivery

    app.blueprint(delivery)  # /delivery/paid and the postage-fee checks
    return app
