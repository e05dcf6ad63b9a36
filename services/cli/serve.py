"""Run one app under uvicorn on a listening socket inherited from `secpool up`.

The launcher owns the socket, so a restarted process (or a second replica) serves the same
port: while one is down, new connections wait in the socket's backlog instead of being
refused. uvicorn's own `--fd` assumes a Unix socket, hence this small runner.

Usage: python -m services.cli.serve --fd N [--port P] module:create_app
"""

import argparse
import socket

import uvicorn


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="services.cli.serve")
    parser.add_argument("--fd", type=int, required=True, help="an inherited listening TCP socket")
    parser.add_argument("--port", type=int, help="the socket's port: shown in process lists, not used")
    parser.add_argument("app", help="module:factory, e.g. services.intake.app:create_app")
    args = parser.parse_args(argv)
    listening = socket.socket(fileno=args.fd)  # family and type come from the socket itself
    config = uvicorn.Config(args.app, factory=True, access_log=False, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[listening])


if __name__ == "__main__":
    main()
