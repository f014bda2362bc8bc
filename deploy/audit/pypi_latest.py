"""Dependency audit from PyPI's own vulnerability data, for where pip-audit cannot reach its service.

pip-audit asks PyPI for each installed release (`/pypi/<name>/<version>/json`) or OSV. Where neither
answers (a mirror that serves only project pages), this reads each project's page
(`/pypi/<name>/json`): its `vulnerabilities` are the known advisories (PyPA advisory database, the
same data pip-audit's PyPI service returns) of the *latest* release. So a distribution installed at
the latest release is audited exactly; one behind it is listed as unaudited, never as clean.

    .venv/bin/python deploy/audit/pypi_latest.py      # exit 1 on a known vulnerability or an unaudited package
"""

from __future__ import annotations

import json
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import distributions
from typing import Any

INDEX = "https://pypi.org/pypi/{name}/json"
OWN = {"newswire"}  # this project: not on the index


def project_page(name: str) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(INDEX.format(name=name), timeout=20) as response:
            page: dict[str, Any] = json.load(response)
            return page
    except OSError as error:
        return {"error": str(error)}


def main() -> int:
    installed = sorted({(d.metadata["Name"], d.version) for d in distributions() if d.metadata["Name"] not in OWN})
    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(lambda item: project_page(item[0]), installed))
    vulnerable, unaudited, clean = [], [], 0
    for (name, version), page in zip(installed, pages, strict=True):
        if "error" in page:
            unaudited.append(f"{name} {version}: index unreachable ({page['error']})")
        elif page["info"]["version"] != version:
            unaudited.append(f"{name} {version}: behind the latest {page['info']['version']}")
        elif page.get("vulnerabilities"):
            ids = ", ".join(v.get("id", "?") for v in page["vulnerabilities"])
            vulnerable.append(f"{name} {version}: {ids}")
        else:
            clean += 1
    print(f"{len(installed)} distributions: {clean} at their latest release with no known vulnerability")
    for line in vulnerable:
        print(f"VULNERABLE {line}")
    for line in unaudited:
        print(f"unaudited  {line}")
    return 1 if vulnerable or unaudited else 0


if __name__ == "__main__":
    sys.exit(main())
