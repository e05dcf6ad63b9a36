"""The wire policy every event shares: tagged by subject, identified, timestamped.

Evolution rule: add fields with defaults, never change a type; a breaking change is a new
struct with a `.v2` subject. No `forbid_unknown_fields`, so old consumers read new events.
"""

from datetime import datetime
from uuid import UUID

import msgspec


class Event(msgspec.Struct, kw_only=True, tag_field="type", frozen=True):
    """Base of every event. `version` increases per entity so consumers can drop stale ones."""

    event_id: UUID
    occurred_at: datetime
