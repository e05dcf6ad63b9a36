"""deploy/ is rendered and validated offline: compose.yaml (its variables filled in, as
`docker compose config` would) against the Compose specification, the Kubernetes manifests
against the Kubernetes API schemas, and the CloudNativePG cluster and NATS Helm values
against the fields secpool relies on (neither project ships its schema in a package).
Docker is not run here: the image's data folder is checked in the Dockerfile instead."""

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from services.platform.tokens import new_key_pair

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
KUBERNETES = "1.30"
_VARIABLE = re.compile(r"\$\{(\w+)(?::([?-])([^}]*))?\}")


def render(text: str, env: dict[str, str]) -> str:
    """Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}."""

    def value(match: re.Match[str]) -> str:
        name, how, arg = match.groups()
        if env.get(name):
            return env[name]
        if how == "?":
            raise ValueError(f"{name}: {arg}")
        return arg if how == "-" else ""

    return _VARIABLE.sub(value, text)


def compose_schema() -> dict[str, Any]:
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor").joinpath("compose-spec.json")
    schema: dict[str, Any] = json.loads(vendored.read_text())
    return schema


def problems(schema: dict[str, Any], document: Any) -> list[str]:
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_compose_renders_and_follows_the_compose_specification():
    text = (DEPLOY / "compose.yaml").read_text()
    with pytest.raises(ValueError, match="SECPOOL_TOKEN_PRIVATE_KEY"):
        render(text, {})  # a missing key stops `docker compose` with a message
    private, public = new_key_pair()
    keys = {"SECPOOL_TOKEN_PRIVATE_KEY": json.dumps(private), "SECPOOL_TOKEN_PUBLIC_KEY": json.dumps(public)}
    document = yaml.safe_load(render(text, keys))
    assert problems(compose_schema(), document) == []
    services = document["services"]
    assert {"nats-1", "nats-2", "nats-3", "postgres", "intake", "routing", "recognition", "pwa"} <= set(services)
    for name in ("intake", "routing", "recognition"):
        assert services[name]["deploy"]["replicas"] >= 2
        assert services[name]["environment"]["SECPOOL_STREAM_REPLICAS"] == "3"
    version = re.search(r"nats:(\d+)\.(\d+)", services["nats-1"]["image"])
    assert version and (int(version[1]), int(version[2])) >= (2, 11)
    assert any(v.endswith(":/data") for v in services["pwa"]["volumes"])
    # Only the pwa can sign service tokens; every service can verify them.
    holders = {
        name for name, service in services.items() if "SECPOOL_TOKEN_PRIVATE_KEY" in service.get("environment", {})
    }
    assert holders == {"pwa"}
    assert services["pwa"]["environment"]["SECPOOL_TOKEN_PRIVATE_KEY"] == private
    for name in ("intake", "routing", "recognition"):
        assert services[name]["environment"]["SECPOOL_TOKEN_PUBLIC_KEY"] == public


def test_the_image_gives_its_data_folder_to_the_app_user():
    """A named volume starts with the image folder's owner: the pwa (not root) must be able to
    write its push key there."""
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"mkdir -p /data && chown secpool:secpool /data", dockerfile)
    assert dockerfile.index("chown secpool:secpool /data") < dockerfile.index("USER secpool")


def manifests() -> list[dict[str, Any]]:
    found = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        if path.name == "nats-values.yaml":
            continue
        found += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return found


# The CloudNativePG fields secpool's cluster uses, with the types its API documents.
CNPG_CLUSTER = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "postgresql.cnpg.io/v1"},
        "kind": {"const": "Cluster"},
        "metadata": {"type": "object", "required": ["name"]},
        "spec": {
            "type": "object",
            "required": ["instances", "storage"],
            "additionalProperties": False,
            "properties": {
                "instances": {"type": "integer", "minimum": 1},
                "bootstrap": {
                    "type": "object",
                    "properties": {
                        "initdb": {
                            "type": "object",
                            "properties": {"database": {"type": "string"}, "owner": {"type": "string"}},
                        }
                    },
                },
                "storage": {"type": "object", "required": ["size"], "properties": {"size": {"type": "string"}}},
            },
        },
    },
}


def test_kubernetes_manifests_follow_the_api_schemas_with_probes_and_disruption_budgets():
    documents = manifests()
    for document in documents:
        if document["apiVersion"].startswith("postgresql.cnpg.io/"):
            assert problems(CNPG_CLUSTER, document) == []
            assert document["spec"]["instances"] >= 3
        else:
            kubernetes_validate.validate(document, KUBERNETES, strict=True)
    deployments = [d for d in documents if d["kind"] == "Deployment"]
    budgets = {d["spec"]["selector"]["matchLabels"]["app"] for d in documents if d["kind"] == "PodDisruptionBudget"}
    assert {d["metadata"]["name"] for d in deployments} == {"intake", "routing", "recognition", "pwa"}
    for deployment in deployments:
        assert deployment["spec"]["replicas"] >= 2
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
        assert container["livenessProbe"]["httpGet"]["path"] == "/health"
        env = {e["name"]: e for e in container["env"]}
        assert env["SECPOOL_STREAM_REPLICAS"]["value"] == "3"
        signs = "SECPOOL_TOKEN_PRIVATE_KEY" in env
        assert signs == (deployment["metadata"]["name"] == "pwa"), "only the pwa holds the signing key"
        assert signs or "SECPOOL_TOKEN_PUBLIC_KEY" in env
        assert deployment["metadata"]["name"] in budgets


# The NATS Helm chart values secpool relies on: a 3-node cluster with file-backed JetStream.
NATS_VALUES = {
    "type": "object",
    "required": ["config", "container"],
    "properties": {
        "config": {
            "type": "object",
            "required": ["cluster", "jetstream"],
            "properties": {
                "cluster": {
                    "type": "object",
                    "properties": {"enabled": {"const": True}, "replicas": {"type": "integer", "minimum": 3}},
                    "required": ["enabled", "replicas"],
                },
                "jetstream": {
                    "type": "object",
                    "properties": {"enabled": {"const": True}, "fileStore": {"type": "object"}},
                    "required": ["enabled", "fileStore"],
                },
            },
        },
        "container": {
            "type": "object",
            "properties": {"image": {"type": "object", "properties": {"tag": {"type": "string"}}, "required": ["tag"]}},
        },
        "podDisruptionBudget": {"type": "object", "properties": {"enabled": {"const": True}}},
    },
}


def test_nats_values_ask_for_a_three_node_jetstream_cluster_of_a_supported_version():
    values = yaml.safe_load((DEPLOY / "k8s" / "nats-values.yaml").read_text())
    assert problems(NATS_VALUES, values) == []
    major, minor = (int(n) for n in values["container"]["image"]["tag"].split("-")[0].split(".")[:2])
    assert (major, minor) >= (2, 11)
