"""deploy/k8s: every manifest validates against the Kubernetes JSON Schemas, offline.

Built-in kinds are checked with `kubernetes-validate`, which ships the schemas for each
Kubernetes minor version inside its wheel (strict mode: unknown fields are errors). The
Prometheus Operator CRD it lacks (ServiceMonitor) gets a small structural check here. Beyond
the schemas: the objects agree with each other and with newswire's settings.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from newswire.config import Settings
from tests.conftest import REPO_ROOT

K8S_DIR = REPO_ROOT / "deploy" / "k8s"
# The oldest Kubernetes minor we promise to run on, and the newest the package knows.
K8S_VERSIONS = ("1.29.0", "latest")
CRD_KINDS = {
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
    ("monitoring.coreos.com/v1", "PodMonitor"),
    ("monitoring.coreos.com/v1", "PrometheusRule"),  # tests/ops/test_k8s_operations.py
}


def _kustomization() -> dict[str, Any]:
    loaded = yaml.safe_load((K8S_DIR / "kustomization.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _resource_files() -> list[Path]:
    return [K8S_DIR / name for name in _kustomization()["resources"]]


def _load_all() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in _resource_files():
        docs.extend(doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc)
    return docs


def _one(kind: str) -> dict[str, Any]:
    (found,) = [doc for doc in _load_all() if doc["kind"] == kind]
    return found


def _ids() -> list[str]:
    return [f"{doc['kind']}/{doc['metadata']['name']}" for doc in _load_all()]


def _builtin() -> list[dict[str, Any]]:
    return [doc for doc in _load_all() if (doc["apiVersion"], doc["kind"]) not in CRD_KINDS]


# -- the kustomization -------------------------------------------------------------------------


def test_every_listed_resource_exists_and_parses() -> None:
    kustomization = _kustomization()
    assert kustomization["apiVersion"] == "kustomize.config.k8s.io/v1beta1"
    assert kustomization["kind"] == "Kustomization"
    for path in _resource_files():
        assert path.is_file(), f"kustomization lists {path.name}, which does not exist"
        docs = [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]
        assert docs, f"{path.name} holds no object"
        for doc in docs:
            assert {"apiVersion", "kind", "metadata"} <= set(doc), f"{path.name}: not a Kubernetes object"
            assert doc["metadata"].get("name"), f"{path.name}: {doc['kind']} without a name"


def test_no_manifest_is_left_out_of_the_kustomization() -> None:
    present = {path.name for path in K8S_DIR.glob("*.yaml")} - {"kustomization.yaml"}
    assert present == set(_kustomization()["resources"])


# -- JSON Schema validation ------------------------------------------------------------------


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize(
    "index", range(len(_builtin())), ids=[f"{d['kind']}/{d['metadata']['name']}" for d in _builtin()]
)
def test_builtin_kinds_validate_against_the_kubernetes_schema(index: int, version: str) -> None:
    """Every object but the CRDs (checked by test_service_monitor_structure)."""
    kv = pytest.importorskip("kubernetes_validate.utils", reason="kubernetes-validate is not installed (dev extra)")
    doc = _builtin()[index]
    wanted = kv.latest_version() if version == "latest" else version
    try:
        kv.validate(doc, wanted, strict=True)
    except kv.ValidationError as error:
        path = ".".join(str(item) for item in error.path)
        pytest.fail(f"{doc['kind']}/{doc['metadata']['name']} invalid for Kubernetes {wanted}: {path}: {error.message}")


def test_the_schemas_catch_mistakes() -> None:
    """The validator is really strict: a misspelt field and a wrong type are rejected."""
    kv = pytest.importorskip("kubernetes_validate.utils", reason="kubernetes-validate is not installed (dev extra)")
    deployment = _one("Deployment")
    misspelt = yaml.safe_load(yaml.safe_dump(deployment))
    misspelt["spec"]["template"]["spec"]["terminationGracePeriod"] = 60
    with pytest.raises(kv.ValidationError):
        kv.validate(misspelt, "1.29.0", strict=True)
    wrong_type = yaml.safe_load(yaml.safe_dump(deployment))
    wrong_type["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "9108"
    with pytest.raises(kv.ValidationError):
        kv.validate(wrong_type, "1.29.0", strict=True)


def test_service_monitor_structure() -> None:
    monitor = _one("ServiceMonitor")
    service = _one("Service")
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert set(monitor) <= {"apiVersion", "kind", "metadata", "spec"}
    spec = monitor["spec"]
    assert set(spec) <= {
        "selector",
        "endpoints",
        "namespaceSelector",
        "jobLabel",
        "podTargetLabels",
        "targetLabels",
        "sampleLimit",
    }
    selector = spec["selector"]["matchLabels"]
    assert selector.items() <= service["metadata"]["labels"].items(), "selects no Service"
    port_names = {port["name"] for port in service["spec"]["ports"]}
    assert spec["endpoints"], "no endpoints"
    for endpoint in spec["endpoints"]:
        assert endpoint["port"] in port_names
        assert endpoint.get("path", "/metrics") == "/metrics"
        assert endpoint["interval"].endswith("s")


def test_kustomize_build_when_available(tmp_path: Path) -> None:
    """`kubectl kustomize` (kustomize built in) renders the set, with namespace and image applied."""
    kubectl = shutil.which("kubectl")
    kustomize = shutil.which("kustomize")
    if kustomize:
        command = [kustomize, "build", str(K8S_DIR)]
    elif kubectl:
        command = [kubectl, "kustomize", str(K8S_DIR)]
    else:
        pytest.skip("neither kustomize nor kubectl is installed; the resources were loaded file by file above")
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    built = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    assert sorted(f"{d['kind']}/{d['metadata']['name']}" for d in built) == sorted(_ids())
    for doc in built:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "newswire"
        assert doc["metadata"]["labels"]["app.kubernetes.io/part-of"] == "newswire"
    (deployment,) = [doc for doc in built if doc["kind"] == "Deployment"]
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "newswire:0.1.0"


# -- the objects agree with each other and with the service ----------------------------------


def _container() -> dict[str, Any]:
    (container,) = _one("Deployment")["spec"]["template"]["spec"]["containers"]
    return dict(container)


def test_deployment_probes_resources_and_shutdown() -> None:
    pod = _one("Deployment")["spec"]["template"]["spec"]
    container = _container()
    assert container["ports"] == [{"name": "metrics", "containerPort": 9108, "protocol": "TCP"}]
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "metrics"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][kind])
    assert pod["terminationGracePeriodSeconds"] == 60
    assert "replicas" not in _one("Deployment")["spec"], "the HPA owns the replica count"


def test_deployment_is_non_root_and_read_only() -> None:
    pod = _one("Deployment")["spec"]["template"]["spec"]
    container = _container()
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == 10001
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
    # Everything the service writes: faust state under $HOME/.cache, and TMPDIR.
    for path in ("/home/newswire/.cache", "/tmp"):
        assert "emptyDir" in volumes[mounts[path]], f"{path} is not an emptyDir"


def test_secrets_come_from_a_secret_never_args_or_the_configmap() -> None:
    container = _container()
    secret = _one("Secret")
    env = {item["name"]: item for item in container["env"]}
    ref = env["NEWSWIRE_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"]
    assert ref["name"] == secret["metadata"]["name"]
    assert ref["key"] in secret["stringData"]
    assert "value" not in env["NEWSWIRE_SASL_PASSWORD"]
    words = " ".join(container.get("args", []) + container.get("command", [])).lower()
    assert "password" not in words and "secret" not in words
    config = _one("ConfigMap")["data"]
    assert not [key for key in config if "PASSWORD" in key or "SECRET" in key]
    assert [value for value in secret["stringData"].values()] == ["REPLACE-ME"], "the example holds a placeholder"
    assert [item["configMapRef"]["name"] for item in container["envFrom"]] == [_one("ConfigMap")["metadata"]["name"]]


def test_configmap_keys_are_real_settings() -> None:
    known = {f"NEWSWIRE_{name.upper()}" for name in Settings.model_fields}
    config = _one("ConfigMap")["data"]
    unknown = set(config) - known
    assert not unknown, f"not newswire settings: {sorted(unknown)}"
    Settings.model_validate({key.removeprefix("NEWSWIRE_").lower(): value for key, value in config.items()})
    assert config["NEWSWIRE_METRICS_PORT"] == "9108"


def test_service_pdb_and_hpa_target_the_deployment() -> None:
    deployment = _one("Deployment")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    service = _one("Service")
    assert service["spec"]["selector"].items() <= pod_labels.items()
    assert service["spec"]["ports"][0]["name"] == "metrics" and service["spec"]["ports"][0]["port"] == 9108
    pdb = _one("PodDisruptionBudget")
    assert pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()

    hpa = _one("HorizontalPodAutoscaler")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "newswire"}
    partitions = int(_one("ConfigMap")["data"]["NEWSWIRE_TOPIC_PARTITIONS"])
    assert hpa["spec"]["maxReplicas"] == partitions == 6, "more workers than partitions would sit idle"
    assert 1 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    lag_metrics = [
        metric
        for metric in hpa["spec"]["metrics"]
        if metric["type"] in ("Pods", "External")
        and metric[metric["type"].lower()]["metric"]["name"] == "newswire_consumer_lag"
    ]
    assert lag_metrics, "the HPA must scale on consumer lag"
