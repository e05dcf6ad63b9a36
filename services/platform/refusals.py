"""Why a step is refused, as plain exceptions the pure domain rules can raise without any
I/O import; services.platform.errors turns them into HTTP answers."""


class NotFound(Exception):
    """Something the caller referred to does not exist (404)."""


class Invalid(Exception):
    """Well-formed but unacceptable input; the message names the field (422)."""


class Conflict(Exception):
    """The request's state forbids this step now; the message says why (409)."""


class Forbidden(Exception):
    """The caller may not do this (403)."""
