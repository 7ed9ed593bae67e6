"""What the history has built so far: tables, their column types, enum types.

The linter replays each statement's effect on this small catalog (no
database involved), so a rule can ask "what was this column's type before?"
or "was this table created by the migrations being linted (and so is still
empty)?".
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class TypeSig:
    """A column type as written, normalised by the parser: `varchar(20)` → ("varchar", (20,))."""

    name: str
    mods: tuple[int, ...] = ()
    array: bool = False

    def __str__(self) -> str:
        mods = f"({', '.join(map(str, self.mods))})" if self.mods else ""
        return f"{self.name}{mods}{'[]' if self.array else ''}"


@dataclass
class Catalog:
    tables: dict[str, dict[str, TypeSig]] = field(default_factory=dict)
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    new_tables: set[str] = field(default_factory=set)  # created by the current script: empty
    # Every statement since an empty database was seen and modelled: "no such table" is a fact.
    complete: bool = False
    # Column types of the live database, for tables the history does not describe.
    live_columns: dict[str, dict[str, TypeSig]] = field(default_factory=dict)

    def start_script(self) -> None:
        self.new_tables.clear()

    def knows_table(self, table: str) -> bool:
        return table in self.tables

    def is_new(self, table: str) -> bool:
        return table in self.new_tables

    def column_type(self, table: str, column: str) -> TypeSig | None:
        known = self.tables.get(table, {}).get(column)
        return known if known is not None else self.live_columns.get(table, {}).get(column)

    def add_live(
        self, columns: dict[str, dict[str, TypeSig]], enums: dict[str, tuple[str, ...]]
    ) -> None:
        """What the live database has, where the history said nothing."""
        self.live_columns = {t: dict(c) for t, c in columns.items()}
        for name, values in enums.items():
            self.enums.setdefault(name, values)

    # -- effects ---------------------------------------------------------------------------

    def create_table(self, table: str, columns: dict[str, TypeSig]) -> None:
        self.tables[table] = dict(columns)
        self.new_tables.add(table)

    def drop_table(self, table: str) -> None:
        self.tables.pop(table, None)
        self.new_tables.discard(table)

    def rename_table(self, old: str, new: str) -> None:
        if old in self.tables:
            self.tables[new] = self.tables.pop(old)
        if old in self.new_tables:
            self.new_tables.discard(old)
            self.new_tables.add(new)

    def assume_table(self, table: str) -> None:
        """A table reported missing: assume it exists from here on (one finding per table)."""
        self.tables.setdefault(table, {})

    def set_column(self, table: str, column: str, sig: TypeSig) -> None:
        if table in self.tables:
            self.tables[table][column] = sig

    def drop_column(self, table: str, column: str) -> None:
        self.tables.get(table, {}).pop(column, None)

    def rename_column(self, table: str, old: str, new: str) -> None:
        columns = self.tables.get(table)
        if columns is not None and old in columns:
            columns[new] = columns.pop(old)

    def create_enum(self, name: str, values: tuple[str, ...]) -> None:
        self.enums[name] = values

    def add_enum_value(self, name: str, value: str) -> None:
        if name in self.enums and value not in self.enums[name]:
            self.enums[name] = (*self.enums[name], value)

    def rename_enum_value(self, name: str, old: str, new: str) -> None:
        if name in self.enums:
            self.enums[name] = tuple(new if v == old else v for v in self.enums[name])

    def rename_enum(self, old: str, new: str) -> None:
        if old in self.enums:
            self.enums[new] = self.enums.pop(old)
        for columns in self.tables.values():
            for column, sig in columns.items():
                if sig.name == old:
                    columns[column] = TypeSig(new, sig.mods, sig.array)

    def drop_enum(self, name: str) -> None:
        self.enums.pop(name, None)
