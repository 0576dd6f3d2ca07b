"""Commands for the local web app: serve.

    counterpoint serve [--db PATH] [--host 127.0.0.1] [--port 8000]

``register(sub)`` adds this module's subparsers to the CLI and returns
{command name: handler(args) -> exit code}.
"""
from __future__ import annotations

import ipaddress
import sys


def register(sub) -> dict:
    from .store import DEFAULT_DB

    s = sub.add_parser("serve", help="browse and grow the story library in a local web app")
    s.add_argument("--db", default=DEFAULT_DB, metavar="PATH",
                   help=f"the story database (default: ./{DEFAULT_DB}; made if missing)")
    s.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only; the app has no login)")
    s.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    s.add_argument("--debug", action="store_true", help="log every request")
    return {"serve": cmd_serve}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cmd_serve(args) -> int:
    from .cli import UsageError

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: give a port between 1 and 65535")
    import uvicorn

    from .store import Store
    from .web.app import LOOPBACK_NAMES, create_app

    store = Store(args.db)
    loopback = is_loopback(args.host)
    if not loopback:
        print(f"counterpoint: warning: listening on {args.host}: anyone who can reach it can read and add "
              "articles (there is no login)", file=sys.stderr)
    app = create_app(store, allowed_hosts=LOOPBACK_NAMES if loopback else None)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"counterpoint: serving {args.db} at http://{shown}:{args.port}/ (Ctrl+C stops)", file=sys.stderr)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning" if not args.debug else "info")
    finally:
        store.close()
    return 0
