#!/usr/bin/env python3
"""Checks TaxLink's interface contracts and a file of TransactionRecords against them.

    python3 .ci/check-contracts.py RECORDS.jsonl

RECORDS.jsonl holds one `ecom-tax-record/1` record per line, as `taxlink records --format jsonl`
prints them. The script checks, each counted as one check:

* every `contracts/*.schema.json` is a valid JSON Schema 2020-12 document, with a `$id`, whose
  every `$ref` resolves (through a `referencing` registry holding all the contract schemas);
* every `contracts/*.openapi.yaml` parses as YAML (PyYAML), says `openapi: 3.1.x`, and every
  `$ref` and `externalValue` in it points at something that exists;
* every `contracts/examples/*.json` is valid against its schema, chosen by the file name's prefix
  (`batch` -> ecom-tax-batch/1, `receipt` -> receipt, `record` -> ecom-tax-record/1), and a receipt
  agrees with the batch of the same `batch_id` (counts, record ids, body SHA-256 of the batch file);
* every line of RECORDS.jsonl is valid against `contracts/ecom-tax-record-1.schema.json` and keeps
  the record rules of shared/spec/ministry-exchange.md that JSON Schema cannot express (see
  `record_rule_violations`).

Integers are strict: JSON Schema 2020-12 counts `300000.0` as an integer, the ministry's format
does not ("Integers are written as integers"), so `integer` here accepts only integer literals, and
any number written with a fraction or an exponent fails (none of these formats has another kind).
JSON texts with duplicate member names or NaN/Infinity are rejected.

Prints each failure, a breakdown, and `N passed, M failed` as its last line. Exits 1 when anything
failed or RECORDS.jsonl holds no record, 0 otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urldefrag, urljoin

try:
    import yaml
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import extend
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as error:  # pragma: no cover - environment problem
    print(f"check-contracts: missing Python package ({error.name}); run: pip install jsonschema pyyaml", file=sys.stderr)
    print("0 passed, 1 failed")
    sys.exit(1)

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"
EXAMPLES = CONTRACTS / "examples"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
RECORD_SCHEMA = "ecom-tax-record-1.schema.json"
BATCH_SCHEMA = "ecom-tax-batch-1.schema.json"
RECEIPT_SCHEMA = "receipt.schema.json"
EXAMPLE_SCHEMAS = {"batch": BATCH_SCHEMA, "receipt": RECEIPT_SCHEMA, "record": RECORD_SCHEMA}
MAX_ERRORS_SHOWN = 5


class DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(f"duplicate member name {key!r}")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(text: str) -> Any:
    """Parses JSON strictly: no duplicate member names, no NaN or Infinity."""
    return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)


def _strict_integer(_checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


StrictValidator = extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integer),
)


class Checks:
    """Counts passed and failed checks per section and prints each failure."""

    def __init__(self) -> None:
        self.sections: dict[str, list[int]] = {}

    def record(self, section: str, name: str, problems: list[str]) -> bool:
        counts = self.sections.setdefault(section, [0, 0])
        if problems:
            counts[1] += 1
            print(f"FAIL {name}")
            for problem in problems[:MAX_ERRORS_SHOWN]:
                print(f"     {problem}")
            if len(problems) > MAX_ERRORS_SHOWN:
                print(f"     … and {len(problems) - MAX_ERRORS_SHOWN} more")
            return False
        counts[0] += 1
        return True

    @property
    def passed(self) -> int:
        return sum(counts[0] for counts in self.sections.values())

    @property
    def failed(self) -> int:
        return sum(counts[1] for counts in self.sections.values())


def walk(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object in a JSON/YAML tree, with its JSON pointer."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{str(key).replace('~', '~0').replace('/', '~1')}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}/{index}")


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer (`/a/b`), or KeyError."""
    if pointer in ("", "/"):
        return document
    node = document
    for raw in pointer.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            raise KeyError(pointer)
    return node


def error_text(error: Any) -> str:
    location = error.json_path if hasattr(error, "json_path") else "/".join(map(str, error.absolute_path))
    return f"{location}: {error.message}"


