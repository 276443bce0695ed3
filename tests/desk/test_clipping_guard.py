"""The clipping fetcher's guard against requests into the site's own network (SSRF), DNS rebinding
included: a host is resolved once, every address it has is checked, and the connection goes to the
checked address. The resolver is a parameter of `fetch_page` (a seam); the pages are served by a
real HTTP server on 127.0.0.1."""

import http.server
import ipaddress
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from byline.desk.editor.metadata import FetchRefused, checked_address, fetch_page

PUBLIC_V4 = "93.184.215.14"
PUBLIC_V6 = "2606:4700:4700::1111"


class Resolver:
    """Answers from a script, one answer per call, and counts the calls."""

    def __init__(self, *answers):
        self.answers, self.calls = list(answers), []

    def __call__(self, host, port):
        self.calls.append(host)
        return self.answers[min(len(self.calls), len(self.answers)) - 1]


class _Site(http.server.BaseHTTPRequestHandler):
    seen: list = []

    def do_GET(self):
        type(self).seen.append((self.path, self.headers.get("Host")))
        if self.path == "/hop":
            self.send_response(302)
            self.send_header("Location", self.next)
            self.end_headers()
            return
        body = b'<html><head><meta property="og:title" content="Ferry fares frozen"></head></html>'
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    handler = type("Site", (_Site,), {"seen": [], "next": ""})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield handler, server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_name_with_a_public_and_a_loopback_address_is_refused(site):
    handler, port = site
    resolve = Resolver([PUBLIC_V4, "127.0.0.1"])
    with pytest.raises(FetchRefused, match="news.example is a private or local address"):
        fetch_page(f"http://news.example:{port}/story", resolve=resolve)
    assert handler.seen == []
    assert resolve.calls == ["news.example"]


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",  # noqa: S104 - the address under test, not a bind
        "240.0.0.1",  # reserved
        "224.0.0.1",  # multicast
        "::1",
        "fe80::1",
        "fc00::1",
        "::",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
    ],
)
def test_every_kind_of_inside_address_is_refused_even_behind_a_public_one(address):
    with pytest.raises(FetchRefused, match="private or local address"):
        checked_address("news.example", 80, Resolver([address]))
    with pytest.raises(FetchRefused, match="private or local address"):
        checked_address("news.example", 80, Resolver([PUBLIC_V6, address]))


def test_public_addresses_pass_and_the_first_is_the_one_to_connect_to():
    assert checked_address("news.example", 443, Resolver([PUBLIC_V6, PUBLIC_V4])) == PUBLIC_V6


def test_loopback_allowed_for_tests_still_refuses_the_rest(settings):
    settings.BYLINE_CLIPPING_ALLOW_LOOPBACK = True
    assert checked_address("news.example", 80, Resolver(["::ffff:127.0.0.1"])) == "::ffff:127.0.0.1"
    with pytest.raises(FetchRefused):
        checked_address("news.example", 80, Resolver(["127.0.0.1", "10.0.0.1"]))


def test_an_empty_answer_or_garbage_is_not_found():
    with pytest.raises(FetchRefused, match="could not be found"):
        checked_address("news.example", 80, Resolver([]))
    with pytest.raises(FetchRefused, match="could not be found"):
        checked_address("news.example", 80, Resolver(["not-an-address"]))


@given(st.ip_addresses(v=4))
def test_an_ipv4_address_mapped_into_ipv6_is_judged_as_itself(v4):
    mapped = ipaddress.IPv6Address(f"::ffff:{v4}")
    outcomes = []
    for text in (str(v4), str(mapped)):
        try:
            checked_address("h.example", 80, Resolver([text]))
            outcomes.append("allowed")
        except FetchRefused:
            outcomes.append("refused")
    assert outcomes[0] == outcomes[1]
    if not v4.is_global:
        assert outcomes == ["refused", "refused"]


def test_the_connection_goes_to_the_checked_address_with_the_host_named(site, settings):
    """A rebinding name answers loopback (allowed here) once, then an inside address: never asked twice."""
    settings.BYLINE_CLIPPING_ALLOW_LOOPBACK = True
    handler, port = site
    resolve = Resolver(["127.0.0.1"], ["10.9.9.9"])
    final, html = fetch_page(f"http://news.example:{port}/story?id=7", resolve=resolve)
    assert (final, "Ferry fares frozen" in html) == (f"http://news.example:{port}/story?id=7", True)
    assert resolve.calls == ["news.example"]
    assert handler.seen == [("/story?id=7", f"news.example:{port}")]


def test_each_redirect_is_checked_again(site, settings):
    settings.BYLINE_CLIPPING_ALLOW_LOOPBACK = True
    handler, port = site
    handler.next = f"http://inside.example:{port}/story"
    resolve = Resolver(["127.0.0.1"], ["10.0.0.5"])
    with pytest.raises(FetchRefused, match="inside.example is a private or local address"):
        fetch_page(f"http://news.example:{port}/hop", resolve=resolve)
    assert resolve.calls == ["news.example", "inside.example"]
    assert [path for path, _host in handler.seen] == ["/hop"]
    handler.next = "http://169.254.169.254/latest/meta-data/"
    with pytest.raises(FetchRefused, match="169.254.169.254 is a private or local address"):
        fetch_page(f"http://127.0.0.1:{port}/hop")


def test_a_redirect_to_an_allowed_page_is_followed(site, settings):
    settings.BYLINE_CLIPPING_ALLOW_LOOPBACK = True
    handler, port = site
    handler.next = f"http://second.example:{port}/story"
    resolve = Resolver(["127.0.0.1"])
    final, _html = fetch_page(f"http://news.example:{port}/hop", resolve=resolve)
    assert final == f"http://second.example:{port}/story"
    assert handler.seen == [("/hop", f"news.example:{port}"), ("/story", f"second.example:{port}")]


def test_without_the_test_setting_loopback_is_refused_before_connecting(site):
    handler, port = site
    with pytest.raises(FetchRefused, match="private or local address"):
        fetch_page(f"http://127.0.0.1:{port}/story")
    assert handler.seen == []


def test_https_names_the_host_by_sni_and_verifies_its_certificate(settings):
    """Connecting to the checked address still speaks TLS to the name: the server is told
    "news.example" (SNI), and a certificate no authority signed is refused."""
    import ssl
    from pathlib import Path

    settings.BYLINE_CLIPPING_ALLOW_LOOPBACK = True
    data = Path(__file__).parents[1] / "data"
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(data / "tls-news-example.crt", data / "tls-news-example.key")
    names = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    handler = type("Site", (_Site,), {"seen": [], "next": ""})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        with pytest.raises(FetchRefused, match="could not be fetched"):
            fetch_page(f"https://news.example:{port}/story", resolve=Resolver(["127.0.0.1"]))
    finally:
        server.shutdown()
        server.server_close()
    assert names == ["news.example"]
    assert handler.seen == []  # refused at the handshake: no request was sent
