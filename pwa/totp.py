"""Time-based one-time codes (TOTP, RFC 6238) as a second factor: a new secret, the link an
authenticator app scans (as an SVG QR code rendered here, so the page needs no script), and the
check of a code, which also refuses a code already used (replay)."""

import hmac
import time

import pyotp
import segno
from markupsafe import Markup

ISSUER = "secpool"
STEP_SECONDS = 30
# One step either side: a phone's clock a little off, or a code typed as it turns over.
DRIFT_STEPS = 1


def new_secret() -> str:
    return pyotp.random_base32()


def link(secret: str, email: str) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(text: str, *, title: str) -> Markup:
    """`text` as an inline SVG QR code: markup made here, never from a person's text (the title
    is escaped by segno), with no style or script in it, so fine under the strict CSP."""
    code = segno.make(text, error="m")
    return Markup(code.svg_inline(scale=5, dark="#000", light="#fff", title=title, svgclass="qr-code", lineclass=None))


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it in by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def accepted_step(secret: str, code: str, *, last_step: int | None, now: float | None = None) -> int | None:
    """The time step `code` belongs to, if it is right, current and newer than `last_step`."""
    code = "".join(c for c in code if c.isdigit())
    if len(code) != 6:
        return None
    otp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    found = None
    for drift in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        at = moment + drift * STEP_SECONDS
        # Every candidate is compared (no early exit), in constant time.
        if hmac.compare_digest(otp.at(at), code):
            found = int(at // STEP_SECONDS)
    if found is None or (last_step is not None and found <= last_step):
        return None
    return found
