"""Jinja2 templates of the web app (HTML-escaped by default)."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

_env = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent)),
    autoescape=select_autoescape(["html"]),
)


def render(name: str, **context) -> str:
    return _env.get_template(name).render(**context)
