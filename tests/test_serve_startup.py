"""Two `byline serve` started at once on one data dir: both come up and serve (none crashes in
collectstatic or migrate), and the site they serve is whole."""

import os
import subprocess
import time

import pytest
import requests

from tests.test_cli import BYLINE, _free_port, byline


@pytest.mark.parametrize("attempt", range(2))
def test_two_servers_started_at_once_both_serve(tmp_path, attempt):
    data = tmp_path / "site"
    byline("init", "--demo", data=data)  # static files not collected yet: the first serve does it
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    ports = [_free_port(), _free_port()]
    logs = [(tmp_path / f"serve{i}.log").open("w") for i in range(2)]
    procs = [
        subprocess.Popen(
            [BYLINE, "serve", "--data", str(data), "--port", str(port), "--workers", "1"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    try:
        for i, (proc, port) in enumerate(zip(procs, ports, strict=True)):
            deadline = time.monotonic() + 90  # generous: the machine may be busy
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    pytest.fail(f"server {i} exited: " + (tmp_path / f"serve{i}.log").read_text())
                try:
                    home = requests.get(f"http://127.0.0.1:{port}/", timeout=10)
                    break
                except requests.RequestException:
                    time.sleep(0.2)
            else:
                pytest.fail(f"server {i} did not answer: " + (tmp_path / f"serve{i}.log").read_text())
            assert home.status_code == 200
            css = home.text.split('rel="stylesheet" href="')[1].split('"')[0]
            assert requests.get(f"http://127.0.0.1:{port}{css}", timeout=5).status_code == 200
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in logs:
            log.close()
