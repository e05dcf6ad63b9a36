"""Notifications by e-mail, and each person's choice per kind of news (offered, a question for
you, done, thanks received, the weekly digest): push, e-mail or nothing. Push itself is
pwa/push; it asks the same choice (`notification_channel` in SQL) before it queues a notice."""
