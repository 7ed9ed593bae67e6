"""Native types (`@db.X(args)`) per provider: which exist, which Prisma
types they fit, and how many arguments they take."""

from __future__ import annotations

from dataclasses import dataclass

from schemamend.diagnostics import Span
from schemamend.model.datamodel import NativeType
from schemamend.psl import ast
from schemamend.psl.validate.context import Context
from schemamend.psl.validate.resolved import FieldInfo


@dataclass(frozen=True, slots=True)
class Spec:
    types: tuple[str, ...]  # compatible Prisma scalar types
    args: str = (
        ""  # "": none; "n?": one optional int; "n": one required int; "p,s?": two optional ints
    )
    max_precision: int | None = None  # range of the single argument (time precision), if bounded
    keywords: bool = False  # PostGIS: arguments are a geometry keyword and an optional SRID


def _s(
    *types: str, args: str = "", max_precision: int | None = None, keywords: bool = False
) -> Spec:
    return Spec(types, args, max_precision, keywords)


POSTGRES: dict[str, Spec] = {
    "Text": _s("String"),
    "Char": _s("String", args="n?"),
    "VarChar": _s("String", args="n?"),
    "Bit": _s("String", args="n?"),
    "VarBit": _s("String", args="n?"),
    "Uuid": _s("String"),
    "Xml": _s("String"),
    "Inet": _s("String"),
    "Citext": _s("String"),
    "Boolean": _s("Boolean"),
    "Integer": _s("Int"),
    "SmallInt": _s("Int"),
    "Oid": _s("Int"),
    "BigInt": _s("BigInt"),
    "DoublePrecision": _s("Float"),
    "Real": _s("Float"),
    "Decimal": _s("Decimal", args="p,s?"),
    "Money": _s("Decimal"),
    "Timestamp": _s("DateTime", args="n?", max_precision=6),
    "Timestamptz": _s("DateTime", args="n?", max_precision=6),
    "Date": _s("DateTime"),
    "Time": _s("DateTime", args="n?", max_precision=6),
    "Timetz": _s("DateTime", args="n?", max_precision=6),
    "Json": _s("Json"),
    "JsonB": _s("Json"),
    "ByteA": _s("Bytes"),
    "Geometry": _s("Geometry", keywords=True),
    "Geography": _s("Geography", keywords=True),
}

MYSQL: dict[str, Spec] = {
    "VarChar": _s("String", args="n"),
    "Char": _s("String", args="n?", max_precision=255),
    "TinyText": _s("String"),
    "Text": _s("String"),
    "MediumText": _s("String"),
    "LongText": _s("String"),
    "Int": _s("Int"),
    "UnsignedInt": _s("Int"),
    "SmallInt": _s("Int"),
    "UnsignedSmallInt": _s("Int"),
    "TinyInt": _s("Int", "Boolean"),
    "UnsignedTinyInt": _s("Int"),
    "MediumInt": _s("Int"),
    "UnsignedMediumInt": _s("Int"),
    "Year": _s("Int"),
    "BigInt": _s("BigInt"),
    "UnsignedBigInt": _s("BigInt"),
    "Float": _s("Float"),
    "Double": _s("Float"),
    "Decimal": _s("Decimal", args="p,s?"),
    "DateTime": _s("DateTime", args="n?"),
    "Date": _s("DateTime"),
    "Time": _s("DateTime", args="n?"),
    "Timestamp": _s("DateTime", args="n?"),
    "Json": _s("Json"),
    "Bit": _s("Bytes", "Boolean", args="n?"),
    "Binary": _s("Bytes", args="n?"),
    "VarBinary": _s("Bytes", args="n"),
    "TinyBlob": _s("Bytes"),
    "Blob": _s("Bytes"),
    "MediumBlob": _s("Bytes"),
    "LongBlob": _s("Bytes"),
}

CATALOG: dict[str, dict[str, Spec]] = {
    "postgresql": POSTGRES,
    "cockroachdb": POSTGRES,
    "mysql": MYSQL,
}
_DB_LABEL = {"postgresql": "Postgres", "mysql": "MySQL", "cockroachdb": "CockroachDB"}
# MySQL types that cannot be indexed without a prefix length.
MYSQL_UNSIZED_INDEX_TYPES = frozenset(
    {"Text", "TinyText", "MediumText", "LongText", "Blob", "TinyBlob", "MediumBlob", "LongBlob"}
)


