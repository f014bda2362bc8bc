"""Dockerfile and deploy/docker-compose.yml, checked without a Docker engine.

What can be checked here: the files parse, say what the contract needs (non-root, read-only,
health check, pinned images), agree with each other and with deploy/local/kafka, every file
they mount exists, and the HEALTHCHECK command really works against an HTTP endpoint.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from tests.conftest import REPO_ROOT

DOCKERFILE = REPO_ROOT / "Dockerfile"
COMPOSE = REPO_ROOT / "deploy" / "docker-compose.yml"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined: list[str] = []
    current = ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        joined.append(current + stripped)
        current = ""
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1] if " " in text else "") for text in joined]


def _all(name: str) -> list[str]:
    return [args for instruction, args in _instructions() if instruction == name]


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


# -- Dockerfile ----------------------------------------------------------------------------


def test_dockerfile_is_multi_stage_on_a_pinned_slim_base() -> None:
    (default,) = [args for args in _all("ARG") if args.startswith("PYTHON_IMAGE=")]
    image = default.split("=", 1)[1]
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", image), image
    stages = _all("FROM")
    assert stages == ["${PYTHON_IMAGE} AS builder", "${PYTHON_IMAGE} AS runtime"]
    assert any("--from=builder" in args for args in _all("COPY"))


def test_dockerfile_runtime_contract() -> None:
    runtime = _instructions()[[i for i, (name, args) in enumerate(_instructions()) if name == "FROM"][-1] :]
    names = [name for name, _ in runtime]
    assert ("USER", "10001:10001") in runtime
    assert names.index("USER") > max(i for i, name in enumerate(names) if name == "RUN"), "RUN after USER"
    assert ("EXPOSE", "9108") in runtime
    assert json.loads(dict(runtime)["ENTRYPOINT"]) == ["newswire"]
    assert json.loads(dict(runtime)["CMD"]) == ["serve"]
    assert json.loads(dict(runtime)["VOLUME"]) == ["/home/newswire/.cache"]
    env = dict(runtime)["ENV"]
    assert "HOME=/home/newswire" in env and "PYTHONDONTWRITEBYTECODE=1" in env
    healthcheck = dict(runtime)["HEALTHCHECK"]
    assert "urllib.request" in healthcheck and "/healthz" in healthcheck and "curl" not in healthcheck


@pytest.fixture
def health_endpoint() -> Iterator[int]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()


def test_the_healthcheck_command_works(health_endpoint: int) -> None:
    healthcheck = dict(_instructions())["HEALTHCHECK"]
    command = json.loads(healthcheck.split("CMD", 1)[1])
    assert command[:2] == ["python", "-c"]
    env = {**os.environ, "NEWSWIRE_METRICS_PORT": str(health_endpoint)}
    ok = subprocess.run([sys.executable, "-c", command[2]], env=env, capture_output=True, timeout=30, check=False)
    assert ok.returncode == 0, ok.stderr
    # Nothing listening: the check must fail (non-zero exit), not hang or pass.
    env["NEWSWIRE_METRICS_PORT"] = "1"
    down = subprocess.run([sys.executable, "-c", command[2]], env=env, capture_output=True, timeout=30, check=False)
    assert down.returncode != 0


def test_dockerignore_keeps_only_the_build_inputs() -> None:
    lines = [line.strip() for line in (REPO_ROOT / ".dockerignore").read_text().splitlines()]
    assert "*" in lines, "ignore everything by default"
    for needed in ("!pyproject.toml", "!README.md", "!requirements.lock", "!services/"):
        assert needed in lines
    copied = [args.split()[:-1] for args in _all("COPY") if "--from" not in args]
    assert sorted(name for names in copied for name in names) == [
        "README.md",
        "pyproject.toml",
        "requirements.lock",
        "services",
    ]


def test_dockerfile_installs_the_locked_versions_with_hashes() -> None:
    builder = " ".join(args for name, args in _instructions() if name == "RUN")
    assert "--require-hashes -c requirements.lock" in builder
    assert "--no-deps /wheels/newswire-" in builder, "the project itself must not resolve dependencies"


# -- docker-compose ------------------------------------------------------------------------


def test_compose_kafka_matches_the_local_broker() -> None:
    kafka = _compose()["services"]["kafka"]
    pom = (REPO_ROOT / "deploy" / "local" / "pom.xml").read_text(encoding="utf-8")
    local_version = re.search(r"<kafka.version>(.+?)</kafka.version>", pom)
    assert local_version is not None
    assert kafka["image"] == f"apache/kafka:{local_version.group(1)}"
    assert re.fullmatch(r"apache/kafka:4\.1\.\d+", kafka["image"])
    env = kafka["environment"]
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"]
    assert "localhost:" in env["KAFKA_ADVERTISED_LISTENERS"], "a listener for clients on the host"
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == "1@kafka:9093"
    assert str(env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"]) == "false"
    assert int(env["KAFKA_MESSAGE_MAX_BYTES"]) == 10485760


def test_compose_newswire_services() -> None:
    services = _compose()["services"]
    assert services["topics"]["command"] == ["topics", "ensure"]
    assert services["newswire"]["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    worker = services["newswire"]
    assert worker["deploy"]["replicas"] == 2
    assert "container_name" not in worker and "ports" not in worker, "replicas cannot share a name or host port"
    for name in ("topics", "newswire"):
        service = services[name]
        assert service["read_only"] is True
        assert service["user"] == "10001:10001"
        assert {"/tmp", "/home/newswire/.cache"} <= set(service["tmpfs"])
        assert service["environment"]["NEWSWIRE_KAFKA_BOOTSTRAP"] == "kafka:9092"
        assert service["build"]["dockerfile"] == "Dockerfile"
        assert (COMPOSE.parent / service["build"]["context"] / "Dockerfile").is_file()


def test_compose_mounts_exist_and_prometheus_scrapes_the_workers() -> None:
    services = _compose()["services"]
    for name in ("prometheus", "grafana"):
        assert re.search(r":v?\d+\.\d+\.\d+$", services[name]["image"]), f"{name} image not pinned"
        for volume in services[name]["volumes"]:
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (COMPOSE.parent / source).exists(), f"{name} mounts missing {source}"
    mounts = services["prometheus"]["volumes"]
    assert "./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in mounts
    assert "./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro" in mounts
    config = yaml.safe_load((REPO_ROOT / "deploy" / "prometheus" / "prometheus.yml").read_text())
    (job,) = [job for job in config["scrape_configs"] if job["job_name"] == "newswire"]
    (sd,) = job["dns_sd_configs"]
    assert sd["names"] == ["newswire"] and sd["port"] == 9108
    assert config["rule_files"] == ["alerts.yml"]
