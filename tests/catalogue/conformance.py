"""Checks a record against what the field publishes: the official JSON Schemas (with formats
checked) and the data·inclusion pydantic models with their warnings enabled."""

import json
from pathlib import Path

from data_inclusion.schema import v1
from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).parent.parent / "fixtures" / "data-inclusion-schema"
VALIDATORS = {
    kind: Draft202012Validator(
        json.loads((SCHEMAS / f"{kind}.json").read_text(encoding="utf-8")),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    for kind in ("structure", "service")
}
MODELS = {"structure": v1.Structure, "service": v1.Service}


def schema_errors(kind, record):
    return [
        f"{'.'.join(map(str, e.path))}: {e.message}" for e in VALIDATORS[kind].iter_errors(record)
    ]


def assert_conformant(kind, records):
    assert records, "nothing to check"
    for record in records:
        assert schema_errors(kind, record) == [], record["id"]
        MODELS[kind].model_validate(record, context={"ignore_warnings": False})
