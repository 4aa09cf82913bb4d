"""Assembles the web app from the capabilities' blueprints."""

from __future__ import annotations

from sanic import Sanic, response
from sanic.request import Request

from lokseva.certificates.views import bp as certificates
from lokseva.channels.simulator import create_blueprint as simulator_blueprint
from lokseva.db import upgrade_database
from lokseva.delivery.views import bp as delivery
from lokseva.messages import check_catalogue
from lokseva.payments.views import bp as payments
from lokseva.portal.views import bp as portal
from lokseva.settings import Settings, get_settings
from lokseva.web.templates import render


def create_app(settings: Settings | None = None) -> Sanic:
    settings = settings or get_settings()
    # Every citizen-facing text in every language, with the same placeholders: a
    # broken catalogue stops the start here, not a citizen's conversation later.
    check_catalogue()
    app = Sanic("lokseva_web")
    app.ctx.settings = settings
    # Behind the reverse proxy, the client's address is in the header the proxy sets
    # (request.remote_addr); without these Sanic sees only the proxy's address.
    app.config.PROXIES_COUNT = settings.proxies_count or None
    app.config.REAL_IP_HEADER = settings.real_ip_header or None

    @app.before_server_start
    async def upgrade_schema(app, _loop):
        # The web app owns the schema: every start brings the database to the newest migration.
        upgrade_database(settings.database_url)

    app.blueprint(portal)

    @app.get("/health")
    async def health(request: Request):
        return response.json({"status": "ok"})

    @app.get("/")
    async def home(request: Request):
        return response.html(render("home.html", settings=settings))

    app.blueprint(payments)
    app.blueprint(certificates)  # /verify/<number>, /media/<token>
    if settings.env in ("development", "test"):  # it signs webhooks: never in production, only to localhost
        app.blueprint(simulator_blueprint(settings))

    app.blueprint(delivery)  # /delivery/paid, the page after paying the postage fee

    return app