def _found(args: list[ast.Expression]) -> str:
    return "(" + ", ".join(a.span.text() for a in args) + ")"


def _non_negative(expr: ast.Expression) -> int | None:
    if isinstance(expr, ast.NumericValue) and expr.text.isdigit():
        return int(expr.text)
    return None


def check_native_type(ctx: Context, info: FieldInfo, family: str | None) -> NativeType | None:
    """Validate `info.native`; return the lowered NativeType when valid."""
    use = info.native
    if use is None:
        return None
    span = use.attr.span
    catalog = CATALOG.get(family or "")
    spec = catalog.get(use.name) if catalog is not None else None
    if spec is None:
        ctx.error(f"Native type {use.name} is not supported for {family} connector.", span)
        return None
    if info.type_name not in spec.types:
        expected = " or ".join(spec.types)
        ctx.error(
            f"Native type {use.name} is not compatible with declared field type {info.type_name}, "
            f"expected field type {expected}.",
            span,
        )
        return None
    args = use.args
    if spec.keywords:
        return NativeType(use.name, tuple(a.span.text() for a in args))
    if not _arguments_ok(ctx, use.name, spec, args, span, family or ""):
        return None
    return NativeType(use.name, tuple(a.span.text() for a in args))


def _arguments_ok(
    ctx: Context, name: str, spec: Spec, args: list[ast.Expression], span: Span, family: str
) -> bool:
    if spec.args == "":
        if args:
            ctx.error(f'Function "{name}" takes 0 arguments, but received {len(args)}.', span)
            return False
        return True
    if spec.args in ("n?", "n"):
        if len(args) > 1:
            optional = " optional" if spec.args == "n?" else ""
            ctx.error(
                f"Native type {name} takes 1{optional} arguments, but received {len(args)}.", span
            )
            return False
        if not args:
            if spec.args == "n":
                ctx.error(f'Function "{name}" takes 1 arguments, but received 0.', span)
                return False
            return True
        number = _non_negative(args[0])
        if number is None:
            ctx.error(f"Expected a nonnegative integer, but found {_found(args)}.", span)
            return False
        if spec.max_precision is not None and number > spec.max_precision:
            ctx.error(
                f"Argument M is out of range for native type `{name}({number})` of "
                f"{_DB_LABEL.get(family, family)}: M can range from 0 to {spec.max_precision}.",
                span,
            )
            return False
        return True
    # "p,s?": none, or exactly two
    if not args:
        return True
    if len(args) > 2:
        ctx.error(f"Native type {name} takes 2 optional arguments, but received {len(args)}.", span)
        return False
    if len(args) != 2 or any(_non_negative(a) is None for a in args):
        ctx.error(f"Expected two nonnegative integers, but found {_found(args)}.", span)
        return False
    return _decimal_ok(ctx, name, int(args[0].span.text()), int(args[1].span.text()), span, family)


def _decimal_ok(
    ctx: Context, name: str, precision: int, scale: int, span: Span, family: str
) -> bool:
    label = _DB_LABEL.get(family, family)
    shown = f"{name}({precision},{scale})"
    if family == "mysql":
        if not 1 <= precision <= 65:
            ctx.error(
                f"Argument M is out of range for native type `{shown}` of {label}: Precision can range from 1 to 65.",
                span,
            )
            return False
        if scale > 30:
            ctx.error(
                f"Argument M is out of range for native type `{shown}` of {label}: Scale can range from 0 to 30.",
                span,
            )
            return False
    elif not 1 <= precision <= 1000:
        ctx.error(
            f"Argument M is out of range for native type `{shown}` of {label}: "
            "Precision must be positive with a maximum value of 1000.",
            span,
        )
        return False
    if scale > precision:
        ctx.error(
            f"The scale must not be larger than the precision for the {shown} native type in {label}.",
            span,
        )
        return False
    return True
