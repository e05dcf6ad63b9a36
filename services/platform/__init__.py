"""Shared plumbing for every secpool service: settings, database, outbox/inbox, bus,
service tokens, logging, health. Nothing here knows about requests, members or kudos."""
