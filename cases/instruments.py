"""Loading screening instruments from their data files (cases/instruments/*.json).

An instrument version is immutable once loaded: loading a file whose (code, version) exists
with a different definition is refused — a changed instrument is a new version, and answers
already given keep scoring with the version they were given under (cases.scoring).
"""

import json
from pathlib import Path

from django.apps.registry import Apps

from cases.scoring import RULES

BUNDLED = Path(__file__).resolve().parent / "instruments"
REQUIRED_KEYS = {"code", "name", "version", "scoring", "questions", "source", "licence"}


class InstrumentFileError(ValueError):
    pass


def read_definition(path: Path) -> dict:
    try:
        definition = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise InstrumentFileError(f"{path.name}: {error}") from error
    missing = REQUIRED_KEYS - set(definition)
    if missing:
        raise InstrumentFileError(f"{path.name}: missing {sorted(missing)}")
    if definition["scoring"] not in RULES:
        raise InstrumentFileError(f"{path.name}: unknown scoring rule {definition['scoring']!r}")
    ids = [question["id"] for question in definition["questions"]]
    if len(ids) != len(set(ids)):
        raise InstrumentFileError(f"{path.name}: question ids repeat")
    return definition


def load_definition(apps: Apps, definition: dict) -> tuple[object, bool]:
    """Create the instrument version if new; returns (version, created)."""
    Instrument = apps.get_model("cases", "Instrument")
    InstrumentVersion = apps.get_model("cases", "InstrumentVersion")
    instrument, _ = Instrument.objects.get_or_create(
        code=definition["code"], defaults={"name": definition["name"]}
    )
    existing = InstrumentVersion.objects.filter(
        instrument=instrument, version=definition["version"]
    ).first()
    if existing is not None:
        if existing.definition != definition:
            raise InstrumentFileError(
                f"{definition['code']} version {definition['version']} is already loaded with a "
                "different definition: give the changed instrument a new version."
            )
        return existing, False
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        version=definition["version"],
        definition=definition,
        source=definition["source"],
        licence=definition["licence"],
    )
    return version, True


def load_bundled(apps: Apps) -> None:
    for path in sorted(BUNDLED.glob("*.json")):
        load_definition(apps, read_definition(path))
