"""The session cookie's flags."""

from sanic import response

from lokseva.portal.http import set_cookie
from lokseva.settings import load_settings


def cookie_header(public_url: str, **kwargs) -> str:
    resp = response.text("x")
    set_cookie(resp, load_settings({"PUBLIC_URL": public_url}), "lokseva_portal", "token.sig", **kwargs)
    return str(resp.headers["Set-Cookie"])


def test_secure_only_behind_https():
    public = cookie_header("https://lokseva.example.gov.in")
    assert "Secure" in public and "HttpOnly" in public and "SameSite=Lax" in public and "Path=/portal" in public
    assert "Secure" not in cookie_header("http://127.0.0.1:8000")


def test_clearing_a_cookie():
    assert "Max-Age=0" in cookie_header("http://127.0.0.1:8000", max_age=0)
