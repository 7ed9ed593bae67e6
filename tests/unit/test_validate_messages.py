"""Validation messages, word for word, as the Prisma 7.10.1 CLI prints them.

Every expected message below was obtained from the real CLI
(`../shared/tools/prisma-oracle/oracle.sh validate`) on the same schema.
"""

from __future__ import annotations

import pytest

from schemamend.psl import check_text


def errors(body: str, provider: str = "postgresql", head: str = "") -> list[str]:
    text = f'datasource db {{\n  provider = "{provider}"\n}}\n{head}\n{body}'
    return [d.message for d in check_text(text).errors]


def rendered(text: str) -> list[str]:
    return [d.render(file_label="schema.prisma") for d in check_text(text).diagnostics]


# ── names and types ──────────────────────────────────────────────────────


def test_duplicate_and_reserved_names() -> None:
    assert errors(
        """
model A {
  id Int @id
}

model A {
  id Int @id
}

enum A {
  X
}

model B {
  id Int @id
  id String
  x  Int @map("id")
}

model String {
  id Int @id
}
"""
    ) == [
        'The model "A" cannot be defined because a model with that name already exists.',
        'The enum "A" cannot be defined because a model with that name already exists.',
        '"String" is a reserved scalar type name and cannot be used.',
        'Field "id" is already defined on model "B".',
        'Field "x" is already defined on model "B".',
    ]


def test_unknown_type() -> None:
    assert errors("model A {\n  id Int @id\n  b  Foo\n}\n") == [
        'Type "Foo" is neither a built-in type, nor refers to another model, composite type, or enum.'
    ]


def test_empty_enum_and_unknown_attributes() -> None:
    assert errors("enum E {\n}\n\nmodel A {\n  id Int @id @foo\n\n  @@bar\n}\n") == [
        "Error validating: An enum must have at least one value.",
        'Attribute not known: "@foo".',
        'Attribute not known: "@bar".',
    ]


# ── attribute arguments ──────────────────────────────────────────────────


def test_argument_shapes() -> None:
    assert errors(
        """
model C {
  a Int @id @ignore("x")
  b Int @unique(foo: 1)
  c Int @map
  d Int @map(1)
  g String @default("a") @default("b")
}
"""
    ) == [
        "No such argument.",
        "No such argument.",
        'Argument "name" is missing.',
        "Expected a string value, but received numeric value `1`.",
        'Attribute "@default" can only be defined once.',
        'Attribute "@default" can only be defined once.',
    ]


def test_default_values_must_fit_the_type() -> None:
    assert errors(
        """
enum E {
  A
}

model A {
  id Int      @id
  e  E        @default(C)
  s  String   @default(5)
  i  Int      @default("x")
  b  Boolean  @default(1)
  f  Float    @default(true)
  w  Int      @default(now())
  u  String   @updatedAt
  l  Int      @default([1])
}
"""
    ) == [
        'Error parsing attribute "@default": The defined default value `C` is not a valid value of the enum '
        "specified for the field.",
        'Error parsing attribute "@default": Expected a String value, but found `5`.',
        'Error parsing attribute "@default": Expected a Int value, but found `"x"`.',
        'Error parsing attribute "@default": Expected a Boolean value, but found `1`.',
        'Error parsing attribute "@default": Expected a Float value, but found `true`.',
        'Error parsing attribute "@default": The function `now()` cannot be used on fields of type `Int`.',
        'Error parsing attribute "@updatedAt": Fields that are marked with @updatedAt must be of type DateTime.',
        'Error parsing attribute "@default": The default value of a non-list field cannot be a list.',
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            "uuid(42)",
            "`uuid()` takes either no argument, or a single integer argument which is either 4 or 7.",
        ),
        (
            "cuid(3)",
            "`cuid()` takes either no argument, or a single integer argument which is either 1 or 2.",
        ),
        (
            "nanoid(1)",
            "`nanoid()` takes either no argument, or a single integer argument between 2 and 255.",
        ),
        ('nanoid("a")', "`nanoid()` takes a single Int argument."),
        (
            "ulid(1)",
            "The `ulid` function does not take any argument. Consider changing this default to `ulid()`.",
        ),
        (
            'dbgenerated("")',
            "dbgenerated() takes either no argument, or a single nonempty string argument.",
        ),
    ],
)
def test_default_function_arguments(call: str, message: str) -> None:
    assert errors(f"model A {{\n  id String @id @default({call})\n}}\n") == [
        f'Error parsing attribute "@default": {message}'
    ]


