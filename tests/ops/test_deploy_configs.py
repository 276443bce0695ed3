"""The configs in deploy/ are the ones docs/deployment.md tells people to copy: they must say
what the guide says (proxy headers, TLS, both nodes) and nginx must accept them."""

import configparser
import re
import shutil
import subprocess
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _self_signed(tmp_path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=blog.example.org",
        ]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert, key


def _nginx_test(tmp_path, site: str) -> subprocess.CompletedProcess:
    """`nginx -t` on a site file inside a minimal nginx.conf, the certificates made up here."""
    cert, key = _self_signed(tmp_path)
    text = (DEPLOY / site).read_text()
    text = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", text)
    text = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", text)
    (tmp_path / site).write_text(text)
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"error_log {tmp_path}/error.log;\npid {tmp_path}/nginx.pid;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path};\n  include {tmp_path / site};\n}}\n"
    )
    return subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True, timeout=30
    )


def test_the_single_site_nginx_config_passes_nginx_t_and_forwards_what_byline_needs(tmp_path):
    result = _nginx_test(tmp_path, "nginx-byline.conf")
    assert result.returncode == 0, result.stderr
    text = (DEPLOY / "nginx-byline.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "proxy_pass http://127.0.0.1:8000;" in text
    assert "return 301 https://$host$request_uri;" in text  # plain HTTP goes to HTTPS


def test_the_two_node_config_passes_nginx_t_and_balances_both_nodes(tmp_path):
    result = _nginx_test(tmp_path, "nginx-two-nodes.conf")
    assert result.returncode == 0, result.stderr
    text = (DEPLOY / "nginx-two-nodes.conf").read_text()
    upstream = re.search(r"upstream byline_nodes \{(.*?)\}", text, re.S).group(1)
    assert len(re.findall(r"^\s*server \S+:8000", upstream, re.M)) == 2
    assert "proxy_pass http://byline_nodes;" in text
    assert "X-Forwarded-Proto $scheme" in text and "$proxy_add_x_forwarded_for" in text
    # A comment POST must never be sent to a second node: non_idempotent is not allowed.
    assert "non_idempotent" not in text


def test_the_systemd_unit_runs_byline_serve_as_its_own_user_with_the_data_dir():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(DEPLOY / "byline.service")
    service = unit["Service"]
    assert service["User"] == "byline"
    assert re.fullmatch(r"/\S+/byline serve --host 127\.0\.0\.1 --port 8000 .*", service["ExecStart"])
    assert service["Environment"] == "BYLINE_DATA_DIR=/srv/byline/data"
    assert service["ReadWritePaths"] == "/srv/byline/data"  # ProtectSystem=strict leaves only this
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_the_environment_file_sets_what_byline_check_asks_for():
    env = dict(
        line.split("=", 1)
        for line in (DEPLOY / "byline.env").read_text().splitlines()
        if line and line[0] != "#"
    )
    assert env["BYLINE_BEHIND_HTTPS_PROXY"] == "1"
    assert env["BYLINE_TRUSTED_PROXIES"].startswith("127.0.0.1")
    assert env["BYLINE_EMAIL_BACKEND"].endswith("smtp.EmailBackend")


def test_the_caddyfile_proxies_the_site_to_byline_serve():
    text = (DEPLOY / "Caddyfile").read_text()
    body = re.search(r"^blog\.example\.org \{\n(.*)^\}", text, re.S | re.M).group(1)
    assert re.search(r"^\treverse_proxy 127\.0\.0\.1:8000$", body, re.M)
    assert text.count("{") == text.count("}")
