"""`make audit` reports: a known vulnerability fails it, an unreachable advisory service is a plain skip."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPORT = Path(__file__).resolve().parents[1] / ".ci" / "audit_report.py"


def report(tmp_path, pip: dict | None, npm: dict | None, npm_rc="1"):
    if pip is not None:
        (tmp_path / "pip.json").write_text(json.dumps(pip))
    (tmp_path / "pip.err").write_text("requests.exceptions.ConnectionError: Failed to resolve 'pypi.org'\n")
    if npm is not None:
        (tmp_path / "npm.json").write_text(json.dumps(npm))
    result = subprocess.run(
        [sys.executable, str(REPORT), str(tmp_path), "1", npm_rc], capture_output=True, text=True, check=False
    )
    return result.returncode, result.stdout


CLEAN = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
UNREACHABLE = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}
VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}]}
    ]
}
NPM_CLEAN = {"metadata": {"vulnerabilities": {"low": 0, "high": 0, "total": 0}}, "vulnerabilities": {}}
NPM_VULNERABLE = {
    "metadata": {"vulnerabilities": {"low": 0, "high": 1, "total": 1}},
    "vulnerabilities": {"superagent": {"severity": "high", "range": "<3.7.0"}},
}
NPM_REFUSED = {
    "message": "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk"
}


@pytest.mark.parametrize(
    "pip,npm,status,says",
    [
        (CLEAN, NPM_CLEAN, 0, "pip-audit: 1 packages audited, 0 known vulnerabilities"),
        (VULNERABLE, NPM_CLEAN, 1, "VULNERABLE: django 5.2.0: PYSEC-2025-1"),
        (CLEAN, NPM_VULNERABLE, 1, "VULNERABLE: superagent (high) <3.7.0"),
        (UNREACHABLE, NPM_REFUSED, 0, "requirements.lock was NOT audited"),
        (None, NPM_REFUSED, 0, "pip-audit SKIPPED: the advisory service could not be reached"),
        (CLEAN, NPM_REFUSED, 0, "npm audit SKIPPED: the registry did not answer the audit (405"),
    ],
)
def test_what_the_audit_says(tmp_path, pip, npm, status, says):
    code, out = report(tmp_path, pip, npm)
    assert code == status, out
    assert says in out
    if status:
        assert "audit FAILED" in out
