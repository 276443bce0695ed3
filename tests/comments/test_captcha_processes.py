"""A solved sum is refused the second time even by another server process (the shared cache)."""

import os
import subprocess
import sys
from pathlib import Path

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


def test_a_token_is_single_use_across_processes(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
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