def schema_errors(validator: Any, instance: Any) -> list[str]:
    try:
        errors = sorted(validator.iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    except Exception as error:  # an unresolvable $ref or a broken schema: a failure, not a crash
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return [f"cannot validate: {type(error).__name__}: {first_line}"]
    problems = [error_text(error) for error in errors]
    # A `$ref` into another resource is validated by the class its `$schema` names (jsonschema's
    # `evolve`), which has the lenient integer; so numbers written with a fraction or an exponent are
    # also looked for directly. Every number in these formats is an integer.
    reported = {getattr(error, "json_path", None) for error in errors}
    for location, value in non_integer_numbers(instance):
        if location not in reported:
            problems.append(f"{location}: {value!r} is not an integer literal (the format writes integers only)")
    return problems


def non_integer_numbers(node: Any, location: str = "$") -> Iterator[tuple[str, float]]:
    """Every number parsed from a literal with a fraction or an exponent (a Python float)."""
    if isinstance(node, float):
        yield location, node
    elif isinstance(node, dict):
        for key, value in node.items():
            child = f"{location}.{key}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else f"{location}[{json.dumps(key)}]"
            yield from non_integer_numbers(value, child)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from non_integer_numbers(value, f"{location}[{index}]")


# --- contract files ------------------------------------------------------------------------------


def load_schemas(checks: Checks) -> tuple[Registry, dict[str, dict[str, Any]]]:
    """Checks every schema file and returns a registry of them and the schemas by file name."""
    files = sorted(CONTRACTS.glob("*.schema.json"))
    schemas: dict[str, dict[str, Any]] = {}
    problems_by_file: dict[str, list[str]] = {}
    for path in files:
        problems: list[str] = []
        try:
            schema = parse_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            problems.append(f"not JSON: {error}")
            schema = None
        if isinstance(schema, dict):
            if schema.get("$schema") != DIALECT:
                problems.append(f"$schema is {schema.get('$schema')!r}, not {DIALECT!r}")
            if not isinstance(schema.get("$id"), str) or not schema["$id"]:
                problems.append("no $id")
            try:
                StrictValidator.check_schema(schema)
            except SchemaError as error:
                problems.append(f"not a valid 2020-12 schema: {error_text(error)}")
            schemas[path.name] = schema
        elif schema is not None:
            problems.append("the document is not a JSON object")
        problems_by_file[path.name] = problems

    ids: dict[str, str] = {}
    for name, schema in schemas.items():
        schema_id = schema.get("$id")
        if isinstance(schema_id, str) and schema_id:
            if schema_id in ids:
                problems_by_file[name].append(f"$id {schema_id} is also the $id of {ids[schema_id]}")
            ids[schema_id] = name
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT202012))
        for schema in schemas.values()
        if isinstance(schema.get("$id"), str) and schema["$id"]
    ).crawl()

    for name, schema in schemas.items():
        base = schema.get("$id") or ""
        resolver = registry.resolver(base_uri=base)
        for pointer, node in walk(schema):
            reference = node.get("$ref")
            if not isinstance(reference, str) or pointer.endswith("/properties"):
                continue
            try:
                resolver.lookup(reference)
            except Exception as error:  # referencing raises several unresolvable kinds
                problems_by_file[name].append(f"{pointer or '/'}: $ref {reference!r} does not resolve ({type(error).__name__})")

    for name, problems in problems_by_file.items():
        if problems and name in schemas:
            del schemas[name]  # not used to validate anything: its own failure is reported once
    for required in (RECORD_SCHEMA, BATCH_SCHEMA, RECEIPT_SCHEMA):
        if required not in problems_by_file:
            problems_by_file[required] = ["the file is missing"]
    for name, problems in sorted(problems_by_file.items()):
        checks.record("contracts", f"contracts/{name}", problems)
    return registry, schemas


def check_openapi(checks: Checks) -> None:
    files = sorted(CONTRACTS.glob("*.openapi.yaml"))
    expected = {"connector-api.openapi.yaml", "ministry-intake.openapi.yaml"}
    for missing in sorted(expected - {path.name for path in files}):
        checks.record("contracts", f"contracts/{missing}", ["the file is missing"])
    for path in files:
        problems: list[str] = []
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            checks.record("contracts", f"contracts/{path.name}", [f"not YAML: {error}"])
            continue
        if not isinstance(document, dict):
            checks.record("contracts", f"contracts/{path.name}", ["the document is not a mapping"])
            continue
        version = document.get("openapi")
        if not isinstance(version, str) or not re.fullmatch(r"3\.1\.\d+", version):
            problems.append(f"openapi is {version!r}, not a 3.1.x version string")
        for key in ("info", "paths"):
            if not isinstance(document.get(key), dict):
                problems.append(f"no {key} object")
        problems.extend(openapi_reference_problems(path, document))
        checks.record("contracts", f"contracts/{path.name}", problems)


