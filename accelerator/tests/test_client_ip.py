"""The client's address behind our proxies: the login rate limits count per person, not per proxy."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accelerator.client_ip import client_ip
from accelerator.tests.factories import PASSWORD, UserFactory

PROXY = "127.0.0.1"
ATTACKER = "203.0.113.9"
NEIGHBOUR = "198.51.100.7"
TOO_MANY = "Too many failed login attempts"


def _request(remote_addr="10.0.0.1", forwarded_for=None):
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


def _sign_in(client, email, password, *, address, sent_header=None):
    """A login posted through one proxy, which appends the address it was connected from to
    whatever X-Forwarded-For the client sent."""
    forwarded_for = f"{sent_header}, {address}" if sent_header else address
    return client.post(reverse("account_login"), {"login": email, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


@pytest.mark.parametrize(("depth", "header", "expected"), [
    (0, "203.0.113.9", "10.0.0.1"),  # no trusted proxy: the header is anyone's to write
    (1, "203.0.113.9", "203.0.113.9"),
    (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # what the client sent itself is ignored
    (2, "198.51.100.7, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
    (1, " 203.0.113.9 ", "203.0.113.9"),
    (1, "203.0.113.9:51234", "203.0.113.9"),
    (1, "[2001:db8::1]:443", "2001:db8::1"),
    (1, "2001:db8::1", "2001:db8::1"),
])
def test_address_is_read_the_configured_depth_from_the_right(settings, depth, header, expected):
    settings.TRUSTED_PROXY_COUNT = depth
    assert client_ip(_request(forwarded_for=header)) == expected


@pytest.mark.parametrize("header", [
    "", ",", "not-an-address", "203.0.113.9, garbage", "999.1.1.1", "203.0.113.9,", "unknown",
    "203.0.113.9; 198.51.100.7", "\x00", "[2001:db8::1", "2001:db8::zz",
])
def test_a_malformed_header_falls_back_to_the_connecting_address(settings, header):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(forwarded_for=header)) == "10.0.0.1"


def test_a_header_shorter_than_the_proxy_depth_falls_back_to_the_connecting_address(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(forwarded_for="203.0.113.9")) == "10.0.0.1"
    assert client_ip(_request()) == "10.0.0.1"


def test_no_usable_address_at_all_is_none(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(remote_addr="", forwarded_for="junk")) is None


@pytest.mark.django_db
def test_behind_one_proxy_an_attacker_locks_out_only_itself(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    targets = [UserFactory().email for _ in range(6)]
    neighbour = UserFactory(email="neighbour@example.org")
    refused = 0
    for attempt in range(18):
        # Spread over six accounts, so the per-address limit (10 a minute) is what bites; the
        # attacker also claims the neighbour's address in its own header, which changes nothing.
        response = _sign_in(client, targets[attempt % 6], "wrong", address=ATTACKER, sent_header=NEIGHBOUR)
        refused += TOO_MANY in response.content.decode()
    assert refused == 8  # the attacker is shut out after its tenth failure

    _sign_in(client, neighbour.email, PASSWORD, address=NEIGHBOUR)
    assert client.session["_auth_user_id"] == str(neighbour.pk)


@pytest.mark.django_db
def test_the_targeted_account_is_still_limited_whatever_the_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    target = UserFactory(email="target@example.org")
    for n in range(5):  # five failures from five addresses: no address reaches its own limit
        _sign_in(client, target.email, "wrong", address=f"203.0.113.{n + 1}")
    response = _sign_in(client, target.email, PASSWORD, address=NEIGHBOUR)
    assert "_auth_user_id" not in client.session
    assert TOO_MANY in response.content.decode()
    # Another account from the same fresh address is untouched.
    other = UserFactory(email="other@example.org")
    _sign_in(client, other.email, PASSWORD, address=NEIGHBOUR)
    assert client.session["_auth_user_id"] == str(other.pk)


@pytest.mark.django_db
def test_without_the_proxy_count_everyone_behind_the_proxy_shares_one_limit(client, settings):
    """Why the setting exists: with it at 0 every request seems to come from the proxy."""
    settings.TRUSTED_PROXY_COUNT = 0
    targets = [UserFactory().email for _ in range(6)]
    neighbour = UserFactory(email="neighbour@example.org")
    for attempt in range(12):
        _sign_in(client, targets[attempt % 6], "wrong", address=ATTACKER)
    response = _sign_in(client, neighbour.email, PASSWORD, address=NEIGHBOUR)
    assert "_auth_user_id" not in client.session
    assert TOO_MANY in response.content.decode()
