"""What the demo tests share: running the command, the demo accounts, the seed."""

import re
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

# The French page of the 2023 edition the demo's French texts are copied from.
SEED = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "000_c20a702012678ae0.txt"
ACCOUNTS = [
    "secretariat@example.org",
    "secretariat2@example.org",
    "accion-andina@example.org",
    "escola-livre@example.org",
    "signatory@example.org",
    "reviewer@example.org",
    "reviewer2@example.org",
    "reviewer3@example.org",
]
REVIEWERS = ["reviewer@example.org", "reviewer2@example.org", "reviewer3@example.org"]


def load_demo(**options) -> str:
    out = StringIO()
    # Test settings have DEBUG = False, like production: --force is required.
    call_command("load_demo", force=True, stdout=out, **options)
    return out.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\S+@\S+)\s+password: (\S+)$", output, flags=re.MULTILINE))
