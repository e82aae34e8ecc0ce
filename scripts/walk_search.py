"""The walk of one hybrid search through the project's modules: which modules it enters, in what order, and how
often it comes back to a module it had left (a measure of how tangled the layers are).

    PLEDGES_DATA_DIR=data/eval-store .venv/bin/python scripts/walk_search.py "one-stop centre for migrants"
"""

from __future__ import annotations

import sys
import threading

from models.schemas import SearchRequest
from search_api.service import SearchService

OURS = ("models", "indexer", "search_api")
EDGES: dict[tuple[str, str], int] = {}  # (caller's layer, callee's layer) -> calls


def walk(query: str) -> list[str]:
    """Module of every call into our code during one hybrid search (model already warm), in order."""
    service = SearchService()
    request = SearchRequest(q=query, mode="hybrid")
    service.search(request)  # warm: load the model and the store first
    calls: list[str] = []

    def profile(frame, event, arg):  # noqa: ANN001, ARG001 - sys.setprofile's signature
        if event == "call":
            name = frame.f_globals.get("__name__", "")
            if name.split(".")[0] in OURS:
                calls.append(name)
                caller = frame.f_back.f_globals.get("__name__", "") if frame.f_back else ""
                if caller.split(".")[0] in OURS:
                    EDGES[(layer_of(caller), layer_of(name))] = EDGES.get((layer_of(caller), layer_of(name)), 0) + 1

    threading.setprofile(profile)
    sys.setprofile(profile)
    try:
        service.search(request)
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]
        service.close()
    return calls


def main() -> None:
    """Print the modules entered and the returns to a module already left."""
    calls = walk(sys.argv[1] if len(sys.argv) > 1 else "one-stop centre for migrants")
    path: list[str] = []
    for name in calls:
        if not path or path[-1] != name:
            path.append(name)
    left: set[str] = set()
    returns = 0
    for before, after in zip(path, path[1:], strict=False):
        left.add(before)
        if after in left:
            returns += 1
    print(f"calls into our code: {len(calls)}")
    print(f"modules entered: {len(set(path))}")
    print(f"module changes: {len(path) - 1}, returns to a module already left: {returns}")
    layers: list[str] = []
    for name in path:
        layer = layer_of(name)
        if layer == "models":  # shared schemas and taxonomy: every layer reads them
            continue
        if not layers or layers[-1] != layer:
            layers.append(layer)
    print(f"layer changes: {len(layers) - 1}: {' > '.join(layers)}")
    print("calls between layers (caller -> callee: count):")
    for (caller, callee), count in sorted(EDGES.items(), key=lambda item: -item[1]):
        if caller != callee and "models" not in (caller, callee):
            print(f"   {caller} -> {callee}: {count}")
    for name in sorted(set(path)):
        print("  ", name)


def layer_of(module: str) -> str:
    """The layer a module belongs to: models, the service, the engine-neutral rules, or one engine."""
    parts = module.split(".")
    if parts[0] != "search_api":
        return parts[0]
    if parts[1] == "backends" and len(parts) > 2:
        return ".".join(parts[:3])
    if parts[1] in ("service", "core"):
        return ".".join(parts[:2])
    return "search_api (rules)"


if __name__ == "__main__":
    main()
