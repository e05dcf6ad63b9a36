"""What the fork server loads before it forks `secpool up`'s processes (services.cli.forked):
every library they import, so that each forked process shares those pages instead of loading
its own copy. Imported for its effect; nothing here is called."""

import gc

# No collection while loading: one would leave freed holes across the loaded pages, which the
# forked processes then fill, each writing its own copy of the page (the advice in `gc.freeze`'s
# documentation; each process turns collection on again).
gc.disable()

# ruff: noqa: E402, F401 — each import is for its loaded pages, after collection is off.
import holidays.countries  # intake's and routing's calendars: asking for one country loads them all
import uvicorn.lifespan.on
import uvicorn.loops.auto
import uvicorn.protocols.http.auto
import uvicorn.protocols.websockets.auto

import pwa.app
import services.cli.forked
import services.intake.app
import services.recognition.app
import services.routing.app

# What is loaded now is kept for good: the collector never walks it again, and walking it
# would write into every page it shares with the forked processes.
gc.freeze()
