#!/usr/bin/env python3
"""Validates cohortmatch JSON results against docs/schema/result.schema.json.

    check_schema.py [--schema FILE] result.json [more.json ...]

Also checks what the schema cannot say: the keys appear in the documented
order, and the file ends with one newline. Exit status 0 when every file is
valid, 1 when one is not (each problem printed as file: path: message),
2 on usage errors. Needs python3-jsonschema (Debian) / jsonschema >= 4.
"""
import argparse
import json
import os
import sys

try:
    import jsonschema
except ImportError:  # pragma: no cover
    sys.stderr.write("check_schema.py: python3-jsonschema is not installed\n")
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMA = os.path.join(HERE, "..", "..", "docs", "schema", "result.schema.json")


def schema_key_order(schema, node, path, json_path, problems, value):
    """Walks value beside schema and reports objects whose keys are out of the
    order the schema lists them in (the writer's order is part of the contract)."""
    if "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/$defs/")
        node = schema["$defs"][ref[len("#/$defs/"):]]
    if isinstance(value, dict) and "properties" in node:
        order = list(node["properties"].keys())
        keys = [k for k in value.keys() if k in order]
        if keys != sorted(keys, key=order.index):
            problems.append("%s: keys out of order: %s" % (json_path or "/", ", ".join(keys)))
        for key, item in value.items():
            if key in node["properties"] and isinstance(node["properties"][key], dict):
                schema_key_order(schema, node["properties"][key], path, json_path + "/" + key,
                                 problems, item)
    elif isinstance(value, list) and isinstance(node.get("items"), dict):
        for i, item in enumerate(value):
            schema_key_order(schema, node["items"], path, "%s/%d" % (json_path, i), problems,
                             item)


def check(path, schema, validator):
    problems = []
    with open(path, "rb") as f:
        data = f.read()
    if not data.endswith(b"\n") or data.endswith(b"\n\n"):
        problems.append("/: the file must end with exactly one newline")
    try:
        value = json.loads(data.decode("utf-8"), object_pairs_hook=dict)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return ["/: not JSON: %s" % e]
    for error in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path)):
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        problems.append("%s: %s" % (where, error.message))
    if not problems:
        schema_key_order(schema, schema, path, "", problems, value)
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", default=DEFAULT_SCHEMA)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    with open(args.schema) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    status = 0
    for path in args.files:
        for problem in check(path, schema, validator):
            print("%s: %s" % (path, problem))
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
