"""NATS users of the embedded default: one per process, each publishing only its own service's
subjects and reading only the streams it consumes (through an inbox prefix of its own, so no
process sees another's deliveries), and one for the launcher's readiness check. `secpool up`
makes the passwords once, keeps them owner-only in the data folder and writes them, with the
permissions, into nats-server's configuration; a client without a user is refused."""

import json
import os
import secrets
from pathlib import Path

from services.contracts.streams import STREAMS, inbox_prefix

# The stream each process publishes to, and the streams it consumes.
OWN = {"intake": "INTAKE", "routing": "ROUTING", "recognition": "RECOGNITION", "pwa": "IDENTITY"}
CONSUMES = {
    "intake": ("ROUTING", "IDENTITY"),
    "routing": ("INTAKE", "IDENTITY"),
    "recognition": ("INTAKE", "IDENTITY"),
    "pwa": ("INTAKE", "ROUTING", "RECOGNITION"),  # also live updates, straight off these subjects
}
LAUNCHER = "launcher"
DEPLOYED_HEADER = (
    "# secpool's NATS users beyond one machine (deploy/compose.yaml), made by\n"
    "# `python -m services.cli.nats_users > deploy/nats.conf`: one user per process, the embedded\n"
    "# default's permissions; nats-server reads each password from its environment.\n"
)
USERS_FILE = "nats-users.json"


def permissions(user: str) -> dict[str, dict[str, list[str]]]:
    if user == LAUNCHER:  # only asks whether JetStream is up
        return {"publish": {"allow": ["$JS.API.INFO"]}, "subscribe": {"allow": ["_INBOX.>"]}}
    # Every service makes sure every stream exists (a consumer may start before the publisher).
    publish = [
        STREAMS[OWN[user]],
        "$JS.API.INFO",
        "$JS.API.STREAM.INFO.*",
        "$JS.API.STREAM.CREATE.*",
        "$JS.API.STREAM.UPDATE.*",
    ]
    subscribe = [f"{inbox_prefix(user)}.>"]
    for stream in CONSUMES[user]:
        publish += [
            f"$JS.API.CONSUMER.*.{stream}.>",
            f"$JS.API.CONSUMER.DURABLE.CREATE.{stream}.*",
            f"$JS.API.CONSUMER.MSG.NEXT.{stream}.*",
            f"$JS.ACK.{stream}.>",
        ]
        if user == "pwa":
            subscribe.append(STREAMS[stream])
    return {"publish": {"allow": publish}, "subscribe": {"allow": subscribe}}


def passwords(data_dir: Path) -> dict[str, str]:
    """Each user's password, made once and kept (owner-only) in the data folder."""
    path = data_dir / USERS_FILE
    if not path.exists():
        made = {user: secrets.token_urlsafe(24) for user in (*OWN, LAUNCHER)}
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(made, out)
    known: dict[str, str] = json.loads(path.read_text())
    return known


def authorization(users: dict[str, str]) -> str:
    """The `authorization` block of nats-server's configuration (JSON is valid there)."""
    entries = [{"user": u, "password": p, "permissions": permissions(u)} for u, p in sorted(users.items())]
    return "authorization {\n  users = " + json.dumps(entries, indent=2) + "\n}\n"


def password_variable(user: str) -> str:
    """The environment variable a deployment's nats-server reads this user's password from."""
    return f"SECPOOL_NATS_{user.upper()}_PASSWORD"


def deployed_authorization() -> str:
    """The `authorization` block of deploy/nats.conf: the services' users with the same
    permissions, each password a reference nats-server resolves from its environment."""
    text = authorization({user: f"${password_variable(user)}" for user in OWN})
    for user in OWN:
        text = text.replace(json.dumps(f"${password_variable(user)}"), f"${password_variable(user)}")
    return text


def url_for(user: str, password: str, urls: str) -> str:
    """`urls` (comma-separated) with this user's credentials in each."""
    return ",".join(u.replace("nats://", f"nats://{user}:{password}@", 1) for u in urls.split(","))


if __name__ == "__main__":  # python -m services.cli.nats_users > deploy/nats.conf
    print(DEPLOYED_HEADER + deployed_authorization(), end="")
