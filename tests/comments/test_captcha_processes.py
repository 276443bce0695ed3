"""A solved sum is refused the second time even by another server process (the shared cache)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BYLINE = str(Path(sys.executable).with_name("byline"))

ISSUE = """
from byline.comments import captcha
c = captcha.new_challenge()
print(captcha.issue_token(c, now=__import__('time').time() - 10))
print(c.answer)
"""

CHECK = """
import sys
from byline.comments import captcha
try:
    captcha.check_answer(open(sys.argv[-1]).read().split()[0], open(sys.argv[-1]).read().split()[1])
    print("accepted")
except captcha.CaptchaError as e:
    print(e.code)
"""


def _redis_answers() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.mark.parametrize("cache", ["database", "redis"])
def test_a_token_is_single_use_across_processes(tmp_path, cache):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    if cache == "redis":
        # Several app nodes share Redis (BYLINE_CACHE_URL); a database number of its own per run.
        if not _redis_answers():
            pytest.skip("Redis does not answer on 127.0.0.1:6379 (it does on Byline's CI machines)")
        env["BYLINE_CACHE_URL"] = f"redis://127.0.0.1:6379/{9 + os.getpid() % 6}"
    data = str(tmp_path / "site")
    subprocess.run([BYLINE, "init", "--data", data], env=env, check=True, capture_output=True, timeout=120)

    def shell(code):
        return subprocess.run(
            [BYLINE, "manage", "shell", "--no-imports", "-c", code, "--data", data],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout.strip()

    token_and_answer = tmp_path / "token.txt"
    token_and_answer.write_text(shell(ISSUE))
    check = CHECK.replace("sys.argv[-1]", repr(str(token_and_answer)))
    assert shell(check) == "accepted"  # one process takes it
    assert shell(check) == "reused"  # a second process, with its own memory, refuses it
