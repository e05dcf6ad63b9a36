"""deploy/ is rendered and validated offline: compose.yaml (its variables filled in, as
`docker compose config` would) against the Compose specification, the Kubernetes manifests
against the Kubernetes API schemas, and the CloudNativePG cluster and NATS Helm values
against the fields secpool relies on (neither project ships its schema in a package).
Docker is not run here: the image's data folder is checked in the Dockerfile instead."""

import json
import os
import re
import secrets
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import kubernetes_validate
import pytest
import yaml

from services.cli import nats_users, pg_roles
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


PROCESSES = ("intake", "routing", "recognition", "pwa")


def nats_password() -> str:
    """A letter first: nats-server reads a variable's value as a token, and hex that came out all
    digits (one run in 500 with four of them) as a number, which it refuses as a password."""
    return "p" + secrets.token_hex(12)


def passwords() -> dict[str, str]:
    """Every password compose.yaml asks for, each different."""
    made = {"SECPOOL_DB_ADMIN_PASSWORD": secrets.token_hex(12)}
    for name in PROCESSES:
        made[f"SECPOOL_{name.upper()}_DB_PASSWORD"] = secrets.token_hex(12)
        made[nats_users.password_variable(name)] = nats_password()
    return made


def test_compose_renders_and_follows_the_compose_specification():
    text = (DEPLOY / "compose.yaml").read_text()
    private, public = new_key_pair()
    keys = {"SECPOOL_TOKEN_PRIVATE_KEY": json.dumps(private), "SECPOOL_TOKEN_PUBLIC_KEY": json.dumps(public)}
    for missing in ("SECPOOL_TOKEN_PRIVATE_KEY", "SECPOOL_DB_ADMIN_PASSWORD", "SECPOOL_NATS_PWA_PASSWORD"):
        with pytest.raises(ValueError, match=missing):  # a missing one stops `docker compose` with a message
            render(text, {k: v for k, v in {**keys, **passwords()}.items() if k != missing})
    document = yaml.safe_load(render(text, {**keys, **passwords()}))
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


def test_compose_gives_every_process_its_own_nats_user_and_postgres_role():
    private, public = new_key_pair()
    given = passwords()
    keys = {"SECPOOL_TOKEN_PRIVATE_KEY": json.dumps(private), "SECPOOL_TOKEN_PUBLIC_KEY": json.dumps(public)}
    services = yaml.safe_load(render((DEPLOY / "compose.yaml").read_text(), {**keys, **given}))["services"]
    for name in PROCESSES:
        env = services[name]["environment"]
        nats = [urlsplit(u) for u in env["NATS_URL"].split(",")]
        assert {u.hostname for u in nats} == {"nats-1", "nats-2", "nats-3"}
        assert {(u.username, u.password) for u in nats} == {(name, given[nats_users.password_variable(name)])}
        database = urlsplit(env["DATABASE_URL"])
        assert (database.username, database.password) == (
            pg_roles.role(name),
            given[f"SECPOOL_{name.upper()}_DB_PASSWORD"],
        )
        assert services[name]["depends_on"]["db-roles"] == {"condition": "service_completed_successfully"}
    # db-roles makes the roles as the superuser, with every process's password.
    roles = services["db-roles"]
    assert roles["command"] == ["secpool", "db", "roles", "--apply"]
    assert urlsplit(roles["environment"]["DATABASE_URL"]).password == given["SECPOOL_DB_ADMIN_PASSWORD"]
    for name in PROCESSES:
        key = f"SECPOOL_{name.upper()}_DB_PASSWORD"
        assert roles["environment"][key] == given[key]
    assert services["postgres"]["environment"]["POSTGRES_HOST_AUTH_METHOD"] == "scram-sha-256"
    # Every NATS node runs nats.conf with the passwords it names.
    for node in ("nats-1", "nats-2", "nats-3"):
        command = services[node]["command"]
        assert command[command.index("-c") + 1] == "/etc/nats/secpool.conf"
        assert "./nats.conf:/etc/nats/secpool.conf:ro" in services[node]["volumes"]
        for name in PROCESSES:
            variable = nats_users.password_variable(name)
            assert services[node]["environment"][variable] == given[variable]


def test_deployed_nats_users_have_the_embedded_defaults_permissions_and_nats_server_accepts_them():
    text = (DEPLOY / "nats.conf").read_text()
    assert text == nats_users.DEPLOYED_HEADER + nats_users.deployed_authorization(), (
        "deploy/nats.conf is stale: python -m services.cli.nats_users > deploy/nats.conf"
    )
    binary = Path(sys.executable).parent / "nats-server"
    env = {**os.environ, **{nats_users.password_variable(n): nats_password() for n in PROCESSES}}
    checked = subprocess.run(
        [str(binary), "-c", str(DEPLOY / "nats.conf"), "-t"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    without = {k: v for k, v in env.items() if k != nats_users.password_variable("pwa")}
    refused = subprocess.run(
        [str(binary), "-c", str(DEPLOY / "nats.conf"), "-t"],
        env=without,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert refused.returncode != 0, "a missing password must stop nats-server"


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
                "enableSuperuserAccess": {"type": "boolean"},
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


def env_of(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in container["env"]}


def from_secret(entry: dict[str, Any]) -> tuple[str, str]:
    ref = entry["valueFrom"]["secretKeyRef"]
    return ref["name"], ref["key"]


def test_kubernetes_gives_every_process_its_own_postgres_role_and_nats_user():
    documents = manifests()
    secrets_ = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Secret"}
    for name in ("secpool-db-roles", "secpool-nats-users"):
        assert set(secrets_[name]["stringData"]) == set(PROCESSES)
    for deployment in (d for d in documents if d["kind"] == "Deployment"):
        name = deployment["metadata"]["name"]
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        env = env_of(container)
        order = [e["name"] for e in container["env"]]
        database, nats = urlsplit(env["DATABASE_URL"]["value"]), urlsplit(env["NATS_URL"]["value"])
        # $(VAR) is expanded only from variables defined before it.
        assert (database.username, database.password) == (pg_roles.role(name), "$(DB_PASSWORD)")
        assert from_secret(env["DB_PASSWORD"]) == ("secpool-db-roles", name)
        assert order.index("DB_PASSWORD") < order.index("DATABASE_URL")
        assert (nats.username, nats.password) == (name, "$(NATS_PASSWORD)")
        assert from_secret(env["NATS_PASSWORD"]) == ("secpool-nats-users", name)
        assert order.index("NATS_PASSWORD") < order.index("NATS_URL")
    (job,) = [d for d in documents if d["kind"] == "Job"]
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["secpool", "db", "roles", "--apply"]
    env = env_of(container)
    for name in PROCESSES:
        assert from_secret(env[f"SECPOOL_{name.upper()}_DB_PASSWORD"]) == ("secpool-db-roles", name)
    assert from_secret(env["PG_PASSWORD"])[0] == "secpool-db-superuser"
    (cluster,) = [d for d in documents if d["kind"] == "Cluster"]
    assert cluster["spec"]["enableSuperuserAccess"] is True  # the Job's way in; no process uses it
    values = yaml.safe_load((DEPLOY / "k8s" / "nats-values.yaml").read_text())
    users = values["config"]["merge"]["authorization"]["users"]
    assert [u["user"] for u in users] == list(nats_users.OWN)
    for user in users:
        assert user["permissions"] == nats_users.permissions(user["user"])
        variable = nats_users.password_variable(user["user"])
        assert user["password"] == f"<< ${variable} >>"
        assert from_secret(values["container"]["env"][variable]) == ("secpool-nats-users", user["user"])


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
