"""The deployment sets exactly the settings the API reads (api/settings.py)."""

from __future__ import annotations

import pytest
import yaml

from api.settings import ENVIRONMENT
from tests.infra.helpers import COMPOSE_FILE, OVERLAYS, find, pod_specs

# Read by the API but meaningless in a deployment: the folder of the embedded
# development database, which APP_ENV=production refuses to use.
NOT_DEPLOYED = {"EXPENSE_DATA_DIR"}
SECRETS = {"DATABASE_URL", "JWT_SECRET"}


def assert_values_parse(values: dict[str, str], where: str) -> None:
    """Each literal value is one the API's own parser for it accepts."""
    for name, raw in values.items():
        _field, parse = ENVIRONMENT[name]
        parse(name, raw)
    assert values["APP_ENV"] == "production", where
    assert int(values["DB_POOL_MIN_SIZE"]) <= int(values["DB_POOL_MAX_SIZE"]), where


def container_environment(objects: list[dict], container: dict) -> dict[str, str | None]:
    """Name -> literal value (None when it comes from a Secret) of one container."""
    config_maps = {
        obj["metadata"]["name"]: obj.get("data", {}) for obj in find(objects, "ConfigMap")
    }
    environment: dict[str, str | None] = {}
    for source in container.get("envFrom", []):
        assert "configMapRef" in source, "secrets are injected key by key, not wholesale"
        environment.update(config_maps[source["configMapRef"]["name"]])
    for variable in container.get("env", []):
        environment[variable["name"]] = variable.get("value")
    return environment


def assert_matches_settings(names: set[str], where: str) -> None:
    unknown = names - ENVIRONMENT.keys()
    assert not unknown, f"{where} sets variables the API does not read: {sorted(unknown)}"
    missing = ENVIRONMENT.keys() - names - NOT_DEPLOYED
    assert not missing, f"{where} does not set settings the API reads: {sorted(missing)}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_manifests_set_exactly_the_api_settings(rendered, overlay):
    objects = rendered[overlay]
    checked = 0
    for where, spec in pod_specs(objects):
        for container in spec["containers"]:
            if container["name"] not in {"api", "migrate", "prune", "rates"}:
                continue
            environment = container_environment(objects, container)
            assert_matches_settings(set(environment), f"{overlay}: {where}")
            assert {name for name, value in environment.items() if value is None} == SECRETS
            # The literal values are ones the API accepts in production.
            values = {name: value for name, value in environment.items() if value is not None}
            assert_values_parse(values, f"{overlay}: {where}")
            checked += 1
    assert checked == 4, "expected the server, the migration Job, the prune and rates CronJobs"


@pytest.mark.parametrize("service", ["migrate", "api"])
def test_compose_sets_exactly_the_api_settings(service):
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    environment = compose["services"][service]["environment"]
    assert_matches_settings(set(environment), f"compose service {service}")
    # Interpolated values (${...}) stand in for what the operator exports.
    values = {name: str(value) for name, value in environment.items() if "${" not in str(value)}
    assert_values_parse(values, f"compose service {service}")
