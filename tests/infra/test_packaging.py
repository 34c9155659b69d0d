"""The API image and the compose stack, read offline (no Docker engine here)."""

from __future__ import annotations

import re

import yaml

from tests.infra.helpers import COMPOSE_FILE, DOCKERFILE, REPO


def stages() -> list[list[str]]:
    """Dockerfile instructions (continuations joined, comments dropped) per stage."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    result: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            result.append([])
        if result:
            result[-1].append(line)
    return result


def test_image_is_multi_stage_on_a_slim_base_pinned_by_digest():
    all_stages = stages()
    assert len(all_stages) >= 2
    bases = {stage[0].split()[1] for stage in all_stages}
    assert len(bases) == 1, bases  # one base, bumped in one place
    for base in bases:
        assert re.fullmatch(r"python:3\.\d+\.\d+-slim-\w+@sha256:[0-9a-f]{64}", base), base


def test_dependencies_are_built_in_the_builder_and_no_compiler_ships():
    builder, *_, runtime = stages()
    builder_text = "\n".join(builder)
    # Hash-checked dependencies first, then the project alone, offline.
    assert "pip install --require-hashes --no-deps -r requirements.lock" in builder_text
    assert "pip install --no-deps --no-build-isolation --no-index ." in builder_text
    assert "build-essential" in builder_text
    runtime_text = "\n".join(runtime)
    for tool in ("build-essential", "gcc", "apt-get install", "pip install"):
        assert tool not in runtime_text, f"the runtime stage must not {tool}"
    assert "COPY --from=builder /opt/venv /opt/venv" in runtime_text


def test_image_runs_the_api_as_a_high_uid_on_a_read_only_root():
    runtime = stages()[-1]
    (user,) = [line for line in runtime if line.startswith("USER ")]
    uid, _, gid = user.split()[1].partition(":")
    assert int(uid) >= 10000
    assert int(gid) >= 10000
    assert 'ENTRYPOINT ["expense-api"]' in runtime
    assert 'CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]' in runtime
    text = "\n".join(runtime)
    # Nothing is written at run time: no bytecode files next to the code.
    assert "PYTHONDONTWRITEBYTECODE=1" in text
    assert any(line.startswith("HEALTHCHECK ") and "/health" in line for line in runtime)


def test_build_context_is_only_what_the_image_needs():
    lines = (REPO / ".dockerignore").read_text().splitlines()
    rules = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert rules[0] == "*"
    assert {"!pyproject.toml", "!README.md", "!api/", "!migrations/", "!wire/"} <= set(rules)
    assert "!packaging/api/requirements.lock" in rules
    copied = {
        line.split()[1] for line in stages()[0] if line.startswith("COPY ") and "--from" not in line
    }
    assert copied == {
        "packaging/api/requirements.lock",
        "pyproject.toml",
        "api",
        "migrations",
        "wire",
    }


def test_compose_runs_migrations_before_the_api_and_checks_health():
    services = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    assert set(services) == {"db", "migrate", "api"}
    assert services["db"]["image"].startswith("postgres:16.")
    assert "healthcheck" in services["db"]
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    api = services["api"]
    assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "/health" in " ".join(api["healthcheck"]["test"])
    for name in ("migrate", "api"):
        service = services[name]
        assert service["build"]["dockerfile"] == "packaging/api/Dockerfile"
        assert service["read_only"] is True
        assert service["cap_drop"] == ["ALL"]
        assert "no-new-privileges:true" in service["security_opt"]
    # Only on the loopback of the host.
    assert api["ports"] == ["127.0.0.1:8000:8000"]
