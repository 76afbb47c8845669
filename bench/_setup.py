"""Shared start-up for benchmark commands: Django on its own database, never the dev one."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def django_setup(database_url=None):
    OUT.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_URL"] = (
        database_url or os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{OUT / 'bench.sqlite3'}"
    )
    os.environ.setdefault("BPD_MEDIA_ROOT", str(OUT / "media"))
    # The file cache and task queue of the benchmark, never the dev server's in var/.
    os.environ.setdefault("BPD_VAR_DIR", str(OUT / "var"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
