"""Service tokens a service has already verified, kept until they expire: the pwa reuses a
caller's token within its second (pwa/gateway.py), so the calls of one page present the same
bytes and their Ed25519 signature is checked once, not once a call.

Only the exact token string is remembered, for one audience and key ring. Its key is asked
again on every use, so a key retired or dropped since (`secpool keys rotate --overlap 0`)
refuses the token at once, as it would have without this memory.
"""

import time

from litestar.exceptions import NotAuthorizedException

from services.platform.tokens import Caller, KeyRing, Verified, verified

LIMIT = 4096  # tokens kept; one a caller a second, so a busy minute of a large organisation


class CheckedTokens:
    def __init__(self, audience: str, ring: KeyRing, limit: int = LIMIT) -> None:
        self._audience = audience
        self._ring = ring
        self._limit = limit
        self._known: dict[str, Verified] = {}

    def caller(self, token: str, now: float | None = None) -> Caller:
        """The caller in `token`; NotAuthorizedException as `tokens.verify` raises it."""
        now = time.time() if now is None else now
        known = self._known.get(token)
        if known is not None:
            if now >= known.expires:
                raise NotAuthorizedException("service token expired")
            self._ring.key_for(known.kid, now)  # raises once the key is retired or gone
            return known.caller
        fresh = verified(token, audience=self._audience, key=self._ring)
        if fresh.kid is not None:  # a token without a key id is checked on every use
            self._remember(token, fresh, now)
        return fresh.caller

    def _remember(self, token: str, fresh: Verified, now: float) -> None:
        if len(self._known) >= self._limit:
            self._known = {t: v for t, v in self._known.items() if now < v.expires}
            if len(self._known) >= self._limit:
                self._known.clear()
        self._known[token] = fresh

    def __len__(self) -> int:
        return len(self._known)
