"""JetStream streams: one per publishing service, named and scoped by subject prefix.

Request/reply subjects (if any) must stay outside these prefixes.
"""

STREAMS: dict[str, str] = {
    "INTAKE": "secpool.intake.>",
    "ROUTING": "secpool.routing.>",
    "RECOGNITION": "secpool.recognition.>",
    "IDENTITY": "secpool.identity.>",
}
