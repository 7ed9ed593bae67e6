"""`@default(...)`: read the value and check it fits the field's type.

`read_default` runs in the attribute pass (argument shapes, literal types,
function arity); `check_default_values` runs with the other validations
(literal contents: RFC 3339 dates, JSON, base64, provider-only functions).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from schemamend.model.datamodel import Arity, DefaultValue, FieldKind
from schemamend.psl import ast
from schemamend.psl.validate.args import attribute_error
from schemamend.psl.validate.context import Context
from schemamend.psl.validate.members import ENUM_KIND, LIST_ARITY, SCALAR_KIND, UNSUPPORTED_KIND
from schemamend.psl.validate.resolved import FieldInfo

GENERATOR_FUNCTIONS = ("uuid", "cuid", "nanoid", "ulid")
KNOWN_FUNCTIONS = (
    "autoincrement",
    "now",
    "dbgenerated",
    "sequence",
    "auto",
    "env",
    *GENERATOR_FUNCTIONS,
)

_INT_TYPES = ("Int", "BigInt")


# A default value as read for a field type: (kind, type name, arity, the value as written).
DefaultKey = tuple[FieldKind | None, str, Arity, str]


def read_default(
    ctx: Context,
    info: FieldInfo,
    attr: ast.Attribute,
    enum_values: set[str] | None,
    known: dict[DefaultKey, DefaultValue] | None = None,
) -> None:
    """Read `@default(...)` into `info.default`.

    `known`: the values read so far without error, to reuse: a schema repeats a few
    defaults (`now()`, `uuid()`, `0`, ...) on many fields of the same type."""
    args = attr.arguments.arguments
    value_arg: ast.Argument | None = None
    map_name: str | None = None
    ok = True
    for arg in args:
        key = arg.name.name if arg.name else None
        if key is None or key == "value":
            if value_arg is None:
                value_arg = arg
                continue
        elif key == "map" and isinstance(arg.value, ast.StringValue):
            map_name = arg.value.value
            continue
        ctx.error("No such argument.", arg.span)
        ok = False
    if value_arg is None:
        ctx.error('Argument "value" is missing.', attr.span)
        return
    if not ok:
        return
    expr = value_arg.value
    text = ast.expression_source(expr)
    value_key = (info.kind, info.type_name, info.arity, text)
    default = known.get(value_key) if known is not None else None
    if default is None:
        default = _read_value(ctx, info, attr, expr, enum_values, text)
        if default is not None and known is not None:
            known[value_key] = default
    if default is not None:
        if map_name is not None:
            default = DefaultValue(
                default.kind, default.value, default.text, default.args, map_name
            )
        info.default = default
        info.default_attr = attr


def _read_value(
    ctx: Context,
    info: FieldInfo,
    attr: ast.Attribute,
    expr: ast.Expression,
    enum_values: set[str] | None,
    text: str,
) -> DefaultValue | None:
    if info.kind is UNSUPPORTED_KIND and not (
        isinstance(expr, ast.FunctionCall) and expr.name == "dbgenerated"
    ):
        attribute_error(
            ctx, attr, 'Only @default(dbgenerated("...")) can be used for Unsupported types.'
        )
        return None
    if isinstance(expr, ast.FunctionCall):
        if info.kind is ENUM_KIND and expr.name != "dbgenerated":
            attribute_error(ctx, attr, f"Expected an enum value, but found `{text}`.")
            return None
        return _read_function(ctx, info, attr, expr, text)
    if info.arity is LIST_ARITY and not isinstance(expr, ast.ArrayExpression):
        if info.kind is ENUM_KIND:
            attribute_error(ctx, attr, f"Expected an enum value, but found `{text}`.")
        else:
            attribute_error(ctx, attr, "The default value of a list field must be a list.")
        return None
    if isinstance(expr, ast.ArrayExpression):
        if info.arity is not LIST_ARITY and info.kind is ENUM_KIND:
            attribute_error(ctx, attr, f"Expected an enum value, but found `{text}`.")
            return None
        if info.arity is not LIST_ARITY:
            attribute_error(ctx, attr, "The default value of a non-list field cannot be a list.")
            return None
        items: list[DefaultValue] = []
        for item in expr.items:
            value = _read_scalar(ctx, info, attr, item, enum_values, item.span.text())
            if value is None:
                return None
            items.append(value)
        return DefaultValue("list", tuple(items), text)
    return _read_scalar(ctx, info, attr, expr, enum_values, text)


def _read_scalar(
    ctx: Context,
    info: FieldInfo,
    attr: ast.Attribute,
    expr: ast.Expression,
    enum_values: set[str] | None,
    text: str,
) -> DefaultValue | None:
    """One literal or enum value (`text`: the expression as written)."""
    if info.kind is ENUM_KIND:
        if isinstance(expr, ast.ConstantValue):
            if enum_values is not None and expr.name not in enum_values:
                attribute_error(
                    ctx,
                    attr,
                    f"The defined default value `{expr.name}` is not a valid value of the enum specified for the field.",
                )
                return None
            return DefaultValue("enum", expr.name, text)
        attribute_error(ctx, attr, f"Expected an enum value, but found `{text}`.")
        return None
    if info.kind is not SCALAR_KIND:
        return DefaultValue("value", text, text)
    type_name = info.type_name
    value = _literal(type_name, expr, text)
    if value is _MISMATCH:
        attribute_error(ctx, attr, f"Expected a {type_name} value, but found `{text}`.")
        return None
    return DefaultValue("value", value, text)


_MISMATCH = object()


def _literal(type_name: str, expr: ast.Expression, text: str) -> object:
    if type_name in ("String", "DateTime", "Json", "Bytes"):
        return expr.value if isinstance(expr, ast.StringValue) else _MISMATCH
    if type_name in _INT_TYPES:
        if isinstance(expr, ast.NumericValue):
            return (
                int(expr.text) if "." not in expr.text else expr.text
            )  # a fraction is reported later
        return _MISMATCH
    if type_name in ("Float", "Decimal"):
        if isinstance(expr, ast.NumericValue):
            return float(expr.text) if type_name == "Float" else expr.text
        if type_name == "Decimal" and isinstance(expr, ast.StringValue):
            return expr.value
        return _MISMATCH
    if type_name == "Boolean":
        if isinstance(expr, ast.ConstantValue) and expr.name in ("true", "false"):
            return expr.name == "true"
        return _MISMATCH
    return text


def _call_args(call: ast.FunctionCall) -> tuple[str, ...]:
    return tuple(a.value.span.text() for a in call.arguments.arguments)


def _read_function(
    ctx: Context, info: FieldInfo, attr: ast.Attribute, call: ast.FunctionCall, text: str
) -> DefaultValue | None:
    name = call.name
    args = call.arguments.arguments
    type_name = info.type_name if info.kind is SCALAR_KIND else None
    if name in GENERATOR_FUNCTIONS:
        if type_name != "String":
            attribute_error(ctx, attr, _wrong_type(name, info))
            return None
        if not _generator_args_ok(ctx, attr, name, args):
            return None
        return DefaultValue(name, None, text, _call_args(call))
    if name == "autoincrement":
        if type_name not in _INT_TYPES:
            attribute_error(ctx, attr, _wrong_type(name, info))
            return None
        return DefaultValue("autoincrement", None, text)
    if name == "now":
        if type_name != "DateTime":
            attribute_error(ctx, attr, _wrong_type(name, info))
            return None
        return DefaultValue("now", None, text)
    if name == "dbgenerated":
        if args and (
            not isinstance(args[0].value, ast.StringValue)
            or not args[0].value.value
            or len(args) > 1
        ):
            attribute_error(
                ctx,
                attr,
                "dbgenerated() takes either no argument, or a single nonempty string argument.",
            )
            return None
        sql = args[0].value.value if args and isinstance(args[0].value, ast.StringValue) else None
        return DefaultValue("dbgenerated", sql, text)
    # sequence(), auto() and unknown functions are judged later, knowing the provider.
    return DefaultValue(name, None, text, _call_args(call))


def _wrong_type(function: str, info: FieldInfo) -> str:
    return f"The function `{function}()` cannot be used on fields of type `{info.type_name}`."


def _generator_args_ok(
    ctx: Context, attr: ast.Attribute, name: str, args: list[ast.Argument]
) -> bool:
    if not args:
        return True
    if name == "ulid":
        attribute_error(
            ctx,
            attr,
            "The `ulid` function does not take any argument. Consider changing this default to `ulid()`.",
        )
        return False
    first = args[0].value
    if len(args) > 1 or not isinstance(first, ast.NumericValue) or "." in first.text:
        attribute_error(ctx, attr, f"`{name}()` takes a single Int argument.")
        return False
    number = int(first.text)
    if name == "uuid" and number not in (4, 7):
        attribute_error(
            ctx,
            attr,
            "`uuid()` takes either no argument, or a single integer argument which is either 4 or 7.",
        )
        return False
    if name == "cuid" and number not in (1, 2):
        attribute_error(
            ctx,
            attr,
            "`cuid()` takes either no argument, or a single integer argument which is either 1 or 2.",
        )
        return False
    if name == "nanoid" and not 2 <= number <= 255:
        attribute_error(
            ctx,
            attr,
            "`nanoid()` takes either no argument, or a single integer argument between 2 and 255.",
        )
        return False
    return True


# ── validation phase ───────────────────────────────────────────────────────

# what read_default produces for known functions and literals (`sequence()` and `auto()`
# are judged here, knowing the provider)
_CHECKED_KINDS = frozenset(
    ("value", "list", "enum", "now", "autoincrement", "dbgenerated", *GENERATOR_FUNCTIONS)
)


def check_default_value(ctx: Context, info: FieldInfo, family: str | None) -> None:
    default = info.default
    attr = info.default_attr
    if default is None or attr is None:
        return
    if default.kind not in _CHECKED_KINDS:
        if default.kind == "sequence" and family == "cockroachdb":
            return
        if default.kind == "auto" and family == "mongodb":
            return
        ctx.error(
            f"Unknown function in @default(): `{default.kind}` is not known. You can read about the available "
            "functions here: https://pris.ly/d/attribute-functions",
            attr.span,
        )
        return
    if default.kind == "autoincrement" and family == "mongodb":
        attribute_error(
            ctx,
            attr,
            "The `autoincrement()` default value is used with a datasource that does not support it.",
        )
        return
    values = default.value if default.kind == "list" else (default,)
    if not isinstance(values, tuple):
        return
    for value in values:
        if (
            isinstance(value, DefaultValue)
            and value.kind == "value"
            and isinstance(value.value, str)
        ):
            problem = _literal_problem(
                info.type_name if info.kind is SCALAR_KIND else "", value.value
            )
            if problem:
                # Prisma names the attribute without its `@` in the decimal message
                label = "default" if info.type_name == "Decimal" else "@default"
                ctx.error(f'Error parsing attribute "{label}": {problem}', attr.span)
                return


def _literal_problem(type_name: str, value: str) -> str | None:
    if type_name == "Decimal" and not _is_decimal(value):
        return f'Parse error: "{value}" is not a valid decimal. (invalid digit found in string)'
    if type_name in _INT_TYPES:
        return f'Parse error: "{value}" is not a valid integer. (invalid digit found in string)'
    if type_name == "DateTime":
        reason = rfc3339_problem(value)
        if reason:
            return f'Parse error: "{value}" is not a valid rfc3339 datetime string. ({reason})'
    elif type_name == "Json":
        try:
            json.loads(value)
        except ValueError as exc:
            return f'Parse error: "{value}" is not a valid JSON string. ({_json_reason(exc)})'
    elif type_name == "Bytes":
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return (
                f'Parse error: "{value}" is not a valid base64 string. '
                "(Could not convert from `base64 encoded bytes` to `PrismaValue::Bytes`)"
            )
    return None


def _is_decimal(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return value.strip() == value and "_" not in value


# digits groups (their width) and separators of `YYYY-MM-DDTHH:MM:SS`
_RFC3339_SHAPE: tuple[int | str, ...] = (4, "-", 2, "-", 2, "T", 2, ":", 2, ":", 2)


def rfc3339_problem(value: str) -> str | None:
    """Why `value` is not an RFC 3339 date-time, in chrono's words (None when it is one).

    Like chrono, a digit group is first checked for length (too short: "premature end of
    input"), then for its characters.
    """
    i = 0
    for expected in _RFC3339_SHAPE:
        if isinstance(expected, int):
            group = value[i : i + expected]
            if len(group) < expected:
                return "premature end of input"
            if not group.isdigit():
                return "input contains invalid characters"
            i += expected
            continue
        if i >= len(value):
            return "premature end of input"
        ch = value[i]
        if not (ch in "Tt " if expected == "T" else ch == expected):
            return "input contains invalid characters"
        i += 1
    if i < len(value) and value[i] == ".":
        i += 1
        start = i
        while i < len(value) and value[i].isdigit():
            i += 1
        if i == start:
            return "input contains invalid characters"
    if i >= len(value):
        return "premature end of input"
    if value[i] in "Zz":
        i += 1
    elif value[i] in "+-":
        offset = value[i + 1 : i + 6]
        if len(offset) < 5:
            return "premature end of input"
        if not (offset[:2].isdigit() and offset[2] == ":" and offset[3:].isdigit()):
            return "input contains invalid characters"
        i += 6
    else:
        return "input contains invalid characters"
    if i < len(value):
        return "trailing input"
    try:
        datetime.fromisoformat(value[:19].replace("t", "T").replace(" ", "T"))
    except ValueError:
        return "input is out of range"
    return None


_JSON_REASONS = (
    ("Expecting value", "expected value"),
    ("Expecting property name enclosed in double quotes", "key must be a string"),
    ("Expecting ':' delimiter", "expected `:`"),
    ("Extra data", "trailing characters"),
    (
        "Invalid control character at",
        "control character (\\u0000-\\u001F) found while parsing a string",
    ),
)


def _json_reason(exc: ValueError) -> str:
    """serde_json's wording for Python's JSON error (Prisma parses with serde_json)."""
    if not isinstance(exc, json.JSONDecodeError):
        return str(exc)
    doc, pos = exc.doc, exc.pos
    if pos >= len(doc.rstrip()) and exc.msg != "Extra data":
        opener = _innermost_open(doc)
        what = {"[": "a list", "{": "an object"}.get(opener or "", "a value")
        return f"EOF while parsing {what} at line {exc.lineno} column {max(1, len(doc))}"
    if exc.msg.startswith("Unterminated string"):
        return f"EOF while parsing a string at line {exc.lineno} column {len(doc)}"
    if exc.msg == "Expecting ',' delimiter":
        closer = "]" if _innermost_open(doc[:pos]) == "[" else "}"
        return f"expected `,` or `{closer}` at line {exc.lineno} column {exc.colno}"
    for python, serde in _JSON_REASONS:
        if exc.msg.startswith(python):
            return f"{serde} at line {exc.lineno} column {exc.colno}"
    return f"{exc.msg} at line {exc.lineno} column {exc.colno}"


def _innermost_open(text: str) -> str | None:
    stack: list[str] = []
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            stack.append(ch)
        elif ch in "]}" and stack:
            stack.pop()
    return stack[-1] if stack else None
