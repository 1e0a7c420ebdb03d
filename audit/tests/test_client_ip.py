"""Which address a request is counted from, directly and behind trusted proxies."""

import pytest
from django.test import RequestFactory, override_settings

from audit.services import client_ip


def _request(forwarded=None, remote="10.0.0.9"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_not_believed():
    assert client_ip(_request("1.2.3.4")) == "10.0.0.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        # A client that sends its own header cannot choose its address: the proxy's entry is the last one.
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),
        (1, "2001:db8::1", "2001:db8::1"),
        # Garbage from a proxy: the connection's own address.
        (1, "not-an-address", "10.0.0.9"),
        (1, "", "10.0.0.9"),
    ],
)
def test_behind_trusted_proxies_the_client_is_counted_from_the_right(proxies, forwarded, expected):
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(_request(forwarded)) == expected


def test_no_request_no_address():
    assert client_ip(None) is None
