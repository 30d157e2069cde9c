"""`tracker serve`: the app in a browser tab, each tab its own app process (textual-serve).

The checks that need no server live here; textual-serve and aiohttp are imported only
once they pass (cli/web_server.py), so no other command pays for them.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import shlex
import socket
import sys
from pathlib import Path

from tracker_tui.cli.context import EXIT_OK, CommandFailedError, Context, UsageError

WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1: only this machine can reach them."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    """A host as it goes in a URL: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host else host


def check_port_free(host: str, port: int) -> None:
    """Bind every address the server would, and let go: a port in use is said plainly
    before anything starts (the server's own bind is checked again, a race is possible)."""
    try:
        addresses = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as error:
        raise CommandFailedError(f"cannot serve on host {host!r}: {error.strerror}") from error
    for family, kind, protocol, _name, address in addresses:
        with socket.socket(family, kind, protocol) as probe:
            # As asyncio's server does, so a closed connection's TIME_WAIT is no conflict.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as error:
                raise bind_failure(host, port, error) from error


def bind_failure(host: str, port: int, error: OSError) -> CommandFailedError:
    """What the user can do about a failed bind, in one line."""
    if error.errno == errno.EADDRINUSE:
        return CommandFailedError(f"port {port} is in use: pick another with --port")
    if error.errno == errno.EACCES:
        return CommandFailedError(
            f"port {port} needs special rights on this system: pick one above 1023 with --port"
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return CommandFailedError(f"{host} is not an address of this machine: check --host")
    return CommandFailedError(f"cannot serve on {host} port {port}: {error.strerror or error}")


def app_command(progress_file: Path | None) -> str:
    """What each tab runs: this very Python and package, so a venv or a checkout serves
    itself; the environment (TRACKER_HOME included) is inherited."""
    words = [sys.executable, "-m", "tracker_tui"]
    if progress_file is not None:
        words += ["--progress-file", str(progress_file.resolve())]
    command = " ".join(shlex.quote(word) for word in words)
    if os.name == "posix":
        # ctrl+c in the server's terminal reaches the tabs' apps too (one process group):
        # one still starting would die with "interrupted" mid-way. Ignored, it starts,
        # and quits when the server tells it to (a running app's driver handles SIGINT).
        return f"trap '' INT; exec {command}"
    return command


def addresses_to_open(host: str, port: int) -> list[str]:
    if host in WILDCARD_HOSTS:
        return [
            f"http://{url_host(socket.gethostname())}:{port} (from your network)",
            f"http://127.0.0.1:{port} (on this machine)",
        ]
    return [f"http://{url_host(host)}:{port}"]


def cmd_serve(args: argparse.Namespace, ctx: Context) -> int:
    """Serve the app to browsers until ctrl+c: loopback only, unless --public."""
    host: str = args.host
    public = not is_loopback(host)
    if public and not args.public:
        shown = host or "''"
        raise UsageError(
            f"--host {shown} serves tracker to your network with no login: "
            "add --public if you mean it"
        )
    check_port_free(host, args.port)
    if public:
        print(
            f"tracker: warning: serving on {host or 'every address'} with no login: anyone "
            "who can reach this machine can read and change your progress",
            file=sys.stderr,
        )
    # Imported here: aiohttp and textual-serve load for this command only.
    from tracker_tui.cli.web_server import TrackerServer

    banner = [
        "tracker in a browser: open",
        *(f"  {address}" for address in addresses_to_open(host, args.port)),
        "each tab runs its own tracker; ctrl+c stops",
    ]
    server = TrackerServer(
        app_command(getattr(args, "progress_file", None)),
        host=host,
        port=args.port,
        loopback_only=not public,
        banner="\n".join(banner),
    )
    try:
        server.serve()
    except OSError as error:
        raise bind_failure(host, args.port, error) from error
    print("tracker: stopped", file=sys.stderr)
    return EXIT_OK
