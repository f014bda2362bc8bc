"""Settings fail fast: a bad one stops every command with one line naming its variable, exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newswire import cli
from newswire.config import effective, load_settings, unknown_variables


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("NEWSWIRE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(Path(__file__).parent)  # no stray .env file


def _refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert cli.main(argv) == cli.EXIT_USAGE
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


BAD = [
    ("NEWSWIRE_FEED_TIMEZONE", "Europe/Madird", "unknown time zone 'Europe/Madird' (did you mean 'Europe/Madrid'?)"),
    ("NEWSWIRE_LOG_LEVEL", "verbose", "unknown log level 'verbose'"),
    ("NEWSWIRE_ENRICH_STAGES", "language,entitys", "unknown enrichment stage 'entitys' (did you mean 'entities'?)"),
    ("NEWSWIRE_ROUTES_FILE", "/nonexistent/routes.yml", "no such file: /nonexistent/routes.yml"),
    ("NEWSWIRE_SSL_CAFILE", "/nonexistent/ca.pem", "no such file"),
    ("NEWSWIRE_KB_PATH", "/nonexistent/kb.jsonl", "no such file"),
    ("NEWSWIRE_METRICS_PORT", "70000", "less than or equal to 65535"),
    ("NEWSWIRE_MAX_IN_FLIGHT", "many", "valid integer"),
    ("NEWSWIRE_COMMIT_INTERVAL_S", "0", "greater than 0"),
    ("NEWSWIRE_KAFKA_BOOTSTRAP", "localhost", "'localhost' is not host:port"),
    ("NEWSWIRE_TOPIC_RAW", "wire raw", "is not a Kafka topic name"),
    ("NEWSWIRE_LANGID_ACCURACY", "best", "'low', 'high' or 'adaptive'"),
    ("NEWSWIRE_PROCESSING_GUARANTEE", "exactly-once", "'at_least_once' or 'exactly_once'"),
    ("NEWSWIRE_IDENTITY", "perhaps", "valid boolean"),
    ("NEWSWIRE_SESSION_TIMEOUT_S", "2", "greater than or equal to 6"),
]


@pytest.mark.parametrize(("variable", "value", "problem"), BAD, ids=[bad[0] for bad in BAD])
def test_a_bad_setting_is_one_line_naming_its_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], variable: str, value: str, problem: str
) -> None:
    monkeypatch.setenv(variable, value)
    line = _refused(capsys, ["config", "check"])
    assert line.startswith(f"{variable}="), line
    assert problem in line


def test_a_routing_file_that_does_not_validate_names_file_and_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    routes = tmp_path / "routes.yml"
    routes.write_text("routes:\n  - name: sport\n    topic: news.sport\n    match: {langauge: es}\n", encoding="utf-8")
    monkeypatch.setenv("NEWSWIRE_ROUTES_FILE", str(routes))
    line = _refused(capsys, ["config", "check"])
    assert line.startswith("NEWSWIRE_ROUTES_FILE=") and f"{routes}:4" in line and "langauge" in line


@pytest.mark.parametrize(
    ("settings", "variable"),
    [
        ({"NEWSWIRE_HEARTBEAT_INTERVAL_S": "5"}, "NEWSWIRE_HEARTBEAT_INTERVAL_S=5: at most a third of"),
        ({"NEWSWIRE_REBALANCE_TIMEOUT_S": "15"}, "NEWSWIRE_REBALANCE_TIMEOUT_S=15: must exceed NEWSWIRE_DRAIN"),
    ],
)
def test_group_timing_that_cannot_work_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], settings: dict[str, str], variable: str
) -> None:
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    assert _refused(capsys, ["config", "check"]).startswith(variable)


def test_the_worker_gets_the_group_timing_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from newswire.stream.service import build_app

    monkeypatch.setenv("NEWSWIRE_SESSION_TIMEOUT_S", "12")
    monkeypatch.setenv("NEWSWIRE_HEARTBEAT_INTERVAL_S", "2")
    monkeypatch.setenv("NEWSWIRE_REBALANCE_TIMEOUT_S", "45")
    monkeypatch.setenv("NEWSWIRE_GROUP_INSTANCE_ID", "worker-a")
    app, _ = build_app(load_settings(enrich_stages=()))
    conf = app.conf
    assert (conf.broker_session_timeout, conf.broker_heartbeat_interval, conf.broker_rebalance_timeout) == (12, 2, 45)
    assert conf.consumer_group_instance_id == "worker-a"


@pytest.mark.parametrize(
    "argv",
    [["serve"], ["parse", "-"], ["topics", "ensure"], ["tail", "--max", "1"], ["routes", "check", "x.yml"], ["lag"]],
)
def test_every_command_refuses_a_bad_setting_before_it_does_anything(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    monkeypatch.setenv("NEWSWIRE_FEED_TIMEZONE", "Mars/Olympus")
    assert _refused(capsys, argv).startswith("NEWSWIRE_FEED_TIMEZONE='Mars/Olympus': unknown time zone")


def test_a_bad_command_line_value_is_refused_too(capsys: pytest.CaptureFixture[str]) -> None:
    line = _refused(capsys, ["tail", "--bootstrap", "nohost", "--max", "1"])
    assert line.startswith("NEWSWIRE_KAFKA_BOOTSTRAP='nohost'")


def test_unknown_variables_are_warned_about_with_a_guess() -> None:
    environ = {"NEWSWIRE_FEED_TIMEZON": "UTC", "NEWSWIRE_GROUP_ID": "g", "NEWSWIRE_LOCAL_KAFKA_PORT": "1", "HOME": "/"}
    (warning,) = unknown_variables(environ)
    assert warning == (
        "newswire: warning: unknown setting NEWSWIRE_FEED_TIMEZON is ignored (did you mean 'NEWSWIRE_FEED_TIMEZONE'?)"
    )
    assert unknown_variables({"NEWSWIRE_ZZZZ": "1"}) == ["newswire: warning: unknown setting NEWSWIRE_ZZZZ is ignored"]


def test_config_check_prints_the_effective_configuration_with_secrets_masked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSWIRE_SASL_PASSWORD", "s3cret-value")
    monkeypatch.setenv("NEWSWIRE_GROUP_ID", "editors")
    monkeypatch.setenv("NEWSWIRE_LOG_LEVEL", "debug")
    monkeypatch.setenv("NEWSWIRE_GROUP_IDD", "x")
    assert cli.main(["config", "check"]) == cli.EXIT_OK
    captured = capsys.readouterr()
    assert "s3cret-value" not in captured.out + captured.err
    lines = captured.out.splitlines()
    assert "NEWSWIRE_SASL_PASSWORD=********" in lines
    assert "NEWSWIRE_GROUP_ID=editors" in lines
    assert "NEWSWIRE_LOG_LEVEL=DEBUG" in lines  # normalised
    assert "NEWSWIRE_TOPIC_RAW=wire.raw  # default" in lines
    assert "did you mean 'NEWSWIRE_GROUP_ID'" in captured.err


def test_every_setting_is_shown() -> None:
    shown = {line.split("=", 1)[0] for line in effective(load_settings())}
    assert "NEWSWIRE_FEED_TIMEZONE" in shown and "NEWSWIRE_TRACE_OFFSETS" in shown
    assert len(shown) == len(type(load_settings()).model_fields)
