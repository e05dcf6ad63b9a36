"""One-click unsubscribe links: they name one person and one kind, and nobody can turn them into
someone else's or another kind."""

from pwa.notify.unsubscribe import read, token

SECRET = "a-secret-" + "x" * 20


def test_a_link_reads_back_as_its_person_and_kind():
    assert read(SECRET, token(SECRET, "acct-1", "question")) == ("acct-1", "question")


def test_a_changed_person_kind_or_secret_is_refused():
    value = token(SECRET, "acct-1", "question")
    person, kind, signature = value.split(".")
    assert read(SECRET, f"acct-2.{kind}.{signature}") is None
    assert read(SECRET, f"{person}.done.{signature}") is None
    assert read("another-secret-" + "y" * 20, value) is None
    assert read(SECRET, f"{person}.everything.{signature}") is None
    assert read(SECRET, "garbage") is None
