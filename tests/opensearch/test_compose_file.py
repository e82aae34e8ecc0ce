"""compose.yaml and the Dockerfile wire the services to settings that exist (no Docker engine runs here)."""

from __future__ import annotations

from pathlib import Path

import yaml

from models.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_every_pledges_variable_names_a_setting():
    fields = set(Settings.model_fields)
    for name, service in compose()["services"].items():
        for key in service.get("environment", {}):
            if key.startswith("PLEDGES_"):
                assert key.removeprefix("PLEDGES_").lower() in fields, (name, key)


def test_the_api_reads_opensearch_and_is_healthy_only_when_ready():
    services = compose()["services"]
    api = services["api"]
    assert api["environment"]["PLEDGES_BACKEND"] == "opensearch"
    assert api["environment"]["PLEDGES_OPENSEARCH_URL"] == "http://opensearch:9200"
    assert api["command"][:4] == ["pledges", "serve", "--host", "0.0.0.0"]
    assert "/ready" in " ".join(api["healthcheck"]["test"])
    assert api["depends_on"]["opensearch"]["condition"] == "service_healthy"
    assert services["ui"]["environment"]["PLEDGES_API_URL"] == "http://api:8000"
    assert services["ui"]["command"][:4] == ["pledges", "ui", "--host", "0.0.0.0"]  # reachable from the host
    assert services["ui"]["depends_on"]["api"]["condition"] == "service_healthy"
    assert services["indexer"]["command"][:2] == ["pledges", "index"]
    assert services["indexer"]["restart"] == "no"


def test_opensearch_runs_single_node_without_security_and_with_a_bounded_heap():
    opensearch = compose()["services"]["opensearch"]
    env = opensearch["environment"]
    assert opensearch["image"].startswith("opensearchproject/opensearch:2.")
    assert env["discovery.type"] == "single-node"
    assert env["DISABLE_SECURITY_PLUGIN"] == "true"
    assert "-Xmx" in env["OPENSEARCH_JAVA_OPTS"]
    ports = [port for service in compose()["services"].values() for port in service.get("ports", [])]
    assert ports and all(port.startswith("127.0.0.1:") for port in ports)


def test_the_image_installs_cpu_torch_before_the_project():
    lines = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if not line.startswith("#")]
    assert next(line for line in lines if line.startswith("FROM")) == "FROM python:3.11-slim"
    torch = next(i for i, line in enumerate(lines) if "torch==2.13.0" in line)
    assert "--index-url https://download.pytorch.org/whl/cpu" in lines[torch]
    project = next(i for i, line in enumerate(lines) if '".[opensearch]"' in line)
    assert torch < project


def test_compose_runs_the_opensearch_the_tests_run():
    """The image is the version scripts/opensearch.sh installs from Maven Central, with the heap of the test
    nodes; the vectors use the lucene k-NN engine, the only one the tests exercise (no native libraries)."""
    import re

    from search_api.backends.opensearch.mappings import knn_field_mapping

    script = (ROOT / "scripts" / "opensearch.sh").read_text()
    version = re.search(r"^VERSION=(\S+)$", script, re.M)
    assert version is not None
    opensearch = compose()["services"]["opensearch"]
    assert opensearch["image"] == f"opensearchproject/opensearch:{version.group(1)}"
    assert "-Xmx512m" in opensearch["environment"]["OPENSEARCH_JAVA_OPTS"]
    assert re.search(r"heap=512m", script)
    assert knn_field_mapping(384)["method"]["engine"] == "lucene"
    assert compose()["x-pledges-env"]["PLEDGES_OPENSEARCH_TIMEOUT_S"]
