"""Routing's reason codes in the person's words (Dutch or English): why the chosen member got a
request, how many others could not take it and why (counts, never names), and the short reason
a requester sees. A code routing adds later reads as a neutral sentence until it is listed here.
"""

from pwa.i18n import skill_text, translations
from services.contracts.routing_api import ReasonView


def because_text(language: str, reason: ReasonView) -> str:
    """One reason the chosen member got the request (or why nobody did)."""
    t = translations(language)
    _ = t.gettext
    code = reason.code
    minutes = round(reason.minutes or 0)
    skill = skill_text(language, reason.skill or "")
    level = reason.level or 0
    texts = {
        "finishes_soonest": _("could have it done soonest: in about %(minutes)s minutes"),
        "can_start_now": _("can start on it straight away"),
        "knows_skill": _("knows %(skill)s well (level %(level)s)"),
        "served_requester": _("has worked for this requester before"),
        "light_day": _("has had a lighter day so far"),
        "learning_goal": _("is building up %(skill)s"),
        "development": _("is learning %(skill)s and can finish it well in time (about %(minutes)s minutes)"),
        "buddy": _("a colleague who knows %(skill)s (level %(level)s) is attached as buddy"),
        "rotation": _("is next in turn"),
        "most_room": t.ngettext(
            "has the most room: %(level)s place free", "has the most room: %(level)s places free", level
        ),
        "highest_level": _("has the highest level in %(skill)s (%(level)s)"),
        "nobody": _("nobody in the pool can take it right now"),
        "all_busy": _("everyone who can do this is busy: it goes to whoever is free first"),
        "waited_long": _("it waited too long for someone to take it"),
        "sla_pickup_at_risk": _("the promised pick-up time is at risk"),
        "sla_completion_at_risk": _("the promised completion time is at risk"),
    }
    text = texts.get(code, _("a reason routing gives (%(code)s)"))
    return text % {"minutes": minutes, "skill": skill, "level": level, "code": code}


def others_text(language: str, code: str, count: int) -> str:
    """How many other members could not take it, for one reason ("3 away or off shift")."""
    ngettext = translations(language).ngettext
    texts = {
        "declined": ngettext("%(num)d declined or let the offer pass", "%(num)d declined or let the offer pass", count),
        "away": ngettext("%(num)d away", "%(num)d away", count),
        "off_shift": ngettext("%(num)d not working now", "%(num)d not working now", count),
        "absent": ngettext("%(num)d absent", "%(num)d absent", count),
        "holiday": ngettext("%(num)d on a public holiday", "%(num)d on a public holiday", count),
        "no_hours": ngettext("%(num)d has no working hours set", "%(num)d have no working hours set", count),
        "language": ngettext(
            "%(num)d does not speak the request's language", "%(num)d do not speak the request's language", count
        ),
        "below_level": ngettext("%(num)d below the level it needs", "%(num)d below the level it needs", count),
        "at_capacity": ngettext("%(num)d has no room for more work", "%(num)d have no room for more work", count),
        "busy": ngettext("%(num)d busy with other work first", "%(num)d busy with other work first", count),
        "eligible": ngettext("%(num)d could also have taken it", "%(num)d could also have taken it", count),
        "learner": ngettext("%(num)d learning this skill", "%(num)d learning this skill", count),
        "learning_late": ngettext(
            "%(num)d learning this skill, but could not finish in time",
            "%(num)d learning this skill, but could not finish in time",
            count,
        ),
    }
    fallback = ngettext("%(num)d for another reason", "%(num)d for another reason", count)
    return texts.get(code, fallback) % {"num": count}


# The order in which the "why" page lists the others: who could have, then who could not.
OTHERS_ORDER = (
    "eligible",
    "learner",
    "busy",
    "at_capacity",
    "declined",
    "away",
    "off_shift",
    "absent",
    "holiday",
    "no_hours",
    "language",
    "below_level",
    "learning_late",
)


def others_list(language: str, others: dict[str, int]) -> list[str]:
    known = [code for code in OTHERS_ORDER if others.get(code)]
    rest = sorted(code for code in others if code not in OTHERS_ORDER and others[code])
    return [others_text(language, code, others[code]) for code in known + rest]
