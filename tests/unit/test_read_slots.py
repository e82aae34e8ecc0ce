"""Reads take turns: `ReadSlotsMiddleware` around a stand-in ASGI app that holds each request until released
(the stand-in is the boundary: what is checked is who gets in, and in which order)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from search_api.http.limits import ReadSlotsMiddleware


class HeldApp:
    """An ASGI app that notes each request entering and holds it until its path is released."""

    def __init__(self) -> None:
        self.entered: list[str] = []
        self.inside = 0
        self.most_inside = 0
        self.release: dict[str, asyncio.Event] = {}

    async def __call__(self, scope, receive, send) -> None:
        name = f"{scope['method']} {scope['path']}"
        self.entered.append(name)
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        try:
            if scope["path"] == "/pledges/boom":
                raise RuntimeError("the route failed")
            await self.release.setdefault(name, asyncio.Event()).wait()
        finally:
            self.inside -= 1


def run(scenario):
    """`asyncio.run` on a thread of its own: a browser test earlier in the session may leave an event loop
    running on the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario).result()


def request(app, method: str, path: str) -> asyncio.Task:
    scope = {"type": "http", "method": method, "path": path}

    async def nothing():
        return {"type": "http.disconnect"}

    async def ignore(message):
        return None

    return asyncio.create_task(app(scope, nothing, ignore))


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def let_go(inner: HeldApp, name: str) -> None:
    inner.release.setdefault(name, asyncio.Event()).set()


def test_one_slot_lets_searches_in_one_at_a_time_in_arrival_order() -> None:
    async def scenario() -> None:
        inner = HeldApp()
        app = ReadSlotsMiddleware(inner, slots=1)
        tasks = [request(app, "GET", path) for path in ("/search", "/pledges/p-1/similar", "/facets", "/pledges/p-2")]
        await settle()
        assert inner.entered == ["GET /search"]
        for name in ("GET /search", "GET /pledges/p-1/similar", "GET /facets"):
            let_go(inner, name)
            await settle()
        assert inner.entered == ["GET /search", "GET /pledges/p-1/similar", "GET /facets", "GET /pledges/p-2"]
        let_go(inner, "GET /pledges/p-2")
        await asyncio.gather(*tasks)
        assert inner.most_inside == 1

    run(scenario())


def test_health_writes_and_exports_never_wait_for_a_slot() -> None:
    async def scenario() -> None:
        inner = HeldApp()
        app = ReadSlotsMiddleware(inner, slots=1)
        tasks = [request(app, "GET", "/search")]
        tasks += [
            request(app, method, path)
            for method, path in (("GET", "/health"), ("GET", "/ready"), ("POST", "/index"), ("GET", "/export"))
        ]
        tasks.append(request(app, "PUT", "/pledges/p-1"))
        await settle()
        assert sorted(inner.entered) == sorted(
            ["GET /search", "GET /health", "GET /ready", "POST /index", "GET /export", "PUT /pledges/p-1"]
        )
        for name in list(inner.entered):
            let_go(inner, name)
        await asyncio.gather(*tasks)

    run(scenario())


def test_two_slots_let_two_searches_in_and_zero_means_no_limit() -> None:
    async def scenario(slots: int) -> int:
        inner = HeldApp()
        app = ReadSlotsMiddleware(inner, slots=slots)
        tasks = [request(app, "GET", "/search") for _ in range(5)]
        await settle()
        inside = inner.inside
        let_go(inner, "GET /search")
        await asyncio.gather(*tasks)
        return inside

    assert run(scenario(2)) == 2
    assert run(scenario(0)) == 5


def test_a_read_that_fails_gives_its_slot_to_the_next() -> None:
    async def scenario() -> None:
        inner = HeldApp()
        app = ReadSlotsMiddleware(inner, slots=1)
        failing = request(app, "GET", "/pledges/boom")
        waiting = request(app, "GET", "/search")
        await settle()
        with pytest.raises(RuntimeError, match="the route failed"):
            await failing
        await settle()
        assert inner.entered == ["GET /pledges/boom", "GET /search"]
        let_go(inner, "GET /search")
        await waiting

    run(scenario())


def test_reads_waiting_for_a_slot_are_counted_as_demand_until_they_get_in() -> None:
    """The side work of searches runs inline exactly while some read waits (search_api.core.side_work.DEMAND)."""
    from search_api.core.side_work import DEMAND

    async def scenario() -> None:
        inner = HeldApp()
        app = ReadSlotsMiddleware(inner, slots=1)
        first = request(app, "GET", "/search")
        await settle()
        assert inner.entered == ["GET /search"] and not DEMAND.busy  # a free slot: nobody waits
        second = request(app, "GET", "/facets")
        health = request(app, "GET", "/health")  # not a read: never waits, never counted
        await settle()
        assert DEMAND.busy and inner.entered == ["GET /search", "GET /health"]
        let_go(inner, "GET /health")
        let_go(inner, "GET /search")
        await settle()
        assert inner.entered[-1] == "GET /facets" and not DEMAND.busy
        let_go(inner, "GET /facets")
        await asyncio.gather(first, second, health)

    run(scenario())
