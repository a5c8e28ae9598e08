"""The API's reference page, rendered on the server from the OpenAPI document itself: nothing to
load from elsewhere, no script, and it cannot drift from what the API answers."""

import functools
from dataclasses import dataclass, field

from django.utils.translation import gettext

from api.endpoints import api


@dataclass
class Parameter:
    name: str
    where: str
    type: str
    required: bool
    description: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    personal: bool
    parameters: list[Parameter]
    response: str


@dataclass
class Component:
    name: str
    fields: list[tuple[str, str, bool]] = field(default_factory=list)


def _type(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type(option) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list[{_type(schema.get('items', {}))}]"
    if "enum" in schema:
        return " | ".join(f'"{value}"' for value in schema["enum"])
    kind = schema.get("type", "object")
    return f"{kind} ({schema['format']})" if "format" in schema else kind


@functools.cache
def document() -> dict:
    """Built once per process (a few seconds the first time: pydantic compiles every schema)."""
    return api.get_openapi_schema(path_prefix="/api/v1")


def operations(schema: dict) -> list[Operation]:
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            # ninja keys the responses by number; the JSON document by text.
            responses = operation["responses"]
            ok = responses.get(200) or responses.get("200") or {}
            content = ok.get("content", {}).get("application/json", {})
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    # German in the document (the source strings, marked in api/endpoints.py), in the
                    # reader's language on this page.
                    summary=gettext(operation.get("summary", "")) if operation.get("summary") else "",
                    description=gettext(operation.get("description", ""))
                    if operation.get("description")
                    else "",
                    personal=operation.get("tags", [""])[0] == "personal",
                    parameters=[
                        Parameter(
                            name=parameter["name"],
                            where=parameter["in"],
                            type=_type(parameter.get("schema", {})),
                            required=parameter.get("required", False),
                            description=parameter.get("description", ""),
                        )
                        for parameter in operation.get("parameters", [])
                    ],
                    response=_type(content.get("schema", {})),
                )
            )
    return found


def components(schema: dict) -> list[Component]:
    found = []
    for name, component in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(component.get("required", []))
        found.append(
            Component(
                name=name,
                fields=[
                    (key, _type(value), key in required)
                    for key, value in component.get("properties", {}).items()
                ],
            )
        )
    return found
