"""Lowering a valid schema to the Datamodel: every database name resolved.

Expected constraint names were checked against the Prisma 7.10.1 CLI
(`migrate diff --from-empty`) where the oracle could run them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemamend.model.datamodel import (
    Arity,
    Datamodel,
    DefaultValue,
    FieldKind,
    IndexKind,
    Model,
    NativeType,
    SortOrder,
)
from schemamend.psl import check_text, load_schema
from schemamend.psl.validate.constraint_names import index_name, primary_key_name, unique_name


def lower(body: str, provider: str = "postgresql", head: str = "") -> Datamodel:
    result = check_text(f'datasource db {{\n  provider = "{provider}"\n}}\n{head}\n{body}')
    assert not result.errors, "\n\n".join(d.render() for d in result.errors)
    assert result.datamodel is not None
    return result.datamodel


def model(datamodel: Datamodel, name: str) -> Model:
    found = datamodel.model(name)
    assert found is not None, f"no model {name}"
    return found


# ── the seed-incident schema ───────────────────────────────────────────────


@pytest.mark.shared
def test_seed_incident_schema_lowers_to_ten_tables_and_eight_enums(shared_dir: Path) -> None:
    result = load_schema(shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma")
    datamodel = result.require()
    assert len(datamodel.tables) == 10
    assert len(datamodel.enums) == 8
    users = model(datamodel, "User")
    assert users.db_name == "users"
    assert users.primary_key is not None and users.primary_key.constraint_name == "users_pkey"
    assert [i.constraint_name for i in users.indexes] == ["users_email_key"]
    created = users.field("createdAt")
    assert created is not None and created.db_name == "created_at"
    assert created.default == DefaultValue("now", None, "now()")
    updated = users.field("updatedAt")
    assert updated is not None and updated.is_updated_at
    role = users.field("role")
    assert role is not None and role.kind is FieldKind.ENUM
    assert role.default is not None and (role.default.kind, role.default.value) == (
        "enum",
        "DEVELOPER",
    )


@pytest.mark.shared
def test_seed_incident_indexes_and_native_types(shared_dir: Path) -> None:
    datamodel = load_schema(
        shared_dir / "scenarios" / "seed-incident" / "prisma" / "schema.prisma"
    ).require()
    projects = model(datamodel, "DeveloperProject")
    assert [i.constraint_name for i in projects.indexes] == [
        "developer_projects_slug_key",
        "developer_projects_owner_id_status_idx",
    ]
    budget = projects.field("totalBudget")
    assert budget is not None
    assert budget.native_type == NativeType("Decimal", ("14", "2"))
    assert budget.default is not None and budget.default.value == "0"
    currency = projects.field("currency")
    assert currency is not None and currency.native_type == NativeType("Char", ("3",))
    line_items = model(datamodel, "BudgetLineItem")
    unique = line_items.indexes[0]
    assert unique.kind is IndexKind.UNIQUE
    assert unique.constraint_name == "budget_line_items_project_id_description_key"
    assert [f.db_name for f in unique.fields] == ["project_id", "description"]


# ── names ─────────────────────────────────────────────────────────────────


def test_default_constraint_names_use_database_names() -> None:
    datamodel = lower(
        """
model Post {
  id       Int    @id
  authorId Int    @map("author_id")
  slug     String @unique
  title    String

  @@unique([authorId, title])
  @@index([title(sort: Desc)])
  @@map("posts")
}
"""
    )
    post = model(datamodel, "Post")
    assert post.primary_key is not None and post.primary_key.constraint_name == "posts_pkey"
    assert [(i.kind, i.constraint_name) for i in post.indexes] == [
        (IndexKind.UNIQUE, "posts_slug_key"),
        (IndexKind.UNIQUE, "posts_author_id_title_key"),
        (IndexKind.NORMAL, "posts_title_idx"),
    ]
    assert post.indexes[2].fields[0].sort is SortOrder.DESC


def test_indexes_keep_declaration_order_when_block_attributes_come_first() -> None:
    datamodel = lower(
        """
model A {
  @@index([c])
  id Int    @id
  b  String @unique
  @@unique([b, c])
  c  Int    @unique
  @@index([b])
}
"""
    )
    assert [i.constraint_name for i in model(datamodel, "A").indexes] == [
        "A_c_idx",
        "A_b_key",
        "A_b_c_key",
        "A_c_key",
        "A_b_idx",
    ]


def test_explicit_map_names_win() -> None:
    datamodel = lower(
        """
