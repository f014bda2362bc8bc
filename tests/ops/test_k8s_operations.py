"""The operations manifests: the PrometheusRule is alerts.yml (the rules promtool tests), the
NetworkPolicy admits what a worker needs, and the KEDA overlay scales on the raw topic's lag.

Built-in kinds (NetworkPolicy) are schema-validated with kubernetes-validate in
test_k8s_manifests.py (every object of the kustomization). The CRDs (PrometheusRule, ScaledObject,
TriggerAuthentication) get structural checks here, and `kubectl kustomize` renders both sets.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
import yaml

from newswire.config import Settings
from newswire.ops import k8s_rules
from tests.conftest import REPO_ROOT

K8S = REPO_ROOT / "deploy" / "k8s"
KEDA = REPO_ROOT / "deploy" / "k8s-keda"


def _load(path: str) -> dict[str, Any]:
    loaded = yaml.safe_load((REPO_ROOT / path).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _configmap() -> dict[str, str]:
    return dict(_load("deploy/k8s/configmap.yaml")["data"])


def test_prometheusrule_is_generated_from_alerts_yml() -> None:
    assert k8s_rules.main(["check"]) == 0, "run `python -m newswire.ops.k8s_rules write`"
    rule = _load("deploy/k8s/prometheusrule.yaml")
    alerts = _load("deploy/prometheus/alerts.yml")
    assert rule["apiVersion"] == "monitoring.coreos.com/v1" and rule["kind"] == "PrometheusRule"
    assert set(rule["spec"]) == {"groups"}
    assert rule["spec"]["groups"] == alerts["groups"]  # the very rules promtool tests
    for group in rule["spec"]["groups"]:
        assert set(group) <= {"name", "interval", "rules", "partial_response_strategy", "limit"}
        for item in group["rules"]:
            assert set(item) <= {"alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"}
            assert isinstance(item["expr"], str)


def test_the_generator_notices_a_change() -> None:
    changed = (REPO_ROOT / "deploy/prometheus/alerts.yml").read_text(encoding="utf-8").replace("for: 10m", "for: 11m")
    assert k8s_rules.render(changed) != (K8S / "prometheusrule.yaml").read_text(encoding="utf-8")


def test_networkpolicy_admits_scrapes_dns_and_kafka_only() -> None:
    policy = _load("deploy/k8s/networkpolicy.yaml")
    pod_labels = _load("deploy/k8s/deployment.yaml")["spec"]["template"]["metadata"]["labels"]
    assert policy["spec"]["podSelector"]["matchLabels"].items() <= pod_labels.items()
    assert sorted(policy["spec"]["policyTypes"]) == ["Egress", "Ingress"]
    (ingress,) = policy["spec"]["ingress"]
    assert ingress["ports"] == [{"port": "metrics", "protocol": "TCP"}]  # the container port's name
    egress_ports = {(p["port"], p["protocol"]) for rule in policy["spec"]["egress"] for p in rule["ports"]}
    bootstrap_port = int(_configmap()["NEWSWIRE_KAFKA_BOOTSTRAP"].split("#")[0].strip().rsplit(":", 1)[1])
    assert (53, "UDP") in egress_ports and (bootstrap_port, "TCP") in egress_ports
    assert all(rule.get("ports") for rule in policy["spec"]["egress"]), "no egress rule may open every port"


def test_keda_scaledobject_scales_the_deployment_on_raw_lag() -> None:
    scaled = _load("deploy/k8s-keda/scaledobject.yaml")
    auth = _load("deploy/k8s-keda/triggerauthentication.yaml")
    config = _configmap()
    settings = Settings.model_validate({key.removeprefix("NEWSWIRE_").lower(): value for key, value in config.items()})
    assert scaled["apiVersion"] == "keda.sh/v1alpha1" and scaled["kind"] == "ScaledObject"
    spec = scaled["spec"]
    assert set(spec) <= {
        "scaleTargetRef",
        "pollingInterval",
        "cooldownPeriod",
        "idleReplicaCount",
        "minReplicaCount",
        "maxReplicaCount",
        "fallback",
        "advanced",
        "triggers",
    }
    assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "newswire"}
    assert 1 <= spec["minReplicaCount"] < spec["maxReplicaCount"] == settings.topic_partitions
    (trigger,) = spec["triggers"]
    assert trigger["type"] == "kafka"
    meta = trigger["metadata"]
    assert all(isinstance(value, str) for value in meta.values()), "KEDA trigger metadata values are strings"
    assert meta["bootstrapServers"] == settings.kafka_bootstrap
    assert meta["consumerGroup"] == settings.group_id and meta["topic"] == settings.topic_raw
    assert int(meta["lagThreshold"]) > 0
    keda_sasl = {"PLAIN": "plaintext", "SCRAM-SHA-256": "scram_sha256", "SCRAM-SHA-512": "scram_sha512"}
    assert settings.sasl_mechanism is not None and meta["sasl"] == keda_sasl[settings.sasl_mechanism]
    assert meta["tls"] == "enable" and settings.security_protocol == "SASL_SSL"
    assert trigger["authenticationRef"]["name"] == auth["metadata"]["name"]
    assert auth["apiVersion"] == "keda.sh/v1alpha1" and auth["kind"] == "TriggerAuthentication"
    (password,) = auth["spec"]["secretTargetRef"]
    secret = _load("deploy/k8s/secret.yaml")
    assert password["name"] == secret["metadata"]["name"] and password["key"] in secret["stringData"]
    (username,) = auth["spec"]["env"]
    assert username["name"] == "NEWSWIRE_SASL_USERNAME" and username["name"] in config
    behavior = spec["advanced"]["horizontalPodAutoscalerConfig"]["behavior"]
    assert behavior == _load("deploy/k8s/horizontalpodautoscaler.yaml")["spec"]["behavior"]


def _kustomize(path: str) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed")
    result = subprocess.run([kubectl, "kustomize", path], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def test_keda_overlay_replaces_the_hpa() -> None:
    base = {doc["kind"] for doc in _kustomize(str(K8S))}
    keda = _kustomize(str(KEDA))
    kinds = {doc["kind"] for doc in keda}
    assert {"PrometheusRule", "NetworkPolicy", "HorizontalPodAutoscaler"} <= base
    assert kinds == (base - {"HorizontalPodAutoscaler"}) | {"ScaledObject", "TriggerAuthentication"}
    for doc in keda:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "newswire"
