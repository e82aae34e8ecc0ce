"""Which sockets listen on a port, read from the kernel's tables (no locust import: usable anywhere)."""

from __future__ import annotations

from pathlib import Path

LISTEN = "0A"  # the TCP state as /proc/net/tcp writes it


def listening_sockets(port: int) -> int:
    """Sockets listening on `port` (Linux: one per worker, SO_REUSEPORT). The users start only once every
    worker listens: the first one ready would otherwise take all their keep-alive connections for the run."""
    found = 0
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        if not table.exists():
            return 1 << 30  # no way to tell here: the first worker ready is enough
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == LISTEN and int(fields[1].rsplit(":", 1)[1], 16) == port:
                found += 1
    return found
