"""Who may do what in the services, written once: for every HTTP endpoint of intake, routing and
recognition, the resource it touches, the action, and how far each role reaches.

Reach, from nothing to everything:
- `NONE`: refused (403, or 404 where saying "it exists" would already tell too much);
- `OWN`: only the caller's own things: requests they sent (or that were sent on their behalf),
  work offered to or done by them, their own member record, kudos they gave, their invitations,
  their uploads; for a route about "me" (no object in the path) the answer holds only theirs;
- `POOL`: also everything of the pools in their token (a member: the pool's requests; a lead:
  managing the pool, moderation included); nothing of another pool;
- `ALL`: the whole organisation (the wall, the catalogue; admins for what the admin pages need).

Roles are the ones in the service token (services.platform.tokens.Caller.roles): `staff`,
`secretary` (a pool member), `lead` and `admin`. A person holds several (a lead is also staff);
each row says what the role adds. An integration calls with an API key for one pool, read or
write (services.platform.api_keys): its two columns are the row's `key=`. A new kind of caller
is a new entry in ROLES and a new column in every row, so no endpoint is left unanswered.

The services enforce these rules in their own access code (e.g. services.intake.access); the
authorization test (tests/integration/authz) calls every endpoint as every role on their own,
their pool's and another pool's objects and holds both to this table, and fails for an endpoint
that has no row here.

Pure data: no I/O, importable by anyone.
"""

from enum import StrEnum
from typing import NamedTuple


class Reach(StrEnum):
    NONE = "none"
    OWN = "own"
    POOL = "pool"
    ALL = "all"


NONE, OWN, POOL, ALL = Reach.NONE, Reach.OWN, Reach.POOL, Reach.ALL

# People's roles, then an integration's API key (services.platform.api_keys: the caller has the
# role "integration" and the key's pool), by the key's scope.
ROLES = ("staff", "secretary", "lead", "admin", "integration-read", "integration-write")


class Rule(NamedTuple):
    """One endpoint's row: `reach` has one entry per role in ROLES, in that order."""

    resource: str
    action: str
    reach: tuple[Reach, ...]
    why: str = ""

    def of(self, role: str) -> Reach:
        return self.reach[ROLES.index(role)]


def rule(
    resource: str,
    action: str,
    staff: Reach,
    secretary: Reach,
    lead: Reach,
    admin: Reach,
    why: str = "",
    *,
    key: Reach | tuple[Reach, Reach],
) -> Rule:
    """`key`: an API key's reach, for a read key and a write key alike, or (read, write). A key
    reads what a member of its pool reads; a write key also submits requests; nothing else."""
    read, write = key if isinstance(key, tuple) else (key, key)
    return Rule(resource, action, (staff, secretary, lead, admin, read, write), why)


# Routes every service has from services.platform.runtime, outside the service token: liveness
# and readiness (anyone), /metrics (only the metrics token) and the OpenAPI (any valid token).
PLATFORM = {
    "GET /health": "anyone",
    "GET /ready": "anyone",
    "GET /metrics": "metrics token",
    "GET /schema": "service token",
}

