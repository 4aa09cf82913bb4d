"""The WhatsApp simulator page of the web app (/simulator); see views.py."""

from lokseva.channels.simulator.views import create_blueprint

__all__ = ["create_blueprint"]
