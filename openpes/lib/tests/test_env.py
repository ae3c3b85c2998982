import os
import subprocess
import sys
from pathlib import Path

import pytest

from openpes.lib.env import EnvError, env_bool, env_choice, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[3]


def test_env_helpers_read_good_values():
    environ = {"A": "yes", "B": "42", "C": "a, b,,c", "D": "postgres"}
    assert env_bool("A", False, environ=environ) is True
    assert env_int("B", 0, minimum=1, environ=environ) == 42
    assert env_list("C", [], environ=environ) == ["a", "b", "c"]
    assert env_choice("D", "sqlite", {"sqlite", "postgres"}, environ=environ) == "postgres"
    assert env_str("MISSING", "fallback", environ=environ) == "fallback"


@pytest.mark.parametrize(
    ("call", "variable"),
    [
        (lambda: env_bool("FLAG", False, environ={"FLAG": "maybe"}), "FLAG"),
        (lambda: env_int("PORT", 1, environ={"PORT": "eighty"}), "PORT"),
        (lambda: env_int("PORT", 1, maximum=10, environ={"PORT": "80"}), "PORT"),
        (lambda: env_choice("MODE", "a", {"a", "b"}, environ={"MODE": "c"}), "MODE"),
        (lambda: env_str("SECRET", environ={}), "SECRET"),
    ],
)
def test_bad_values_raise_an_error_naming_the_variable(call, variable):
    with pytest.raises(EnvError, match=variable):
        call()


def _start_django(**extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENPES_", "DATABASE_URL", "DJANGO_"))}
    env.update(extra)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='openpes.settings'; django.setup()",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("extra", "variable"),
    [
        ({"OPENPES_ENV": "production"}, "OPENPES_SECRET_KEY"),
        ({"OPENPES_ENV": "staging"}, "OPENPES_ENV"),
        ({"OPENPES_DEBUG": "perhaps"}, "OPENPES_DEBUG"),
        ({"DATABASE_URL": "mysql://localhost/openpes"}, "DATABASE_URL"),
        ({"OPENPES_STAFF_SESSION_IDLE_SECONDS": "ten"}, "OPENPES_STAFF_SESSION_IDLE_SECONDS"),
        (
            {"OPENPES_ENV": "production", "OPENPES_SECRET_KEY": "x" * 60, "OPENPES_ALLOWED_HOSTS": "pes.example"},
            "OPENPES_SECRET_KEY",
        ),
    ],
)
def test_start_up_stops_with_a_message_naming_the_bad_variable(extra, variable):
    result = _start_django(**extra)
    assert result.returncode != 0
    assert variable in result.stderr


def test_production_settings_start_with_good_values():
    result = _start_django(
        OPENPES_ENV="production",
        OPENPES_SECRET_KEY="k9!Qz" * 12,
        OPENPES_ALLOWED_HOSTS="pes.example",
    )
    assert result.returncode == 0, result.stderr