def test_default_contents_are_checked_once_the_schema_is_sound() -> None:
    assert errors(
        """
model A {
  id Int      @id
  d  DateTime @default("nope")
  j  Json     @default("{")
  b  Bytes    @default("abc")
  i  Int      @default(1.5)
  s  String   @default(sequence())
}
"""
    ) == [
        'Error parsing attribute "@default": Parse error: "nope" is not a valid rfc3339 datetime string. '
        "(input contains invalid characters)",
        'Error parsing attribute "@default": Parse error: "{" is not a valid JSON string. '
        "(EOF while parsing an object at line 1 column 1)",
        'Error parsing attribute "@default": Parse error: "abc" is not a valid base64 string. '
        "(Could not convert from `base64 encoded bytes` to `PrismaValue::Bytes`)",
        'Error parsing attribute "@default": Parse error: "1.5" is not a valid integer. '
        "(invalid digit found in string)",
        "Unknown function in @default(): `sequence` is not known. You can read about the available functions "
        "here: https://pris.ly/d/attribute-functions",
    ]


# ── ids, uniques and indexes ─────────────────────────────────────────────


def test_unique_criteria() -> None:
    assert errors("model A {\n  id Int?\n  x  String? @unique\n}\n") == [
        'Error validating model "A": Each model must have at least one unique criteria that has only required '
        "fields. Either mark a single field with `@id`, `@unique` or add a multi field criterion with `@@id([])` "
        "or `@@unique([])` to the model. The following unique criterias were not considered as they contain "
        "fields that are not required:\n- x"
    ]


def test_index_field_references() -> None:
    assert errors(
        """
model A {
  id Int @id
  b  Int
  @@unique([zz])
  @@index([yy])
}

model B {
  a Int
  @@id([a, zz])
}
"""
    ) == [
        'Error validating model "A": The unique index definition refers to the unknown fields: zz.',
        'Error validating model "A": The index definition refers to the unknown fields: yy.',
        'Error validating model "B": The multi field id declaration refers to the unknown field `zz`.',
    ]


def test_one_id_per_model() -> None:
    assert errors(
        "model A {\n  a Int @id\n  b Int @id\n}\n\nmodel B {\n  a Int @id\n  b Int\n  @@id([b])\n}\n"
    ) == [
        'Error validating model "A": At most one field must be marked as the id field with the `@id` attribute.',
        'Error validating model "B": Each model must have at most one id criteria. You can\'t have `@id` and '
        "`@@id` at the same time.",
    ]


def test_constraint_name_clash_namespaces_per_provider() -> None:
    body = "model A {\n  id Int @id\n  x  String\n  @@index([x])\n  @@index([x(sort: Desc)])\n}\n"
    postgres = errors(body)
    sqlite = errors(body, "sqlite")
    mysql = errors(body, "mysql")
    clash = 'Error parsing attribute "@@index": The given constraint name `A_x_idx` has to be unique in the following namespace: '
    suffix = ". Please provide a different name using the `map` argument."
    assert (
        postgres == [clash + "global for primary key, indexes and unique constraints" + suffix] * 2
    )
    assert sqlite == [clash + "global for indexes and unique constraints" + suffix] * 2
    assert mysql == [clash + "on model `A` for indexes and unique constraints" + suffix] * 2


def test_provider_index_capabilities() -> None:
    assert errors(
        'model A {\n  id Int @id(sort: Desc)\n  a Int\n  @@index([a], clustered: true)\n  @@fulltext([a], map: "ft")\n}\n'
    ) == [
        'Error parsing attribute "@id": The sort argument is not supported in the primary key with the current '
        "connector",
        'Error parsing attribute "@@index": Defining clustering is not supported in the current connector.',
        'Error parsing attribute "@@fulltext": Defining fulltext indexes is not supported with the current '
        "connector.",
    ]


def test_mysql_text_columns_need_a_length_in_indexes() -> None:
    assert errors("model A {\n  id Int @id\n  x String @db.Text @unique\n}\n", "mysql") == [
        "Native type `Text` cannot be unique in MySQL. Please use the `length` argument to the field in the index "
        "definition to allow this."
    ]


# ── native types ─────────────────────────────────────────────────────────


def test_native_types() -> None:
    assert errors(
        """
model C {
  id Int @id
  f  Int @db.VarChar(3)
  h  String @db.Foo
  i  String @db.VarChar(1, 2)
  j  String @db.VarChar("a")
  k  Decimal @db.Decimal(1)
  l  Int @db.Integer(4)
  o  DateTime @db.Timestamptz(7)
  c  Decimal @db.Decimal(5, 6)
}
"""
    ) == [
        "Native type VarChar is not compatible with declared field type Int, expected field type String.",
        "Native type Foo is not supported for postgresql connector.",
        "Native type VarChar takes 1 optional arguments, but received 2.",
        'Expected a nonnegative integer, but found ("a").',
        "Expected two nonnegative integers, but found (1).",
        'Function "Integer" takes 0 arguments, but received 1.',
        "Argument M is out of range for native type `Timestamptz(7)` of Postgres: M can range from 0 to 6.",
        "The scale must not be larger than the precision for the Decimal(5,6) native type in Postgres.",
    ]


