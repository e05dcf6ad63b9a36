"""The ids a service path may carry: a UUID or a slug (letters, digits, `-` and `_`), never
something a person typed: no dots, slashes, percent signs, `?` or `#`. Services type their path
parameters with `Id` (400 otherwise); the pwa checks every path it builds with `is_id`."""

import re
from typing import Annotated

from litestar.params import PathParameter

PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$"
_ID = re.compile(PATTERN)

Id = Annotated[str, PathParameter(min_length=1, max_length=100, pattern=PATTERN, description="a UUID or a slug")]


def is_id(value: str) -> bool:
    return _ID.fullmatch(value) is not None
