"""The Nu HTML Checker (npm vnu-jar, run with the machine's Java), shared by the tests that
check pages and emails are valid HTML."""

import json
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_errors(files: list[Path]) -> list[str]:
    """Check every file in one run of the checker (the JVM starts once); return the errors as
    "file:line: message" lines, empty when all are valid."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker: the install step installs it."
    assert VNU.exists(), "node_modules/vnu-jar is missing: run scripts/install --test."
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
