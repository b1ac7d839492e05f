"""Validating API answers against the official HSDS 3.0 schemas and OpenAPI description.

The schema files are the tests' copy (``tests/exchange/data/hsds/schema``); the OpenAPI
description is the app's unchanged copy (``api/data/openapi.json``). Its ``$ref``s point at
raw.githubusercontent.com; they are served from the local files (no network): a
``compiled/…`` schema is the same file (its references are resolved here anyway), a
``…_list`` schema the full one.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7, DRAFT202012

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "tests" / "exchange" / "data" / "hsds" / "schema"
OPENAPI = ROOT / "api" / "data" / "openapi.json"
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
OPENAPI_URI = "https://assetmap.test/openapi.json"


@cache
def registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        resource = Resource.from_contents(json.loads(path.read_text()), DRAFT7)
        for prefix in (BASE, f"{BASE}compiled/"):
            resources.append((f"{prefix}{path.name}", resource))
            resources.append((f"{prefix}{path.stem}_list.json", resource))
    openapi = Resource.from_contents(json.loads(OPENAPI.read_text()), DRAFT202012)
    return Registry().with_resources([*resources, (OPENAPI_URI, openapi)])


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


# HSDS 3.0's OpenAPI description has no /locations; these answer like the other lists, with
# the official location schema.
EXTRA: dict[str, dict] = {
    "/locations": {
        "allOf": [{"$ref": f"{OPENAPI_URI}#/components/schemas/Page"}],
        "properties": {"contents": {"type": "array", "items": {"$ref": f"{BASE}location.json"}}},
    },
    "/locations/{id}": {"$ref": f"{BASE}location.json"},
}


def response_schema(path: str) -> dict:
    """The 200 answer's schema of ``path`` (an OpenAPI path such as ``/services/{id}``)."""
    if path in EXTRA:
        return EXTRA[path]
    pointer = _pointer("paths", path, "get", "responses", "200", "content", "application/json")
    return {"$ref": f"{OPENAPI_URI}#/{pointer}/schema"}


def errors(data: object, schema: dict) -> list[str]:
    validator = Draft202012Validator(schema, registry=registry(), format_checker=FormatChecker())
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ]


def schema_file(name: str) -> dict:
    return {"$ref": f"{BASE}{name}.json"}
