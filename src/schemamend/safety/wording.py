"""The words of every check, in one place to review (one function per code)."""

from __future__ import annotations

from collections.abc import Callable

from schemamend.diff import changes as ch
from schemamend.model import sql
from schemamend.safety import steps as rs
from schemamend.safety.checks import (
    Check,
    CheckCode,
    EnumValueCount,
    NonNullCount,
    NullCount,
    RowCount,
)
from schemamend.safety.facts import Measurement


def message(check: Check, measured: Measurement | None) -> str:
    """What a check found, in a sentence."""
    return _WORDING[check.code](check, measured)


def _rows(measured: Measurement | None, noun: str = "row") -> str:
    if measured is None:
        return f"an unknown number of {noun}s"
    about = "about " if measured.estimated else ""
    plural = "" if measured.count == 1 else "s"
    return f"{about}{measured.count:,} {noun}{plural}"


def _examples(measured: Measurement | None, label: str = "e.g.") -> str:
    if measured is None or not measured.examples:
        return ""
    return f" ({label} {'; '.join(measured.examples)})"


def _target(check: Check) -> str:
    return rs.describe_step(check.step)


def _create_schema(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: a new, empty schema"


def _create_extension(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: adds types and functions, touches no table"


def _create_enum(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: a new type, used by nothing yet"


def _add_enum_value(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: existing values and the columns using them are untouched"


def _create_table(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: a new, empty table"


def _add_column(check: Check, _: Measurement | None) -> str:
    assert isinstance(check.step, ch.AddColumn)
    column = check.step.next
    how = "nullable" if not column.is_required else "with a default"
    return f"{_target(check)}: {how}, existing rows keep their values"


def _create_index(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}"


def _add_foreign_key(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}"


def _drop_not_null(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: allows NULL, existing values are kept"


def _change_default(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: changes the default for new rows only"


def _widen_type(check: Check, _: Measurement | None) -> str:
    assert isinstance(check.step, ch.AlterColumn)
    old, new = check.step.previous.type, check.step.next.type
    return f"{_target(check)}: {_type(old)} to {_type(new)}, every existing value fits"


def _rewrite_locks_table(check: Check, measured: Measurement | None) -> str:
    if isinstance(check.step, ch.AlterEnum | ch.RedefineTables):
        assert isinstance(check.fact, RowCount)
        how = (
            "rebuilding"
            if isinstance(check.step, ch.RedefineTables)
            else "converting the columns of"
        )
        return (
            f"{how} `{check.fact.table}` ({_rows(measured)}) blocks writes to it until it finishes"
        )
    assert isinstance(check.step, ch.AlterColumn)
    return (
        f"changing `{check.step.next.name}` may rewrite `{check.step.table}` ({_rows(measured)}), "
        "blocking writes until it finishes"
    )


def _unclassified(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: repair does not classify this kind of step yet"


def _key_check_locks_table(check: Check, measured: Measurement | None) -> str:
    step = check.step
    assert isinstance(step, ch.AddForeignKey | rs.AddForeignKeyNotValid)
    return (
        f"checking `{step.next.name}` against the rows of `{step.table}` ({_rows(measured)}) "
        "blocks writes to it until the check finishes"
    )


def _backup(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: a copy of what is about to be removed"


def _not_null_column_on_rows(check: Check, measured: Measurement | None) -> str:
    assert isinstance(check.step, ch.AddColumn)
    return (
        f"adds the required column `{check.step.next.name}` without a default to `{check.step.table}`, "
        f"which holds {_rows(measured)}: the database cannot fill it; give it a default or "
        "make it optional, then backfill"
    )


def _set_not_null_over_nulls(check: Check, measured: Measurement | None) -> str:
    assert isinstance(check.step, ch.AlterColumn)
    return (
        f"makes `{check.step.table}.{check.step.next.name}` required, but {_rows(measured)} hold NULL"
        f"{_examples(measured)}: fill them first"
    )


def _unique_over_duplicates(check: Check, measured: Measurement | None) -> str:
    assert isinstance(check.step, ch.CreateIndex | rs.CreateIndexConcurrently | ch.AddPrimaryKey)
    index = check.step.next
    columns = ", ".join(c.name for c in index.columns)
    what = "primary key" if isinstance(check.step, ch.AddPrimaryKey) else "unique index"
    return (
        f"the {what} `{index.name}` on `{check.step.table}` ({columns}) cannot be built: "
        f"{_rows(measured)} repeat values another row has{_examples(measured, 'repeated:')}"
    )


def _foreign_key_violations(check: Check, measured: Measurement | None) -> str:
    step = check.step
    assert isinstance(step, ch.AddForeignKey | rs.AddForeignKeyNotValid | rs.ValidateForeignKey)
    fk = step.next
    return (
        f"{_rows(measured)} of `{step.table}` reference `{fk.referenced_table}` rows that do not "
        f"exist ({', '.join(fk.columns)}){_examples(measured, 'e.g.')}"
    )


def _index_build_locks_table(check: Check, measured: Measurement | None) -> str:
    assert isinstance(check.step, ch.CreateIndex | rs.CreateIndexConcurrently | ch.AddPrimaryKey)
    return (
        f"building `{check.step.next.name}` blocks writes to `{check.step.table}` "
        f"({_rows(measured)}) until it finishes"
    )


def _drop_table(check: Check, measured: Measurement | None) -> str:
    assert isinstance(check.step, ch.DropTable)
    return f"drops the table `{check.step.previous.ref}`, which holds {_rows(measured)}"


def _drop_column(check: Check, measured: Measurement | None) -> str:
    assert isinstance(check.step, ch.DropColumn)
    return (
        f"drops the column `{check.step.previous.name}` of `{check.step.table}`, which holds "
        f"{_rows(measured, 'non-null value')}"
    )


def _drop_enum(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: the schema no longer declares it"


def _drop_enum_value(check: Check, measured: Measurement | None) -> str:
    if isinstance(check.step, ch.AlterEnum):
        assert isinstance(check.fact, EnumValueCount)
        fact = check.fact
        return (
            f"removes {', '.join(fact.values)} from the enum `{check.step.next.name}`, but "
            f"{_rows(measured)} of `{fact.table}` hold {'them' if len(fact.values) > 1 else 'it'} in "
            f"`{fact.column}`: the conversion fails on those rows; change or delete them first"
        )
    return (
        f"{_target(check)}: the schema no longer declares it; repair never removes enum values "
        "(rows may hold it; change them with a migration)"
    )


def _change_type(check: Check, measured: Measurement | None) -> str:
    assert isinstance(check.step, ch.AlterColumn)
    old, new = check.step.previous.type, check.step.next.type
    return (
        f"changes the type of `{check.step.table}.{check.step.next.name}` from {_type(old)} to "
        f"{_type(new)}; {_rows(measured, 'non-null value')} would be rewritten and may not fit"
    )


def _type(column_type: sql.ColumnType) -> str:
    if column_type.enum:
        return column_type.enum
    if column_type.family is sql.TypeFamily.ENUM:
        return f"{column_type.name}({', '.join(repr(v) for v in column_type.args)})"
    return (
        f"{column_type.name}({','.join(column_type.args)})"
        if column_type.args
        else column_type.name
    )


def _drop_index(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: no data is lost, but the schema does not declare it as it is"


def _drop_foreign_key(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: no data is lost, but the schema does not declare it as it is"


def _add_primary_key(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}"


def _recreate_primary_key(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: added again in the same statement, after its columns change"


def _rename_primary_key(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: the constraint's name only"


def _recreate_foreign_key(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: added again unchanged once the key or column types change"


def _drop_primary_key(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: no data is lost, but rows are no longer kept unique by it"


def _redefine_table(check: Check, _: Measurement | None) -> str:
    return f"{_target(check)}: a copy of each table with its rows, then the copy replaces it"


def _redefine_drops_values(check: Check, measured: Measurement | None) -> str:
    assert isinstance(check.step, ch.RedefineTables) and isinstance(check.fact, NonNullCount)
    fact = check.fact
    kept = any(
        new.column(fact.column) is not None
        for old, new in check.step.tables
        if old.ref == fact.table
    )
    what = "changes the type of" if kept else "drops"
    return (
        f"rebuilding `{fact.table}` {what} the column `{fact.column}`, which holds "
        f"{_rows(measured, 'non-null value')}"
    )


def _redefine_over_nulls(check: Check, measured: Measurement | None) -> str:
    fact = check.fact
    if isinstance(fact, NullCount):
        return (
            f"rebuilding `{fact.table}` makes `{fact.column}` required without a default, but "
            f"{_rows(measured)} hold NULL{_examples(measured)}: the copy fails; fill them first"
        )
    assert isinstance(fact, RowCount)
    return (
        f"rebuilding `{fact.table}` adds a required column without a default, but the table holds "
        f"{_rows(measured)}: the copy fails; give it a default or make it optional"
    )


_WORDING: dict[CheckCode, Callable[[Check, Measurement | None], str]] = {
    CheckCode.CREATE_SCHEMA: _create_schema,
    CheckCode.CREATE_EXTENSION: _create_extension,
    CheckCode.CREATE_ENUM: _create_enum,
    CheckCode.ADD_ENUM_VALUE: _add_enum_value,
    CheckCode.CREATE_TABLE: _create_table,
    CheckCode.ADD_COLUMN: _add_column,
    CheckCode.CREATE_INDEX: _create_index,
    CheckCode.ADD_FOREIGN_KEY: _add_foreign_key,
    CheckCode.DROP_NOT_NULL: _drop_not_null,
    CheckCode.CHANGE_DEFAULT: _change_default,
    CheckCode.BACKUP: _backup,
    CheckCode.KEY_CHECK_LOCKS_TABLE: _key_check_locks_table,
    CheckCode.UNCLASSIFIED: _unclassified,
    CheckCode.WIDEN_TYPE: _widen_type,
    CheckCode.REWRITE_LOCKS_TABLE: _rewrite_locks_table,
    CheckCode.NOT_NULL_COLUMN_ON_ROWS: _not_null_column_on_rows,
    CheckCode.SET_NOT_NULL_OVER_NULLS: _set_not_null_over_nulls,
    CheckCode.UNIQUE_OVER_DUPLICATES: _unique_over_duplicates,
    CheckCode.FOREIGN_KEY_VIOLATIONS: _foreign_key_violations,
    CheckCode.INDEX_BUILD_LOCKS_TABLE: _index_build_locks_table,
    CheckCode.DROP_TABLE: _drop_table,
    CheckCode.DROP_COLUMN: _drop_column,
    CheckCode.DROP_ENUM: _drop_enum,
    CheckCode.DROP_ENUM_VALUE: _drop_enum_value,
    CheckCode.CHANGE_TYPE: _change_type,
    CheckCode.DROP_INDEX: _drop_index,
    CheckCode.DROP_FOREIGN_KEY: _drop_foreign_key,
    CheckCode.REDEFINE_TABLE: _redefine_table,
    CheckCode.REDEFINE_DROPS_VALUES: _redefine_drops_values,
    CheckCode.REDEFINE_OVER_NULLS: _redefine_over_nulls,
    CheckCode.ADD_PRIMARY_KEY: _add_primary_key,
    CheckCode.RECREATE_PRIMARY_KEY: _recreate_primary_key,
    CheckCode.RENAME_PRIMARY_KEY: _rename_primary_key,
    CheckCode.RECREATE_FOREIGN_KEY: _recreate_foreign_key,
    CheckCode.DROP_PRIMARY_KEY: _drop_primary_key,
}
