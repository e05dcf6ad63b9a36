"""People and pools: the organisation's accounts (invite, edit, disable, import) and the pool
registry, each change audited and announced as an identity event."""
