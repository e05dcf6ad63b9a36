"""Event contracts between secpool's services: msgspec Structs only, no logic, no I/O.

Each publishing service owns one module (intake.py, routing.py, ...). Subjects follow
`secpool.<service>.<entity>.<event>` and each struct's tag equals its subject.
"""
