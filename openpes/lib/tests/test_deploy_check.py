import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_deploy_check_has_no_warnings_with_production_settings(tmp_path):
    """S1: `manage.py check --deploy` is clean for a production configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENPES_", "DATABASE_URL", "DJANGO_"))}
    env.update(
        OPENPES_ENV="production",
        OPENPES_SECRET_KEY="k9!Qz" * 12,
        OPENPES_ALLOWED_HOSTS="pes.example",
        OPENPES_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
