"""The arguments that turn on Rasa's JWT authentication, read by Rasa's own parser."""

import dataclasses

import pytest
from rasa.__main__ import create_argument_parser

from lokseva import rasa_api
from lokseva.settings import load_settings


@pytest.mark.parametrize("token", ["-starts-with-a-dash", "--two-dashes", "plain_token"])
def test_rasa_reads_the_secret_whatever_it_begins_with(token):
    settings = dataclasses.replace(load_settings({}), rasa_api_token=token)
    args = create_argument_parser().parse_args(["run", *rasa_api.rasa_server_auth_args(settings)])
    assert args.jwt_secret == token
    assert args.jwt_method == "HS256"
