"""Structured logs: JSON lines when not on a terminal (for collectors), readable otherwise."""

import logging
import sys

import structlog


class _CurrentStderr:
    """Writes to whatever `sys.stderr` is at the moment of writing. Loggers are cached on first
    use; bound to the stream of that moment, they would keep writing to it after it was
    replaced and closed (as test runners do when they capture output)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure(service: str, level: int = logging.INFO) -> None:
    renderer: structlog.typing.Processor = (
        structlog.dev.ConsoleRenderer() if sys.stderr.isatty() else structlog.processors.JSONRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(_CurrentStderr()),  # type: ignore[arg-type]
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)
    # httpx logs every request it sends at INFO, whole address included: a push endpoint is a
    # capability that must not reach the logs (the sender logs only its origin), and a line per
    # service call and per push is a cost at every request. Its warnings still show.
    for chatty in ("httpx", "httpcore"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