model A {
  id Int    @id(map: "a_primary")
  b  String @unique(map: "a_b_unique")
  c  Int

  @@index([c], map: "by_c")
}
"""
    )
    a = model(datamodel, "A")
    assert a.primary_key is not None and a.primary_key.constraint_name == "a_primary"
    assert [i.constraint_name for i in a.indexes] == ["a_b_unique", "by_c"]


def test_long_generated_names_are_cut_to_the_identifier_limit_keeping_the_suffix() -> None:
    table = "AVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEverAndEverAndEver"
    columns = ["aVeryLongFieldNameNumberTwoThatIsLong"]
    # Prisma 7.10.1 names this index `AVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEverAndEver_idx`
    assert (
        index_name(table, columns, "postgresql")
        == "AVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEverAndEver_idx"
    )
    assert len(index_name(table, columns, "postgresql")) == 63
    assert len(unique_name(table, columns, "mysql")) == 64
    assert unique_name(table, columns, "mysql").endswith("_key")
    assert primary_key_name(table * 2, "postgresql").endswith("_pkey")
    assert len(primary_key_name(table * 2, "postgresql")) == 63
    assert unique_name(table, columns, "sqlite") == f"{table}_{columns[0]}_key"


def test_short_names_are_kept_whole() -> None:
    assert index_name("User", ["email", "name"], "postgresql") == "User_email_name_idx"


def test_enum_and_value_database_names() -> None:
    datamodel = lower(
        """
enum Status {
  ACTIVE   @map("active")
  ARCHIVED

  @@map("status_kind")
}

model A {
  id     Int    @id
  status Status @default(ACTIVE)
}
"""
    )
    status = datamodel.enum("Status")
    assert status is not None
    assert status.db_name == "status_kind"
    assert [(v.name, v.db_name) for v in status.values] == [
        ("ACTIVE", "active"),
        ("ARCHIVED", "ARCHIVED"),
    ]


# ── fields ────────────────────────────────────────────────────────────────


def test_defaults_are_typed() -> None:
    datamodel = lower(
        """
model A {
  id    Int      @id @default(autoincrement())
  uid   String   @default(uuid(7))
  n     String   @default(nanoid(12))
  s     String   @default("x")
  f     Float    @default(1.5)
  b     Boolean  @default(true)
  big   BigInt   @default(42)
  d     Decimal  @default(2.50)
  j     Json     @default("{}")
  t     DateTime @default(dbgenerated("now()"))
  tags  String[] @default(["a", "b"])
}
"""
    )
    a = model(datamodel, "A")

    def default(name: str) -> DefaultValue:
        field = a.field(name)
        assert field is not None and field.default is not None
        return field.default

    assert default("id").kind == "autoincrement"
    assert (default("uid").kind, default("uid").args) == ("uuid", ("7",))
    assert default("n").is_client_side
    assert default("s").value == "x"
    assert default("f").value == 1.5
    assert default("b").value is True
    assert default("big").value == 42
    assert default("d").value == "2.50"
    assert default("j").value == "{}"
    assert (default("t").kind, default("t").value) == ("dbgenerated", "now()")
    tags = default("tags")
    assert tags.kind == "list"
    assert isinstance(tags.value, tuple) and [v.value for v in tags.value] == ["a", "b"]


def test_native_types_keep_their_arguments() -> None:
    datamodel = lower(
        """
model A {
  id   String   @id @db.Uuid
  name String   @db.VarChar(255)
  at   DateTime @db.Timestamptz(6)
}
"""
    )
    a = model(datamodel, "A")
    natives = {f.name: f.native_type for f in a.fields}
    assert natives == {
        "id": NativeType("Uuid"),
        "name": NativeType("VarChar", ("255",)),
        "at": NativeType("Timestamptz", ("6",)),
    }


def test_arity_ignore_and_unsupported() -> None:
    datamodel = lower(
        """
model A {
  id    Int                      @id
  note  String?
  tags  String[]
  old   Int                      @ignore
  geo   Unsupported("geometry")?
}