def openapi_reference_problems(path: Path, document: dict[str, Any]) -> list[str]:
    """Every `$ref` and `externalValue` that does not point at something that exists."""
    problems: list[str] = []
    loaded: dict[Path, Any] = {path.resolve(): document}
    for pointer, node in walk(document):
        if pointer.endswith("/properties"):
            continue  # a property may be called "$ref"
        for key in ("$ref", "externalValue"):
            target = node.get(key)
            if not isinstance(target, str):
                continue
            file_part, fragment = urldefrag(target)
            if re.match(r"^[a-z][a-z0-9+.-]*:", file_part):
                continue  # an absolute URI: not resolvable offline, not checked here
            target_path = (path.parent / file_part).resolve() if file_part else path.resolve()
            if not target_path.is_file():
                problems.append(f"{pointer}: {key} {target!r}: no file {target_path.relative_to(ROOT) if ROOT in target_path.parents else target_path}")
                continue
            if key == "externalValue" or not fragment:
                continue
            if target_path not in loaded:
                try:
                    text = target_path.read_text(encoding="utf-8")
                    loaded[target_path] = parse_json(text) if target_path.suffix == ".json" else yaml.safe_load(text)
                except (OSError, ValueError, yaml.YAMLError) as error:
                    problems.append(f"{pointer}: $ref {target!r}: cannot read the target ({error})")
                    continue
            try:
                resolve_pointer(loaded[target_path], fragment)
            except KeyError:
                problems.append(f"{pointer}: $ref {target!r} does not resolve")
    return problems


# --- examples ------------------------------------------------------------------------------------


def check_examples(checks: Checks, registry: Registry, schemas: dict[str, dict[str, Any]]) -> None:
    files = sorted(EXAMPLES.glob("*.json"))
    if not files:
        checks.record("examples", "contracts/examples/", ["no examples"])
        return
    batches: dict[str, tuple[Path, dict[str, Any]]] = {}
    receipts: list[tuple[Path, dict[str, Any]]] = []
    for path in files:
        name = f"contracts/examples/{path.name}"
        prefix = next((p for p in EXAMPLE_SCHEMAS if path.name.startswith(p)), None)
        if prefix is None:
            checks.record("examples", name, [f"no schema for this name (it should start with one of {', '.join(EXAMPLE_SCHEMAS)})"])
            continue
        schema = schemas.get(EXAMPLE_SCHEMAS[prefix])
        if schema is None:
            checks.record("examples", name, [f"its schema {EXAMPLE_SCHEMAS[prefix]} is missing or invalid"])
            continue
        try:
            instance = parse_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            checks.record("examples", name, [f"not JSON: {error}"])
            continue
        problems = schema_errors(StrictValidator(schema, registry=registry), instance)
        if prefix == "batch" and isinstance(instance, dict):
            records = instance.get("records")
            if isinstance(records, list):
                valid = not problems
                if instance.get("record_count") != len(records):
                    problems.append(f"record_count is {instance.get('record_count')!r} but the batch holds {len(records)} records")
                if valid:
                    for index, record in enumerate(records):
                        problems.extend(f"$.records[{index}]: {p}" for p in record_rule_violations(record))
            if not problems:
                batches[str(instance.get("batch_id"))] = (path, instance)
        if prefix == "record" and isinstance(instance, dict) and not problems:
            problems.extend(record_rule_violations(instance))
        if prefix == "receipt" and isinstance(instance, dict) and not problems:
            receipts.append((path, instance))
        checks.record("examples", name, problems)
    for path, receipt in receipts:
        problems = []
        batch_entry = batches.get(str(receipt.get("batch_id")))
        if batch_entry is None:
            problems.append(f"no valid example batch with batch_id {receipt.get('batch_id')!r}")
        else:
            batch_path, batch = batch_entry
            record_ids = [record.get("record_id") for record in batch["records"]]
            rejected = [item["record_id"] for item in receipt["rejected"]]
            if receipt["accepted"] + len(rejected) != batch["record_count"]:
                problems.append(
                    f"accepted {receipt['accepted']} + {len(rejected)} rejected != record_count {batch['record_count']}")
            for record_id in rejected:
                if record_id not in record_ids:
                    problems.append(f"rejected record {record_id} is not in {batch_path.name}")
            if len(set(rejected)) != len(rejected):
                problems.append("a record is rejected twice")
            digest = hashlib.sha256(batch_path.read_bytes()).hexdigest()
            if receipt["body_sha256"] != digest:
                problems.append(f"body_sha256 is not the SHA-256 of {batch_path.name} ({digest})")
        checks.record("examples", f"contracts/examples/{path.name} matches its batch", problems)


# --- records -------------------------------------------------------------------------------------

TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def is_valid_tax_code(code: str) -> bool:
    """`NNNNNNNNNN` or `NNNNNNNNNN-BBB` with the check digit, digits 3-9 not all zero, branch not 000."""
    match = re.fullmatch(r"([0-9]{10})(?:-([0-9]{3}))?", code)
    if not match:
        return False
    digits = [int(c) for c in match.group(1)]
    check = 10 - sum(w * d for w, d in zip(TAX_CODE_WEIGHTS, digits)) % 11
    if check == 10 or digits[9] != check:
        return False
    if all(d == 0 for d in digits[2:9]):
        return False
    return match.group(2) != "000"


