"""Read what pip-audit and npm audit wrote and say plainly what was audited, skipped or found.

Exit status 1 only for a known vulnerability; a service that cannot be reached is a skip.
Used by .ci/audit (`make audit`).
"""

import json
import sys
from pathlib import Path


def python_report(work: Path, rc: int) -> tuple[int, list[str]]:
    try:
        data = json.loads((work / "pip.json").read_text())
    except (OSError, ValueError):
        error = (work / "pip.err").read_text().strip().splitlines()
        reason = error[-1] if error else f"pip-audit exited with {rc}"
        return 0, [f"pip-audit SKIPPED: the advisory service could not be reached ({reason}); NOT audited"]
    deps = data.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    found = [(d["name"], d["version"], v["id"]) for d in deps for v in d.get("vulns", [])]
    lines = []
    for name, version, vuln in found:
        lines.append(f"VULNERABLE: {name} {version}: {vuln}")
    audited = len(deps) - len(skipped)
    if skipped and not audited:
        lines.append(
            f"pip-audit SKIPPED: PyPI's advisory data for these versions cannot be reached from here "
            f"(none of {len(deps)} packages answered); requirements.lock was NOT audited"
        )
    else:
        lines.append(f"pip-audit: {audited} packages audited, {len(found)} known vulnerabilities")
        if skipped:
            names = ", ".join(d["name"] for d in skipped)
            lines.append(f"pip-audit: {len(skipped)} packages could NOT be audited: {names}")
    return (1 if found else 0), lines


def npm_report(work: Path, rc: str) -> tuple[int, list[str]]:
    if rc == "skip":
        return 0, []
    if rc == "missing":
        return 0, ["npm audit SKIPPED: npm is not installed; tests/api/node was NOT audited"]
    try:
        data = json.loads((work / "npm.json").read_text() or "{}")
    except ValueError:
        data = {}
    counts = data.get("metadata", {}).get("vulnerabilities")
    if counts is None:
        reason = data.get("message") or data.get("error", {}).get("summary") or f"npm exited with {rc}"
        return 0, [f"npm audit SKIPPED: the registry did not answer the audit ({reason}); NOT audited"]
    total = sum(v for k, v in counts.items() if k != "total")
    lines = [f"npm audit: tests/api/node, {total} known vulnerabilities"]
    for name, item in data.get("vulnerabilities", {}).items():
        lines.append(f"VULNERABLE: {name} ({item.get('severity')}) {item.get('range', '')}")
    return (1 if total else 0), lines


def main() -> int:
    work, pip_rc, npm_rc = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    status = 0
    for part, lines in (python_report(work, pip_rc), npm_report(work, npm_rc)):
        status |= part
        for line in lines:
            print("== " + line)
    if status:
        print("== audit FAILED: known vulnerabilities above")
    return status


if __name__ == "__main__":
    sys.exit(main())
