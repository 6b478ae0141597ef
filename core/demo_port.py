"""The port the demo serves on, checked before anything is printed (``make demo PORT=5050``).

Standard library only: ``make demo`` runs it as ``python3 -P core/demo_port.py PORT [HOST]``
before the virtual environment exists. Exit 0 when the port is free, else one line on standard
error naming ``PORT`` and what is wrong, exit 2. ``pamong demo`` and ``pamong serve`` call
``check_port`` too.
"""
from __future__ import annotations

import errno
import socket
import sys


class PortError(ValueError):
    """``str(error)`` is the one line to show."""


def check_port(raw, host: str = "127.0.0.1", where: str = "PORT") -> int:
    """``raw`` as a port number (1..65535) that ``host`` can listen on now; PortError otherwise."""
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 65535:
        raise PortError(f"{where}: '{raw}' is not a port number (1 to 65535), e.g. {where}=5050"
                        if where == "PORT" else f"{where}: '{raw}' is not a port number (1 to 65535)")
    port = int(text)
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            sock.bind((host, port))
        except PermissionError:
            raise PortError(f"{where}: port {port} needs privileges on {host}; pick one above 1023") from None
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise PortError(f"{where}: cannot listen on {host} port {port} ({exc.strerror})") from None
            raise PortError(f"{where}: port {port} on {host} is already in use; "
                            f"pick another, e.g. {where}{'=' if where == 'PORT' else ' '}{port + 1 if port < 65535 else 5050}") from None
    return port


def main(argv: list[str]) -> int:
    raw = argv[1] if len(argv) > 1 else "5000"
    host = argv[2] if len(argv) > 2 else "127.0.0.1"
    try:
        check_port(raw, host)
    except PortError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
