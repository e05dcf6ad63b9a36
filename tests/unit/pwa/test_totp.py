"""TOTP codes: the current code (and one step either side) is accepted once, an old or reused
one is not, and the QR code is plain SVG markup (no script, no style) for the strict CSP."""

import re

import pyotp

from pwa import totp

NOW = 1_800_000_000.0


def test_the_current_code_is_accepted_and_names_its_time_step():
    secret = totp.new_secret()
    step = totp.accepted_step(secret, pyotp.TOTP(secret).at(NOW), last_step=None, now=NOW)
    assert step == int(NOW // 30)


def test_a_code_one_step_off_is_accepted_two_steps_off_is_not():
    secret = totp.new_secret()
    code = pyotp.TOTP(secret)
    assert totp.accepted_step(secret, code.at(NOW - 30), last_step=None, now=NOW) is not None
    assert totp.accepted_step(secret, code.at(NOW + 30), last_step=None, now=NOW) is not None
    assert totp.accepted_step(secret, code.at(NOW - 90), last_step=None, now=NOW) is None


def test_a_code_from_a_step_already_used_is_refused():
    secret = totp.new_secret()
    code = pyotp.TOTP(secret).at(NOW)
    step = totp.accepted_step(secret, code, last_step=None, now=NOW)
    assert totp.accepted_step(secret, code, last_step=step, now=NOW) is None


def test_spaces_are_ignored_and_anything_but_six_digits_is_refused():
    secret = totp.new_secret()
    code = pyotp.TOTP(secret).at(NOW)
    assert totp.accepted_step(secret, f"{code[:3]} {code[3:]}", last_step=None, now=NOW) is not None
    assert totp.accepted_step(secret, code[:5], last_step=None, now=NOW) is None
    assert totp.accepted_step(secret, "", last_step=None, now=NOW) is None


def test_the_qr_code_is_an_svg_without_script_or_style():
    svg = totp.qr_svg(totp.link(totp.new_secret(), "anna@example.org"), title="QR code")
    assert svg.startswith("<svg") and "<title>QR code</title>" in svg
    assert not re.search(r"<script|style=|<style|on\w+=", svg)


def test_the_link_names_the_app_and_the_person():
    link = totp.link("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "anna@example.org")
    assert link.startswith("otpauth://totp/secpool:anna%40example.org?") and "issuer=secpool" in link