model Legacy {
  id Int @id

  @@ignore
}
"""
    )
    a = model(datamodel, "A")
    arities = {f.name: f.arity for f in a.fields}
    assert arities == {
        "id": Arity.REQUIRED,
        "note": Arity.OPTIONAL,
        "tags": Arity.LIST,
        "old": Arity.REQUIRED,
        "geo": Arity.OPTIONAL,
    }
    old = a.field("old")
    geo = a.field("geo")
    assert old is not None and old.is_ignored
    assert geo is not None and geo.kind is FieldKind.UNSUPPORTED and geo.type_name == "geometry"
    assert model(datamodel, "Legacy").is_ignored
    assert [m.name for m in datamodel.tables] == ["A", "Legacy"]  # ignored models are still tables


def test_multi_schema_models_and_views() -> None:
    result = check_text(
        'datasource db {\n  provider = "postgresql"\n  schemas = ["base", "reports"]\n}\n'
        'generator client {\n  provider = "prisma-client-js"\n  previewFeatures = ["views"]\n}\n'
        'model A {\n  id Int @id\n\n  @@schema("base")\n}\n'
        'view V {\n  id Int @unique\n\n  @@schema("reports")\n}\n'
    )
    dm = result.require()
    assert dm.datasource is not None and dm.datasource.schemas == ("base", "reports")
    assert model(dm, "A").schema == "base"
    view = model(dm, "V")
    assert view.is_view and view.schema == "reports"
    assert [m.name for m in dm.tables] == ["A"]


# ── datasource ────────────────────────────────────────────────────────────


def test_prisma6_connection_urls_are_accepted() -> None:
    result = check_text(
        'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n'
        '  directUrl = env("DIRECT_URL")\n  shadowDatabaseUrl = env("SHADOW_URL")\n}\n'
    )
    datamodel = result.require()
    assert datamodel.datasource is not None
    assert datamodel.datasource.url_env == "DATABASE_URL"
    assert datamodel.datasource.shadow_database_url_env == "SHADOW_URL"


def test_literal_secondary_urls_get_prisma7_error() -> None:
    result = check_text(
        'datasource db {\n  provider = "mysql"\n  shadowDatabaseUrl = "mysql://x"\n}\n'
    )
    assert [d.message for d in result.errors] == [
        "The datasource property `shadowDatabaseUrl` is no longer supported in schema files. Move connection "
        "URLs to `prisma.config.ts`. See http://pris.ly/d/config-datasource"
    ]


def test_postgres_alias_and_relation_mode() -> None:
    result = check_text('datasource db {\n  provider = "postgres"\n  relationMode = "prisma"\n}\n')
    datasource = result.require().datasource
    assert datasource is not None
    assert datasource.family == "postgresql"
    assert datasource.relation_mode == "prisma"


@pytest.mark.parametrize("provider", ["sqlserver", "cockroachdb", "mongodb"])
def test_unsupported_providers_are_reported_at_the_provider(provider: str) -> None:
    result = check_text(f'datasource db {{\n  provider = "{provider}"\n}}\n')
    assert result.datamodel is None
    (error,) = result.errors
    assert error.message.startswith(
        f'The provider "{provider}" is not supported by schemamend yet.'
    )
    assert error.span is not None and error.span.line == 2


# ── partial indexes and legacy index names ───────────────────────────────


def test_partial_index_predicates_are_kept_for_the_dialect() -> None:
    datamodel = lower(
        """
model A {
  id Int     @id
  a  Int?
  b  Boolean

  @@index([a], where: { b: true, a: null })
  @@unique([a], where: raw("a > 1"))
}
""",
        head='generator client {\n  provider = "prisma-client-js"\n  previewFeatures = ["partialIndexes"]\n}\n',
    )
    wheres = [(i.constraint_name, i.where) for i in model(datamodel, "A").indexes]
    assert wheres == [("A_a_idx", "{ b: true, a: null }"), ("A_a_key", "a > 1")]


def test_name_on_index_is_its_database_name() -> None:
    datamodel = lower('model A {\n  id Int @id\n  a  Int\n\n  @@index([a], name: "by_a")\n}\n')
    (index,) = model(datamodel, "A").indexes
    assert (index.constraint_name, index.client_name) == ("by_a", None)


# ── schemas split over several files ─────────────────────────────────────


def test_a_schema_folder_is_validated_as_one_schema(tmp_path: Path) -> None:
    (tmp_path / "schema.prisma").write_text('datasource db {\n  provider = "postgresql"\n}\n')
    (tmp_path / "models.prisma").write_text("model A {\n  id   Int  @id\n  kind Kind\n}\n")
    (tmp_path / "enums.prisma").write_text("enum Kind {\n  X\n}\n")
    datamodel = load_schema(tmp_path).require()
    kind = model(datamodel, "A").field("kind")
    assert kind is not None and kind.kind is FieldKind.ENUM


def test_errors_point_into_the_file_that_has_them(tmp_path: Path) -> None:
    (tmp_path / "schema.prisma").write_text('datasource db {\n  provider = "postgresql"\n}\n')
    (tmp_path / "a.prisma").write_text("model A {\n  id Int @id\n}\n")
    (tmp_path / "b.prisma").write_text("model A {\n  id Int @id\n}\n")
    result = load_schema(tmp_path)
    (error,) = result.errors
    assert (
        error.message
        == 'The model "A" cannot be defined because a model with that name already exists.'
    )
    assert error.span is not None and error.span.file.path.endswith("b.prisma")
