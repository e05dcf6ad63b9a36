"""JetStream streams: one per publishing service, named and scoped by subject prefix.

Request/reply subjects (if any) must stay outside these prefixes. Each process's replies arrive
under an inbox prefix of its own (`inbox_prefix`).
"""

STREAMS: dict[str, str] = {
    "INTAKE": "secpool.intake.>",
    "ROUTING": "secpool.routing.>",
    "RECOGNITION": "secpool.recognition.>",
    "IDENTITY": "secpool.identity.>",
}


def inbox_prefix(name: str) -> str:
    """Where a process's replies arrive (JetStream API answers, pulled events): a prefix of its
    own, so a NATS user may be allowed to read its own replies and nobody else's."""
    return f"_INBOX_{name}"
