"""Why a step is refused, as plain exceptions the pure domain rules can raise without any
I/O import; services.platform.errors turns them into HTTP answers."""


class NotFound(Exception):
    """Something the caller referred to does not exist (404)."""


class Invalid(Exception):
    """Well-formed but unacceptable input (422). `field` is the input refused; without one, a
    message written `field: why` names it, so the answer carries it as its own key."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        if field is None:
            name, colon, _ = message.partition(":")
            field = name if colon and name.isidentifier() else None
        self.field = field


class Conflict(Exception):
    """The request's state forbids this step now; the message says why (409)."""


class Forbidden(Exception):
    """The caller may not do this (403)."""
