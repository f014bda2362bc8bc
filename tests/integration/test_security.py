"""SASL_SSL end to end: a private broker with SCRAM-SHA-512 and TLS, the service and every Kafka tool.

The test makes its own broker with `deploy/local/kafka` (NEWSWIRE_LOCAL_KAFKA_SECURITY=sasl_ssl)
in a temporary home on its own ports, with a password file it writes and the CA and broker
certificate that the script generates there. The service and the tools get the connection
settings only from the environment and files (NEWSWIRE_SASL_PASSWORD_FILE, or
NEWSWIRE_SASL_PASSWORD for some tools, and NEWSWIRE_SSL_CAFILE); there is no command-line
option for a secret. Then the password must not appear in the service log, on /metrics, in
dead-letter headers, in any process's command line, or in the tools' output, and metric
labels must carry no story text or ids.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newswire.cli import build_parser
from newswire.config import Settings
from tests.conftest import FIXTURES
from tests.integration.conftest import KAFKA_SCRIPT, Topics, newswire_cmd, start_service

LIBS = Path.home() / ".cache" / "newswire" / "local-kafka" / "libs-4.1.1"
STORY_FILE = FIXTURES / "wires" / "nitf" / "story-doctype-dateline-in-paragraph.xml"
ATTACK_FILE = FIXTURES / "wires" / "nitf" / "attack-billion-laughs.xml"
USER = "newswire-test"


def _ports_free(port: int) -> bool:
    for candidate in (port, port + 1, port + 2):  # client, controller, internal listener
        with socket.socket() as sock:  # no SO_REUSEADDR: a port still in TIME_WAIT counts as taken
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                return False
    return True


def _pick_port() -> int:
    for port in range(29092, 29992, 100):
        if _ports_free(port):
            return port
    raise RuntimeError("no free port triple for the private broker")


@dataclass
class SecureBroker:
    bootstrap: str
    password: str
    password_file: Path
    cafile: Path
    script_env: dict[str, str]

    def env(self, *, password_in_env: bool = False) -> dict[str, str]:
        """Client settings for newswire: SCRAM-SHA-512 over TLS, the password from a file (or the env)."""
        settings = {
            "NEWSWIRE_KAFKA_BOOTSTRAP": self.bootstrap,
            "NEWSWIRE_SECURITY_PROTOCOL": "SASL_SSL",
            "NEWSWIRE_SASL_MECHANISM": "SCRAM-SHA-512",
            "NEWSWIRE_SASL_USERNAME": USER,
            "NEWSWIRE_SSL_CAFILE": str(self.cafile),
        }
        if password_in_env:
            settings["NEWSWIRE_SASL_PASSWORD"] = self.password
        else:
            settings["NEWSWIRE_SASL_PASSWORD_FILE"] = str(self.password_file)
        return settings


def _clean_environ() -> dict[str, str]:
    # No Kafka settings of the developer's shell (a plaintext bootstrap, another password) leak in.
    return {key: value for key, value in os.environ.items() if not key.startswith("NEWSWIRE_")}


@pytest.fixture(scope="module")
def secure_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecureBroker]:
    if shutil.which("java") is None or shutil.which("openssl") is None:
        pytest.skip("a JDK (java) and openssl are needed for the SASL_SSL broker")
    home = tmp_path_factory.mktemp("sasl-kafka")
    secrets_dir = home / "secrets"
    secrets_dir.mkdir(mode=0o700)
    password = "nw-" + secrets.token_urlsafe(24)
    password_file = secrets_dir / "scram.password"
    password_file.write_text(password + "\n", encoding="utf-8")
    password_file.chmod(0o600)
    port = _pick_port()
    script_env = {
        **_clean_environ(),
        "NEWSWIRE_LOCAL_KAFKA_HOME": str(home / "kafka"),
        "NEWSWIRE_LOCAL_KAFKA_PORT": str(port),
        "NEWSWIRE_LOCAL_KAFKA_SECURITY": "sasl_ssl",
        "NEWSWIRE_LOCAL_KAFKA_SCRAM_USER": USER,
        "NEWSWIRE_LOCAL_KAFKA_SCRAM_PASSWORD_FILE": str(password_file),
        "NEWSWIRE_LOCAL_KAFKA_HEAP": "384m",
    }
    if (LIBS / ".complete").exists():
        script_env["NEWSWIRE_LOCAL_KAFKA_LIBS"] = str(LIBS)
    try:
        started = subprocess.run([str(KAFKA_SCRIPT), "up"], env=script_env, timeout=600, capture_output=True, text=True)
        if started.returncode != 0:
            pytest.fail(f"the SASL_SSL broker did not start on port {port}:\n{started.stderr[-3000:]}")
        yield SecureBroker(
            bootstrap=f"localhost:{port}",
            password=password,
            password_file=password_file,
            cafile=home / "kafka" / "tls" / "ca.pem",
            script_env=script_env,
        )
    finally:
        subprocess.run([str(KAFKA_SCRIPT), "down"], env=script_env, check=False, timeout=120, capture_output=True)


def run_tool(
    *args: str, env: dict[str, str], timeout: float = 120, check: bool = True
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        newswire_cmd(*args), env={**_clean_environ(), **env}, capture_output=True, text=True, timeout=timeout
    )
    if check:
        assert done.returncode == 0, f"newswire {' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done


def _json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _listening_address(port: int) -> str:
    """The local address of the socket listening on `port` (from /proc/net/tcp and tcp6)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                address, port_hex = fields[1].rsplit(":", 1)
                if int(port_hex, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                    return address
    raise AssertionError(f"nothing listens on port {port}")


def _label_values(metrics_text: str) -> list[str]:
    return [
        value.encode().decode("unicode_escape")
        for line in metrics_text.splitlines()
        if line and not line.startswith("#") and "{" in line
        for value in re.findall(r'="((?:[^"\\]|\\.)*)"', line.split("{", 1)[1].rsplit("}", 1)[0])
    ]


def _all_parsers(
    parser: argparse.ArgumentParser, name: str = "newswire"
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _all_parsers(sub, f"{name} {sub_name}")


def test_secrets_have_no_command_line_option() -> None:
    parser = build_parser()
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["publish", "--sasl-password", "x", "file.xml"])
    assert exited.value.code == 2
    names = []
    for name, sub in _all_parsers(parser):
        names.append(name)
        help_text = sub.format_help().lower()
        assert "password" not in help_text and "secret" not in help_text, name
    assert {"newswire serve", "newswire publish", "newswire tail", "newswire topics ensure", "newswire lag"} <= set(
        names
    )


def test_settings_never_show_the_password(tmp_path: Path) -> None:
    secret_file = tmp_path / "pw"
    secret_file.write_text("file-secret-123\n")
    from_file = Settings(security_protocol="SASL_SSL", sasl_username="u", sasl_password_file=secret_file)
    assert from_file.sasl_secret == "file-secret-123"
    assert from_file.kafka_python_security()["sasl_plain_password"] == "file-secret-123"
    from_env = Settings(security_protocol="SASL_SSL", sasl_username="u", sasl_password="env-secret-456")  # type: ignore[arg-type]
    assert from_env.sasl_secret == "env-secret-456"
    for settings, secret in ((from_file, "file-secret-123"), (from_env, "env-secret-456")):
        shown = (
            repr(settings) + str(settings) + settings.model_dump_json() + json.dumps(settings.model_dump(), default=str)
        )
        assert secret not in shown


def test_sasl_ssl_end_to_end(secure_broker: SecureBroker, tmp_path: Path) -> None:
    password = secure_broker.password
    run = uuid.uuid4().hex[:10]
    topics = Topics(f"sec.{run}.raw", f"sec.{run}.stories", f"sec.{run}.deadletter", f"sec-{run}")
    names = topics.env(secure_broker.bootstrap)
    file_env = {**names, **secure_broker.env()}
    env_env = {**names, **secure_broker.env(password_in_env=True)}
    outputs: list[str] = []

    # A client without credentials, or with a wrong password, is refused: the listener really is SASL_SSL.
    wrong = run_tool(
        "lag", env={**env_env, "NEWSWIRE_SASL_PASSWORD": "wrong-" + password[::-1]}, timeout=90, check=False
    )
    assert wrong.returncode != 0
    assert password[::-1] not in wrong.stdout + wrong.stderr
    outputs.append(wrong.stdout + wrong.stderr)
    server_log = Path(secure_broker.script_env["NEWSWIRE_LOCAL_KAFKA_HOME"]) / "logs" / "server.log"
    assert "invalid credentials with SASL mechanism SCRAM-SHA-512" in server_log.read_text(errors="replace")

    ensured = run_tool("topics", "ensure", env=file_env)
    outputs.append(ensured.stdout + ensured.stderr)

    # The service gets its password from a file, and logs at DEBUG (the most it could ever say).
    service = start_service(
        secure_broker.bootstrap,
        topics,
        tmp_path,
        **{key: value for key, value in file_env.items() if key not in names},
        NEWSWIRE_LOG_LEVEL="DEBUG",
        NEWSWIRE_ENRICH_STAGES="",
    )
    try:
        published = run_tool(
            "publish", str(STORY_FILE), str(ATTACK_FILE), "--source", "secure-feed", env=env_env, timeout=120
        )
        outputs.append(published.stdout + published.stderr)

        stories = run_tool("tail", "--from-beginning", "--max", "1", "--timeout", "90", env=file_env, timeout=120)
        outputs.append(stories.stdout + stories.stderr)
        [story_line] = _json_lines(stories.stdout)
        story = story_line["value"]
        assert story["uri"].startswith("urn:newswire:")
        assert story["headlines"][0]["value"]

        letters = run_tool(
            "tail",
            "--topic",
            topics.deadletter,
            "--from-beginning",
            "--max",
            "1",
            "--timeout",
            "90",
            env=env_env,
            timeout=120,
        )
        outputs.append(letters.stdout + letters.stderr)
        [letter] = _json_lines(letters.stdout)
        assert letter["headers"]["newswire-error-reason"] == "forbidden_xml"
        assert password not in json.dumps(letter["headers"])
        assert password not in json.dumps(letter)

        lag = run_tool("lag", "--json", "--group", topics.group, env=file_env)
        outputs.append(lag.stdout + lag.stderr)
        assert _json_lines(lag.stdout), lag.stdout

        replayed = run_tool("dlq", "replay", "--max", "1", "--timeout", "10", env=file_env)
        outputs.append(replayed.stdout + replayed.stderr)

        # /metrics: no password, and labels carry no story text or ids.
        _, metrics_text = service.get("/metrics")
        assert password not in metrics_text
        assert re.search(r'newswire_stories_published_total\{[^}]*source="secure-feed"', metrics_text), metrics_text
        labels = _label_values(metrics_text)
        assert labels, "no labelled samples on /metrics"
        story_words = {
            word
            for word in re.findall(r"\w{6,}", story["headlines"][0]["value"] + " " + story["bodies"][0]["value"])
            if not word.isdigit()
        }
        for value in labels:
            assert password not in value
            assert "urn:" not in value, value
            assert story["uri"] not in value
            assert len(value) <= 64, value
            assert not (story_words & set(re.findall(r"\w{6,}", value))), value
        assert _listening_address(service.metrics_port) in ("0100007F", "00000000000000000000FFFF0100007F")

        # The process's command line and environment hold the file's path, never the password.
        pid = service.process.pid
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        assert "serve" in cmdline
        assert password not in cmdline
        environ = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
        assert str(secure_broker.password_file) in environ
        assert password not in environ
    finally:
        service.stop()

    log = service.log_path.read_text(encoding="utf-8", errors="replace")
    assert log.strip(), "the service wrote no log"
    assert password not in log, "the password appears in the service log"
    for output in outputs:
        assert password not in output
    # Nothing the broker logged for these clients names the password either.
    broker_logs = Path(secure_broker.script_env["NEWSWIRE_LOCAL_KAFKA_HOME"]) / "logs"
    for path in broker_logs.glob("*.log"):
        assert password not in path.read_text(errors="replace"), path.name
