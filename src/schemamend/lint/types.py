"""Whether changing a column's type can fail on, or lose, existing values (PostgreSQL names)."""

from __future__ import annotations

from schemamend.lint.catalog import TypeSig

_INTEGERS = {"int2": 1, "int4": 2, "int8": 3}
_FLOATS = {"float4": 1, "float8": 2}
_TEXT = frozenset({"text", "varchar", "bpchar"})
_NUMBERS = frozenset({*_INTEGERS, *_FLOATS, "numeric"})


def type_change_problem(before: TypeSig, after: TypeSig, *, enum_names: set[str]) -> str | None:
    """Why `before` → `after` may fail or truncate; None when every value converts."""
    if before == after:
        return None
    if before.array != after.array:
        return "incompatible type (array and non-array)"
    if after.name in _TEXT:
        return _to_text(before, after)
    if after.name in enum_names:
        return "values outside the enum fail the cast"
    if before.name in _INTEGERS and after.name in _INTEGERS:
        return (
            "narrowing: large values overflow"
            if _INTEGERS[after.name] < _INTEGERS[before.name]
            else None
        )
    if before.name in _FLOATS and after.name in _FLOATS:
        return (
            "narrowing: precision is lost" if _FLOATS[after.name] < _FLOATS[before.name] else None
        )
    if before.name in _INTEGERS and after.name in (*_FLOATS, "numeric") and not after.mods:
        return None
    if before.name == after.name:
        return _same_type(before, after)
    return "incompatible type: existing values may not convert"


def _to_text(before: TypeSig, after: TypeSig) -> str | None:
    limit = _length(after)
    if limit is None:
        return None
    if before.name in _TEXT:
        old = _length(before)
        if old is None or limit < old:
            return f"narrowing: values longer than {limit} characters fail"
        return None
    return f"narrowing: values longer than {limit} characters fail"


def _length(sig: TypeSig) -> int | None:
    if sig.name == "text" or not sig.mods:
        return 1 if sig.name == "bpchar" and not sig.mods else None
    return sig.mods[0]


def _same_type(before: TypeSig, after: TypeSig) -> str | None:
    if before.name == "numeric" and before.mods and after.mods:
        old_precision, old_scale = _numeric(before)
        new_precision, new_scale = _numeric(after)
        if new_precision - new_scale < old_precision - old_scale:
            return "narrowing: large values overflow"
        if new_scale < old_scale:
            return "narrowing: decimals are rounded"
        return None
    if before.name == "numeric" and after.mods:
        return "narrowing: large values overflow"
    return None


def _numeric(sig: TypeSig) -> tuple[int, int]:
    precision = sig.mods[0]
    scale = sig.mods[1] if len(sig.mods) > 1 else 0
    return precision, scale