def parse_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, TIME_FORMAT).replace(tzinfo=dt.timezone.utc)


def record_rule_violations(record: dict[str, Any]) -> list[str]:
    """The rules of ministry-exchange.md ('Rules the ministry checks') that a schema cannot express,
    for a record already valid against the schema. Breaches that the connector quarantines are
    allowed when the record carries the quarantining flag (TAX_ID_INVALID, TAX_ID_MISSING,
    FUTURE_DATED), since `taxlink records` lists quarantined records too."""
    problems: list[str] = []
    flags = record["flags"]
    expected_id = f"{record['platform']}:{record['kind']}:{record['external_id']}"
    if record["record_id"] != expected_id:
        problems.append(f"record_id is {record['record_id']!r}, not <platform>:<kind>:<external_id> = {expected_id!r}")
    try:
        occurred = parse_time(record["occurred_at"])
        received = parse_time(record["source"]["received_at"])
    except ValueError as error:
        return problems + [f"a time is not a real instant: {error}"]
    period = occurred.astimezone(VIETNAM).strftime("%Y-%m")
    if record["tax_period"] != period:
        problems.append(f"tax_period is {record['tax_period']}, but occurred_at falls in {period} in Vietnam time")
    if occurred - received > dt.timedelta(minutes=5) and "FUTURE_DATED" not in flags:
        problems.append("occurred_at is more than 5 minutes after source.received_at and the record is not flagged FUTURE_DATED")
    amounts = record["amounts"]
    line_total = sum(line["amount"] for line in record["lines"])
    if amounts["gross"] != line_total:
        problems.append(f"amounts.gross is {amounts['gross']}, not the sum of lines[].amount = {line_total}")
    if amounts["taxable_revenue"] != amounts["gross"] - amounts["seller_discount"]:
        problems.append(
            f"amounts.taxable_revenue is {amounts['taxable_revenue']}, not gross - seller_discount = "
            f"{amounts['gross'] - amounts['seller_discount']}")
    buyer_paid = amounts["gross"] - amounts["seller_discount"] - amounts["platform_discount"] + amounts["shipping_fee"]
    if amounts["buyer_paid"] != buyer_paid and "AMOUNT_INCONSISTENT" not in flags:
        problems.append(f"amounts.buyer_paid is {amounts['buyer_paid']}, not {buyer_paid}, and the record is not flagged AMOUNT_INCONSISTENT")
    if any(line["category"] == "unknown" for line in record["lines"]) and "CATEGORY_UNKNOWN" not in flags:
        problems.append("a line's category is unknown and the record is not flagged CATEGORY_UNKNOWN")
    seller = record["seller"]
    if seller["tax_code"] is None and seller["national_id"] is None and "TAX_ID_MISSING" not in flags:
        problems.append("the seller has neither tax_code nor national_id and the record is not flagged TAX_ID_MISSING")
    if seller["tax_code"] is not None and not is_valid_tax_code(seller["tax_code"]) and "TAX_ID_INVALID" not in flags:
        problems.append(f"seller.tax_code {seller['tax_code']!r} is not a valid tax code and the record is not flagged TAX_ID_INVALID")
    if flags != sorted(flags):
        problems.append(f"flags are not sorted: {flags}")
    return problems


def check_records(checks: Checks, registry: Registry, schemas: dict[str, dict[str, Any]], path: Path) -> int:
    """Checks every record of a JSONL file; returns how many records it held."""
    schema = schemas.get(RECORD_SCHEMA)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        checks.record("records", str(path), [f"cannot read: {error}"])
        return 0
    if schema is None:
        checks.record("records", str(path), [f"the record schema {RECORD_SCHEMA} is missing or invalid"])
        return 0
    validator = StrictValidator(schema, registry=registry)
    count = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        count += 1
        try:
            record = parse_json(line)
        except ValueError as error:
            checks.record("records", f"{path.name}:{number}", [f"not JSON: {error}"])
            continue
        label = f"{path.name}:{number}"
        if isinstance(record, dict) and isinstance(record.get("record_id"), str):
            label += f" ({record['record_id']})"
        problems = schema_errors(validator, record)
        if not problems:
            problems = record_rule_violations(record)
        checks.record("records", label, problems)
    if count == 0:
        checks.record("records", str(path), ["the file holds no records"])
    return count


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        print("usage: python3 .ci/check-contracts.py RECORDS.jsonl", file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    checks = Checks()
    registry, schemas = load_schemas(checks)
    check_openapi(checks)
    check_examples(checks, registry, schemas)
    records = check_records(checks, registry, schemas, Path(argv[1]))
    for section in ("contracts", "examples", "records"):
        passed, failed = checks.sections.get(section, [0, 0])
        print(f"{section}: {passed} passed, {failed} failed")
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed or records == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