# "METHOD path" as Litestar routes it (path parameters with their types).
MATRIX: dict[str, dict[str, Rule]] = {
    "intake": {
        # requests: staff their own and those sent on their behalf, members and leads their pool's
        "POST /v1/requests": rule(
            "request", "submit", POOL, POOL, POOL, POOL, "to a request type of a pool in the token", key=(NONE, POOL)
        ),
        "GET /v1/requests": rule("request", "list mine", OWN, OWN, OWN, OWN, key=OWN),
        "GET /v1/requests/assigned": rule("request", "list my work", OWN, OWN, OWN, OWN, key=OWN),
        "GET /v1/requests/by-id": rule(
            "request", "read several", OWN, POOL, POOL, OWN, "the ones the caller may read; the rest left out", key=POOL
        ),
        "GET /v1/requests/{request_id:uuid}": rule("request", "read", OWN, POOL, POOL, OWN, key=POOL),
        "GET /v1/requests/{request_id:uuid}/timeline": rule("request", "read", OWN, POOL, POOL, OWN, key=POOL),
        "PATCH /v1/requests/{request_id:uuid}": rule("request", "edit", OWN, OWN, OWN, OWN, "the requester", key=NONE),
        "POST /v1/requests/{request_id:uuid}/status": rule(
            "work", "move", NONE, OWN, NONE, NONE, "the member on it", key=NONE
        ),
        "POST /v1/requests/{request_id:uuid}/cancel": rule(
            "request", "cancel", OWN, OWN, POOL, OWN, "the requester, or the pool's lead", key=NONE
        ),
        "POST /v1/requests/{request_id:uuid}/rating": rule("done request", "rate", OWN, OWN, OWN, OWN, key=NONE),
        "GET /v1/requests/{request_id:uuid}/comments": rule("request", "read", OWN, POOL, POOL, OWN, key=POOL),
        "POST /v1/requests/{request_id:uuid}/comments": rule(
            "request", "comment", OWN, OWN, POOL, OWN, "the requester, the people on it, the pool's lead", key=NONE
        ),
        "GET /v1/requests/{request_id:uuid}/attachments": rule("request", "read files", OWN, POOL, POOL, OWN, key=POOL),
        "POST /v1/requests/{request_id:uuid}/attachments": rule("request", "add file", OWN, OWN, POOL, OWN, key=NONE),
        "GET /v1/requests/{request_id:uuid}/attachments/{attachment_id:uuid}": rule(
            "attachment", "download", OWN, POOL, POOL, OWN, key=POOL
        ),
        "DELETE /v1/requests/{request_id:uuid}/attachments/{attachment_id:uuid}": rule(
            "attachment", "remove", OWN, OWN, OWN, OWN, "the requester", key=NONE
        ),
        "POST /v1/uploads": rule("upload", "stage", OWN, OWN, OWN, OWN, key=NONE),
        "DELETE /v1/uploads/{upload_id:uuid}": rule("upload", "drop", OWN, OWN, OWN, OWN, key=NONE),
        "GET /v1/search": rule("request", "search", OWN, POOL, POOL, OWN, key=POOL),
        "GET /v1/recurring": rule("recurring request", "list mine", OWN, OWN, OWN, OWN, key=OWN),
        "POST /v1/recurring": rule("request", "repeat", OWN, OWN, OWN, OWN, "the person who sent it", key=NONE),
        "POST /v1/recurring/{schedule_id:uuid}/{action:str}": rule(
            "recurring request", "change", OWN, OWN, OWN, OWN, key=NONE
        ),
        # the pool's queue, requests and team figures: its members and leads
        "GET /v1/pools/{pool_id:str}/queue": rule("pool", "read queue", NONE, POOL, POOL, NONE, key=POOL),
        "GET /v1/pools/{pool_id:str}/requests": rule("pool", "read requests", NONE, POOL, POOL, NONE, key=POOL),
        "GET /v1/pools/{pool_id:str}/insights": rule("pool", "read figures", NONE, POOL, POOL, NONE, key=POOL),
        # request types: everyone reads; a pool's leads (and admins, going live) keep them
        "GET /v1/request-types": rule("request type", "list", ALL, ALL, ALL, ALL, key=ALL),
        "POST /v1/request-types": rule("request type", "create", NONE, NONE, POOL, ALL, key=NONE),
        "GET /v1/request-types/{type_id:str}": rule("request type", "read", ALL, ALL, ALL, ALL, key=ALL),
        "PUT /v1/request-types/{type_id:str}": rule("request type", "edit", NONE, NONE, POOL, ALL, key=NONE),
        "POST /v1/request-types/{type_id:str}/retire": rule("request type", "retire", NONE, NONE, POOL, ALL, key=NONE),
        "POST /v1/request-types/{type_id:str}/reinstate": rule(
            "request type", "retire", NONE, NONE, POOL, ALL, key=NONE
        ),
        "GET /v1/request-types/{type_id:str}/history": rule("request type", "read", ALL, ALL, ALL, ALL, key=ALL),
        # privacy
        "GET /v1/people/me/data": rule("personal data", "export", OWN, OWN, OWN, OWN, key=OWN),
        "GET /v1/retention": rule("retention", "read", ALL, ALL, ALL, ALL, key=ALL),
        "PUT /v1/retention": rule("retention", "set", NONE, NONE, NONE, ALL, key=NONE),
    },
    "routing": {
        # offers: the member they were made to
        "GET /v1/members/me/offers": rule("offer", "list mine", OWN, OWN, OWN, OWN, key=OWN),
        "POST /v1/offers/{offer_id:uuid}/accept": rule("offer", "answer", NONE, OWN, NONE, NONE, key=NONE),
        "POST /v1/offers/{offer_id:uuid}/decline": rule("offer", "answer", NONE, OWN, NONE, NONE, key=NONE),
        # the pool's queues and decisions: its members and leads; the lead assigns
        "GET /v1/pools/{pool_id:str}/queue": rule("pool", "read queue", NONE, POOL, POOL, NONE, key=POOL),
        "GET /v1/pools/{pool_id:str}/lead-queue": rule("pool", "read queue", NONE, POOL, POOL, NONE, key=POOL),
        "POST /v1/requests/{request_id:str}/assign": rule(
            "waiting request", "assign", NONE, NONE, POOL, NONE, key=NONE
        ),
        "GET /v1/requests/{request_id:str}/decisions": rule(
            "waiting request", "read why", NONE, POOL, POOL, NONE, key=POOL
        ),
        # members: the pool sees its members; admins for the pool pages
        "GET /v1/pools/{pool_id:str}/members": rule("pool", "read members", NONE, POOL, POOL, ALL, key=POOL),
        "GET /v1/members/me": rule("member", "read mine", OWN, OWN, OWN, OWN, key=OWN),
        "PUT /v1/members/me/presence": rule("member", "set mine", OWN, OWN, OWN, OWN, key=NONE),
        "PUT /v1/members/me/learning": rule("member", "set mine", OWN, OWN, OWN, OWN, key=NONE),
        "GET /v1/members/{member_id:str}/growth": rule(
            "member", "read growth", NONE, OWN, NONE, NONE, "the member alone, the lead neither", key=NONE
        ),
        "POST /v1/skill-proposals": rule("member", "propose level", NONE, POOL, POOL, NONE, key=NONE),
        "POST /v1/skill-proposals/{proposal_id:uuid}/confirm": rule(
            "skill proposal", "confirm", NONE, POOL, POOL, NONE, key=NONE
        ),
        "GET /v1/pools/{pool_id:str}/skill-proposals": rule("pool", "read proposals", NONE, POOL, POOL, NONE, key=POOL),
        "GET /v1/pools/{pool_id:str}/coverage": rule("pool", "read coverage", NONE, POOL, POOL, NONE, key=POOL),
        # the routing policy: the pool owns it
        "GET /v1/pools/{pool_id:str}/policy": rule(
            "pool",
            "read policy",
            POOL,
            POOL,
            POOL,
            POOL,
            "the pool and the staff it serves: a visible history",
            key=POOL,
        ),
        "PUT /v1/pools/{pool_id:str}/policy": rule("pool", "change policy", NONE, POOL, POOL, NONE, key=NONE),
        "GET /v1/pools/{pool_id:str}/policy/changes": rule("pool", "read policy", POOL, POOL, POOL, POOL, key=POOL),
        "POST /v1/pools/{pool_id:str}/policy/trials": rule("pool", "try policy", NONE, POOL, POOL, NONE, key=NONE),
        "GET /v1/pools/{pool_id:str}/policy/trials/{trial_id:uuid}": rule(
            "policy trial", "read", NONE, POOL, POOL, NONE, key=POOL
        ),
        # the rota: the member, their pool's lead, an admin
        "GET /v1/members/{member_id:str}/hours": rule("member", "read rota", NONE, OWN, POOL, ALL, key=NONE),
        "PUT /v1/members/{member_id:str}/hours": rule("member", "arrange rota", NONE, OWN, POOL, ALL, key=NONE),
        "GET /v1/members/{member_id:str}/absences": rule("member", "read rota", NONE, OWN, POOL, ALL, key=NONE),
        "POST /v1/members/{member_id:str}/absences": rule("member", "arrange rota", NONE, OWN, POOL, ALL, key=NONE),
        "DELETE /v1/members/{member_id:str}/absences/{absence_id:uuid}": rule(
            "absence", "take back", NONE, OWN, POOL, ALL, key=NONE
        ),
        "PUT /v1/members/{member_id:str}/profile": rule(
            "member",
            "set profile",
            NONE,
            OWN,
            POOL,
            ALL,
            "the member: languages; lead and admin: capacity too",
            key=NONE,
        ),
        "GET /v1/pools/{pool_id:str}/holidays": rule("pool", "read holidays", POOL, POOL, POOL, ALL, key=POOL),
        "PUT /v1/pools/{pool_id:str}/holidays/{day:date}": rule(
            "pool", "set holidays", NONE, NONE, POOL, ALL, key=NONE
        ),
        "DELETE /v1/pools/{pool_id:str}/holidays/{day:date}": rule(
            "pool", "set holidays", NONE, NONE, POOL, ALL, key=NONE
        ),
        "GET /v1/people/me/data": rule("personal data", "export", OWN, OWN, OWN, OWN, key=OWN),
    },
    "recognition": {
        # the wall is the organisation's: anyone thanks, reads, reacts and reports
        "POST /v1/kudos": rule("kudos", "give", ALL, ALL, ALL, ALL, key=NONE),
        "GET /v1/wall": rule("kudos", "read wall", ALL, ALL, ALL, ALL, key=ALL),
        "GET /v1/kudos/{kudos_id:uuid}": rule(
            "kudos", "read", ALL, ALL, ALL, ALL, "a hidden one: its giver, its recipients and its moderators", key=ALL
        ),
        "PUT /v1/kudos/{kudos_id:uuid}/reaction": rule("kudos", "react", ALL, ALL, ALL, ALL, key=NONE),
        "DELETE /v1/kudos/{kudos_id:uuid}/reaction": rule("kudos", "react", ALL, ALL, ALL, ALL, key=NONE),
        "POST /v1/kudos/{kudos_id:uuid}/reports": rule("kudos", "report", ALL, ALL, ALL, ALL, key=NONE),
        "GET /v1/me/kudos": rule("kudos", "list mine", OWN, OWN, OWN, OWN, key=OWN),
        # moderation: a lead of a pool the kudos touches, or an admin
        "GET /v1/reports": rule("kudos", "read reports", NONE, NONE, POOL, ALL, key=NONE),
        "POST /v1/kudos/{kudos_id:uuid}/hide": rule("kudos", "moderate", NONE, NONE, POOL, ALL, key=NONE),
        "POST /v1/kudos/{kudos_id:uuid}/keep": rule("kudos", "moderate", NONE, NONE, POOL, ALL, key=NONE),
        "GET /v1/kudos/{kudos_id:uuid}/audit": rule("kudos", "read audit", NONE, NONE, POOL, ALL, key=NONE),
        # the organisation's values: everyone reads; admins and leads set them
        "GET /v1/values": rule("value", "list", ALL, ALL, ALL, ALL, key=ALL),
        "PUT /v1/values/{value_id:str}": rule(
            "value", "set", NONE, NONE, ALL, ALL, "the organisation's, not a pool's: any lead, as designed", key=NONE
        ),
        "DELETE /v1/values/{value_id:str}": rule("value", "retire", NONE, NONE, ALL, ALL, key=NONE),
        # invitations to thank: the requester
        "GET /v1/prompts": rule("invitation", "list mine", OWN, OWN, OWN, OWN, key=OWN),
        "POST /v1/prompts/{prompt_id:uuid}/kudos": rule("invitation", "thank", OWN, OWN, OWN, OWN, key=NONE),
        "POST /v1/prompts/{prompt_id:uuid}/dismiss": rule("invitation", "dismiss", OWN, OWN, OWN, OWN, key=NONE),
        # digests: team-level figures, public like the wall; the pool's lead or an admin sets the pace
        "GET /v1/pools/{pool_id:str}/digests": rule("digest", "read", ALL, ALL, ALL, ALL, key=ALL),
        "GET /v1/digests/{digest_id:uuid}": rule("digest", "read", ALL, ALL, ALL, ALL, key=ALL),
        "GET /v1/pools/{pool_id:str}/digest-schedule": rule("pool", "read digest pace", ALL, ALL, ALL, ALL, key=ALL),
        "PUT /v1/pools/{pool_id:str}/digest-schedule": rule("pool", "set digest pace", NONE, NONE, POOL, ALL, key=NONE),
        "GET /v1/people/me/data": rule("personal data", "export", OWN, OWN, OWN, OWN, key=OWN),
    },
}


def platform_route(path: str) -> bool:
    """Whether `path` is one of the routes every service has from the platform (PLATFORM)."""
    return path in ("/health", "/ready", "/metrics") or path == "/schema" or path.startswith("/schema/")
