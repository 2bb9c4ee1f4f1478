"""The deployment files agree with the settings and the README.

No Docker engine runs where the tests run, so these read docker-compose.yml, the Dockerfile and
the scripts as files; the production settings are imported for real in a subprocess.
"""

import ast
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")
# Read by Django or Celery themselves rather than by our settings modules.
FRAMEWORK_VARIABLES = {"DJANGO_SETTINGS_MODULE"}
ENVIRONMENT_READERS = {"os.environ.get", "os.environ.setdefault", "os.getenv"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def documented_variables() -> set[str]:
    """Variable names in the first column of the README's configuration table."""
    readme = (ROOT / "README.md").read_text()
    return set(re.findall(r"^\|\s*`([A-Z][A-Z0-9_]*)`", readme, flags=re.MULTILINE))


def command_line(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else " ".join(command.split())


def settings_variables() -> set[str]:
    """Environment variables that config/settings/*.py read, found in their syntax tree.

    Counts os.environ.get("X"), os.environ.setdefault("X", ...), os.environ["X"], os.getenv("X")
    and any helper named env_* (env_bool, env_list...) called with a literal name.
    """
    names = set()
    for path in sorted((ROOT / "config" / "settings").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            literal = None
            if isinstance(node, ast.Call) and node.args:
                function = ast.unparse(node.func)
                if function in ENVIRONMENT_READERS or re.fullmatch(r"env_\w+", function):
                    literal = node.args[0]
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                literal = node.slice
            if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                names.add(literal.value)
    return names


def test_compose_file_has_the_services(compose):
    assert {"db", "redis", "cache", "web", "worker", "beat"} <= set(compose["services"])
    assert compose["services"]["db"]["image"].startswith("postgres:15")
    assert compose["services"]["redis"]["image"].startswith("redis:7")


def test_app_services_run_the_expected_commands(compose):
    services = compose["services"]
    web = command_line(services["web"])
    assert "gunicorn config.wsgi" in web
    assert web.index("manage.py migrate") < web.index("gunicorn")
    assert "celery -A config worker" in command_line(services["worker"])
    assert "celery -A config beat" in command_line(services["beat"])


def test_app_services_share_one_production_environment(compose):
    environments = [compose["services"][name]["environment"] for name in APP_SERVICES]
    assert all(environment == environments[0] for environment in environments)
    environment = environments[0]
    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "MEDIA_ROOT"):
        assert environment.get(name), name
    assert "@db:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")


def test_settings_reads_are_found():
    # Guards the syntax-tree search below against silently finding nothing.
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DEBUG", "ALLOWED_HOSTS"} <= (
        settings_variables()
    )


def test_every_variable_the_settings_read_is_documented(documented_variables):
    missing = (settings_variables() | FRAMEWORK_VARIABLES) - documented_variables
    assert not missing, f"not in the README's configuration table: {sorted(missing)}"


def test_every_variable_compose_sets_is_documented(compose, documented_variables):
    used = set()
    for name in APP_SERVICES:
        used |= set(compose["services"][name]["environment"])
    missing = used - documented_variables
    assert not missing, f"set in docker-compose.yml, not in the README: {sorted(missing)}"


def test_every_variable_of_the_env_example_is_documented(documented_variables):
    lines = (ROOT / ".env.example").read_text().splitlines()
    names = {line.split("=", 1)[0] for line in lines if re.match(r"[A-Z][A-Z0-9_]*=", line)}
    assert names
    missing = names - documented_variables
    assert not missing, f"in .env.example, not in the README: {sorted(missing)}"


def test_media_volume_is_mounted_at_media_root(compose):
    named_volumes = set(compose.get("volumes") or {})
    for name in ("web", "worker"):
        service = compose["services"][name]
        media_root = service["environment"]["MEDIA_ROOT"]
        mounts = [volume.split(":") for volume in service.get("volumes", [])]
        assert any(
            source in named_volumes and target == media_root for source, target, *_ in mounts
        ), f"{name} has no named volume at {media_root}"


def test_dockerfile_builds_from_registries_only():
    dockerfile = (ROOT / "Dockerfile").read_text()
    instructions = "\n".join(
        line for line in dockerfile.splitlines() if not line.lstrip().startswith("#")
    )
    assert re.search(r"^FROM python:3\.13-slim", instructions, flags=re.MULTILINE)
    assert "compilemessages" in instructions
    assert "collectstatic" in instructions
    assert "-c requirements.lock" in instructions
    assert "npm ci" in instructions
    # No CDN or other download outside the package managers, and no browser download.
    assert not re.search(r"https?://|\bcurl\b|\bwget\b|cdn", instructions, flags=re.IGNORECASE)
    assert "playwright install" not in instructions
    # The app runs as an unprivileged user.
    users = re.findall(r"^USER\s+(\S+)", instructions, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert "config.wsgi" in instructions.rsplit("CMD", 1)[-1]


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".venv", "node_modules", "db.sqlite3", ".git"} <= ignored


@pytest.mark.parametrize("name", ["install", "run", "test"])
def test_scripts_are_executable_bash(name):
    path = ROOT / "scripts" / name
    assert os.access(path, os.X_OK), f"scripts/{name} is not executable"
    subprocess.run(["bash", "-n", str(path)], check=True)


def test_ci_script_is_valid_bash():
    subprocess.run(["bash", "-n", str(ROOT / ".ci" / "run")], check=True)


def production_environment(**overrides: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest for this process.
        if key
        not in {
            "SECRET_KEY",
            "DEBUG",
            "EMAIL_BACKEND",
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    environment.update(overrides)
    return environment


def test_production_settings_refuse_to_load_without_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(
            SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="grants.example.org"
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output, output


def production_settings(**overrides: str) -> dict:
    """CACHES and the broker as the production settings compute them from ``overrides``."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'cache': settings.CACHES['default'], "
        "'broker': settings.CELERY_BROKER_URL, 'results': settings.CELERY_RESULT_BACKEND}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_environment(
            SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="grants.example.org", **overrides
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_cache_is_apart_from_the_broker_and_degrades():
    """Finding 5 and 7: the cache shared the broker's Redis database, and a cache error was a
    server error."""
    computed = production_settings(REDIS_URL="redis://redis:6379/0")
    assert computed["broker"] == "redis://redis:6379/0"
    assert computed["cache"]["LOCATION"] == "redis://redis:6379/1"
    assert computed["cache"]["BACKEND"] == "core.cache.FailSafeRedisCache"
    assert computed["results"] is None  # nothing reads task results; sending never waits on them
    own = production_settings(REDIS_URL="redis://redis:6379/0", REDIS_CACHE_URL="redis://c:6379/0")
    assert own["cache"]["LOCATION"] == "redis://c:6379/0"


def test_compose_gives_the_cache_its_own_bounded_redis(compose):
    cache = compose["services"]["cache"]
    command = command_line(cache)
    assert "--maxmemory " in command and "--maxmemory-policy allkeys-lru" in command
    environment = compose["services"]["web"]["environment"]
    assert environment["REDIS_CACHE_URL"].startswith("redis://cache:")
    assert environment["REDIS_URL"].startswith("redis://redis:")
    # The broker's Redis must never evict queued tasks.
    assert "maxmemory-policy" not in command_line(compose["services"]["redis"])