def test_mysql_native_type_arguments() -> None:
    assert errors(
        "model A {\n  id Int @id\n  c String @db.VarChar\n  h Decimal @db.Decimal(70, 2)\n"
        "  i String @db.Char(300)\n}\n",
        "mysql",
    ) == [
        'Function "VarChar" takes 1 arguments, but received 0.',
        "Argument M is out of range for native type `Decimal(70,2)` of MySQL: Precision can range from 1 to 65.",
        "Argument M is out of range for native type `Char(300)` of MySQL: M can range from 0 to 255.",
    ]


# ── provider capabilities ────────────────────────────────────────────────


def test_sqlite_lists_native_types_and_autoincrement() -> None:
    assert errors(
        "model A {\n  id Int @id\n  l Int[]\n  x String @db.Text\n  b Int @default(autoincrement())\n}\n",
        "sqlite",
    ) == [
        'Field "l" in model "A" can\'t be a list. The current connector does not support lists of primitive types.',
        "Native type Text is not supported for sqlite connector.",
        'Error parsing attribute "@default": The `autoincrement()` default value is used on a non-id field even '
        "though the datasource does not support this.",
        'Error parsing attribute "@default": The `autoincrement()` default value is used on a non-indexed field '
        "even though the datasource does not support this.",
    ]


def test_composite_types_are_not_supported_on_sql_databases() -> None:
    assert errors("model A {\n  id Int @id\n}\n\ntype T {\n  a String\n}\n", "mysql") == [
        "Error validating: Composite types are not supported on MySQL."
    ]


# ── datasource and generators ────────────────────────────────────────────


def test_datasource_errors_are_rendered_like_prisma() -> None:
    assert rendered('datasource db {\n  url = "x"\n}\n') == [
        'error: Argument "provider" is missing in data source block "db".\n'
        "  -->  schema.prisma:1\n"
        "   | \n"
        "   | \n"
        " 1 | datasource db {\n"
        ' 2 |   url = "x"\n'
        " 3 | }\n"
        "   | "
    ]


def test_unknown_provider_property_and_relation_mode() -> None:
    text = 'datasource db {\n  provider = "postgresql"\n  relationMode = "bar"\n  foo = "x"\n}\n'
    assert [d.message for d in check_text(text).errors] == [
        'Error validating datasource `relationMode`: Invalid relation mode setting: "bar". Supported values: '
        '"prisma", "foreignKeys"',
        'Property not known: "foo".',
    ]
    assert [d.message for d in check_text('datasource db {\n  provider = "foo"\n}\n').errors] == [
        'Datasource provider not known: "foo".'
    ]


def test_preview_features() -> None:
    text = (
        'generator client {\n  provider = "prisma-client-js"\n  previewFeatures = ["multiSchema", "nope"]\n}\n'
        'datasource db {\n  provider = "postgresql"\n}\n'
    )
    result = check_text(text)
    assert [d.message for d in result.warnings] == [
        'Preview feature "multiSchema" is deprecated. The functionality can be used without specifying it as a '
        "preview feature."
    ]
    assert [d.message for d in result.errors] == [
        'The preview feature "nope" is not known. Expected one of: fullTextSearchPostgres, nativeDistinct, '
        "partialIndexes, postgresqlExtensions, relationJoins, schemaEngineDriverAdapters, shardKeys, "
        "strictUndefinedChecks, typedSql, views"
    ]


def test_multi_schema_rules() -> None:
    text = (
        'datasource db {\n  provider = "postgresql"\n  schemas = ["a", "b"]\n}\n'
        "model A {\n  id Int @id\n}\n"
        'model B {\n  id Int @id\n  @@schema("c")\n}\n'
    )
    assert [d.message for d in check_text(text).errors] == [
        "This schema is not defined in the datasource. Read more on `@@schema` at https://pris.ly/d/multi-schema",
        'Error validating model "A": This model is missing an `@@schema` attribute.',
    ]


def test_reserved_model_name() -> None:
    assert errors("model PrismaClient {\n  id Int @id\n}\n") == [
        'Error validating model "PrismaClient": The model name `PrismaClient` is invalid. It is a reserved name. '
        "Please change it. Read more at https://pris.ly/d/naming-models"
    ]
