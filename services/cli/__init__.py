"""The `secpool` command: `up` runs the whole system on this machine, `simulate` compares
routing policies on a trace. It starts services as processes and never imports them."""
