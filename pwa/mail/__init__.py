"""Outgoing e-mail: queued with the change that causes it, sent by the pwa's mail worker.

    from pwa import mail
    await mail.queue(conn, to="sanne@example.org", template="invite", language="nl", context={...})

A template is a folder `templates/<name>/` with `nl.txt` and `en.txt`: the first line is
`Subject: ...`, then a blank line, then the plain-text body (Jinja; a missing context value is
an error when queueing, not a blank in someone's inbox). Adding a template is adding a folder.
"""

from pwa.mail.queue import queue

__all__ = ["queue"]
