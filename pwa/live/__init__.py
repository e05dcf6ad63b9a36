"""Live updates for open pages: `GET /events` streams Server-Sent Events for the signed-in
person, fed by the services' events on NATS and filtered to what that person may see.

Contract with the pages (htmx 2 + SSE extension; base.html has `hx-ext="sse"
sse-connect="/events"` for signed-in people): every message is a *trigger*, not HTML. Its
`data` is the id of what changed (plain text); a page re-fetches its own partial, e.g.
`<div hx-get="/requests/<id>" hx-trigger="sse:request-<id>" hx-select="#status" ...>`.
Do not `sse-swap` these messages: their data is an id, not markup.

| event          | data       | who gets it                                          | from                        |
|----------------|------------|------------------------------------------------------|-----------------------------|
| `request-<id>` | request id | its requester, on-behalf-of person, member and buddy | intake request.status_changed, request.commented, request.edited, request.attachment_added (these three not the buddy) |
| `request`      | request id | the same people (for lists such as /requests)        | intake request.status_changed |
| `pool-queue`   | pool id    | everyone in the pool, when a request left its queue (queue positions moved) or a waiting one was edited | intake request.status_changed, request.edited |
| `offer`        | offer id   | the member an offer was made to / accepted / declined or expired | routing offered, offer.accepted, offer.declined |
| `queue`        | request id | leads of the pool, when a request lands in the lead queue | routing request.queued (lead_queue) |
| `kudos`        | kudos id   | everyone signed in (the wall is public)              | recognition kudos.given     |
| `kudos-<id>`   | kudos id   | everyone signed in: its reactions changed            | recognition kudos.reacted   |
| `prompt`       | prompt id  | the requester invited to say thanks                  | recognition prompt.created  |
| `resync`       | (empty)    | a connection that fell behind and lost signals: re-fetch all live parts | — |

A comment line (`: keep-alive`) comes every 15 s; the stream ends when the session does
(checked about once a minute); `retry: 3000` asks the browser to reconnect after 3 s.
"""
