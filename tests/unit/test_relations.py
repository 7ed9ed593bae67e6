"""Relations: how relation fields pair up, and what each relation means for the database."""

from __future__ import annotations

from schemamend.diagnostics import Severity, SourceFile
from schemamend.model.datamodel import Datasource, ReferentialAction, Relation, RelationKind
from schemamend.psl import ast, check_text, parse_sources
from schemamend.psl.validate.attributes import resolve_attributes
from schemamend.psl.validate.context import Context
from schemamend.psl.validate.relations import RelationResolution, resolve_relations

R = ReferentialAction


def context(
    models: str, provider: str = "postgresql", relation_mode: str = "foreignKeys"
) -> Context:
    """A validation context for a schema made of `models`, with symbol tables filled in."""
    files, diagnostics = parse_sources([SourceFile("schema.prisma", models)])
    assert not diagnostics, [d.render() for d in diagnostics]
    datasource = Datasource("db", provider, relation_mode=relation_mode)
    ctx = Context(files, datasource=datasource)
    for block in ctx.blocks():
        if block.kind in (ast.BlockKind.MODEL, ast.BlockKind.VIEW):
            ctx.models.setdefault(block.name.name, block)
        elif block.kind is ast.BlockKind.ENUM:
            ctx.enums.setdefault(block.name.name, block)
    return ctx


def resolve(models: str, **options: str) -> RelationResolution:
    ctx = context(models, **options)
    return resolve_relations(ctx, resolve_attributes(ctx, "db"))


def relation(resolution: RelationResolution, name: str) -> Relation:
    found = [r for r in resolution.relations if r.name == name]
    assert len(found) == 1, [r.name for r in resolution.relations]
    return found[0]


BLOG = """
model User {
  id      Int      @id
  posts   Post[]
  profile Profile?
}

model Post {
  id       Int   @id
  authorId Int
  author   User  @relation(fields: [authorId], references: [id])
  tags     Tag[]
}

model Profile {
  id     Int   @id
  userId Int?  @unique @map("user_id")
  user   User? @relation(fields: [userId], references: [id])

  @@map("profiles")
}

model Tag {
  id    Int    @id
  posts Post[]
}
"""


class TestPairing:
    def test_unnamed_relations_are_named_after_both_models_in_alphabetical_order(self) -> None:
        names = sorted(r.name for r in resolve(BLOG).relations)
        assert names == ["PostToTag", "PostToUser", "ProfileToUser"]

    def test_one_to_many_has_the_singular_side_as_referencing_side(self) -> None:
        rel = relation(resolve(BLOG), "PostToUser")
        assert rel.kind is RelationKind.ONE_TO_MANY
        assert (rel.model_a, rel.field_a, rel.model_b, rel.field_b) == (
            "Post",
            "author",
            "User",
            "posts",
        )
        assert rel.foreign_key is not None
        assert rel.foreign_key.model == "Post"
        assert rel.foreign_key.fields == ("authorId",)
        assert rel.foreign_key.referenced_model == "User"
        assert rel.foreign_key.references == ("id",)
        assert rel.emits_foreign_key

    def test_one_to_one(self) -> None:
        rel = relation(resolve(BLOG), "ProfileToUser")
        assert rel.kind is RelationKind.ONE_TO_ONE
        assert rel.foreign_key is not None and rel.foreign_key.model == "Profile"

    def test_implicit_many_to_many_gets_a_join_table(self) -> None:
        rel = relation(resolve(BLOG), "PostToTag")
        assert rel.kind is RelationKind.MANY_TO_MANY
        assert rel.foreign_key is None
        assert rel.join_table is not None
        assert rel.join_table.db_name == "_PostToTag"
        assert (rel.join_table.model_a, rel.join_table.model_b) == ("Post", "Tag")

    def test_every_relation_field_is_described(self) -> None:
        fields = resolve(BLOG).relation_fields
        assert set(fields) == {
            ("User", "posts"),
            ("User", "profile"),
            ("Post", "author"),
            ("Post", "tags"),
            ("Profile", "user"),
            ("Tag", "posts"),
        }
        author = fields[("Post", "author")]
        assert author.relation_name == "PostToUser"
        assert author.fields == ("authorId",)
        assert fields[("User", "posts")].relation_name == "PostToUser"

    def test_named_relations_pair_by_name(self) -> None:
        resolution = resolve(
            """
model User {
  id        Int    @id
  written   Post[] @relation("author")
  reviewed  Post[] @relation(name: "reviewer")
}

model Post {
  id         Int  @id
  authorId   Int
  reviewerId Int
  reviewer   User @relation("reviewer", fields: [reviewerId], references: [id])
  author     User @relation(name: "author", fields: [authorId], references: [id])
}
"""
        )
        author = relation(resolution, "author")
        assert (author.field_a, author.field_b) == ("author", "written")
        reviewer = relation(resolution, "reviewer")
        assert (reviewer.field_a, reviewer.field_b) == ("reviewer", "reviewed")

    def test_self_relation(self) -> None:
        resolution = resolve(
            """
model Employee {
  id        Int        @id
  managerId Int?
  manager   Employee?  @relation("management", fields: [managerId], references: [id])
  reports   Employee[] @relation("management")
}
"""
        )
        rel = relation(resolution, "management")
        assert rel.kind is RelationKind.ONE_TO_MANY
        assert (rel.field_a, rel.field_b) == ("manager", "reports")
        assert rel.foreign_key is not None
        assert rel.foreign_key.on_delete is R.SET_NULL

    def test_unnamed_relations_between_two_models_get_a_generated_name_on_both_fields(self) -> None:
        fields = resolve(BLOG).relation_fields
        assert fields[("Profile", "user")].relation_name == "ProfileToUser"
        assert fields[("User", "profile")].relation_name == "ProfileToUser"

    def test_a_missing_back_relation_still_yields_a_relation(self) -> None:
        resolution = resolve(
            """
model User {
  id Int @id
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
"""
        )
        rel = relation(resolution, "PostToUser")
        assert (rel.field_a, rel.field_b) == ("author", None)
        assert rel.foreign_key is not None


class TestReferentialActions:
    def test_required_relation_defaults_to_restrict_on_delete_and_cascade_on_update(self) -> None:
        fk = relation(resolve(BLOG), "PostToUser").foreign_key
        assert fk is not None
        assert (fk.on_delete, fk.on_update) == (R.RESTRICT, R.CASCADE)

    def test_optional_relation_defaults_to_set_null_on_delete(self) -> None:
        fk = relation(resolve(BLOG), "ProfileToUser").foreign_key
        assert fk is not None
        assert (fk.on_delete, fk.on_update) == (R.SET_NULL, R.CASCADE)

    def test_one_required_referencing_field_makes_the_relation_required(self) -> None:
        resolution = resolve(
            """
model P {
  id   Int @id
  a    Int
  kids K[]

  @@unique([id, a])
}

model K {
  id  Int  @id
  pId Int?
  pA  Int
  p   P?   @relation(fields: [pId, pA], references: [id, a])
}
"""
        )
        fk = relation(resolution, "KToP").foreign_key
        assert fk is not None and fk.on_delete is R.RESTRICT

    def test_sql_server_cannot_restrict_so_it_defaults_to_no_action(self) -> None:
        fk = relation(resolve(BLOG, provider="sqlserver"), "PostToUser").foreign_key
        assert fk is not None and fk.on_delete is R.NO_ACTION

    def test_explicit_actions_win(self) -> None:
        text = BLOG.replace(
            "references: [id])\n  tags",
            "references: [id], onDelete: Cascade, onUpdate: NoAction)\n  tags",
        )
        fk = relation(resolve(text), "PostToUser").foreign_key
        assert fk is not None
        assert (fk.on_delete, fk.on_update) == (R.CASCADE, R.NO_ACTION)


class TestForeignKeyNames:
    def test_default_name_uses_database_names_of_table_and_columns(self) -> None:
        fk = relation(resolve(BLOG), "ProfileToUser").foreign_key
        assert fk is not None and fk.constraint_name == "profiles_user_id_fkey"

    def test_map_argument_names_the_constraint(self) -> None:
        text = BLOG.replace(
            "references: [id])\n  tags", 'references: [id], map: "post_author")\n  tags'
        )
        fk = relation(resolve(text), "PostToUser").foreign_key
        assert fk is not None and fk.constraint_name == "post_author"

    def test_long_default_names_are_cut_to_the_identifier_limit(self) -> None:
        table = "Kid4_abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_a"
        text = f"""
model Kid {{
  id   Int      @id
  kids {table}[]
}}

model {table} {{
  id     Int @id
  p      Int
  parent Kid @relation(fields: [p], references: [id])
}}
"""
        postgres = relation(resolve(text), f"KidTo{table}").foreign_key
        assert postgres is not None
        assert (
            postgres.constraint_name
            == "Kid4_abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_fkey"
        )
        assert len(postgres.constraint_name) == 63
        sqlite = relation(resolve(text, provider="sqlite"), f"KidTo{table}").foreign_key
        assert sqlite is not None and sqlite.constraint_name == f"{table}_p_fkey"


class TestForeignKeyEmission:
    def test_relation_mode_prisma_emits_no_foreign_keys(self) -> None:
        resolution = resolve(BLOG, relation_mode="prisma")
        assert not any(r.emits_foreign_key for r in resolution.relations)
        fk = relation(resolution, "PostToUser").foreign_key
        assert fk is not None and fk.constraint_name == "Post_authorId_fkey"

    def test_ignored_fields_and_models_still_get_their_foreign_key(self) -> None:
        # Prisma Migrate creates tables and constraints for @@ignore'd models too.
        text = BLOG.replace("references: [id])\n  tags", "references: [id]) @ignore\n  tags")
        assert relation(resolve(text), "PostToUser").emits_foreign_key

    def test_join_table_lives_in_the_schema_of_its_first_model(self) -> None:
        resolution = resolve(
            """
model Zebra {
  id     Int     @id
  apples Apple[]

  @@schema("alpha")
}

model Apple {
  id     Int     @id
  zebras Zebra[]

  @@schema("zeta")
}
"""
        )
        join = relation(resolution, "AppleToZebra").join_table
        assert join is not None
        assert (join.db_name, join.model_a, join.schema) == ("_AppleToZebra", "Apple", "zeta")


# ── validation: Prisma's messages (checked with the Prisma 7.10.1 CLI) ─────

POSTGRES = 'datasource db {\n  provider = "postgresql"\n}\n'


def messages(schema: str, severity: str = "error") -> list[str]:
    result = check_text(schema)
    wanted = Severity.ERROR if severity == "error" else Severity.WARNING
    return [d.message for d in result.diagnostics if d.severity is wanted]


def with_datasource(provider: str, models: str, relation_mode: str | None = None) -> str:
    mode = f'\n  relationMode = "{relation_mode}"' if relation_mode else ""
    return f'datasource db {{\n  provider = "{provider}"{mode}\n}}\n{models}'


class TestPairingRules:
    def test_a_relation_field_needs_an_opposite_field(self) -> None:
        schema = (
            POSTGRES
            + """
model User {
  id Int @id
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
"""
        )
        assert messages(schema) == [
            "Error validating field `author` in model `Post`: The relation field `author` on model `Post` is "
            "missing an opposite relation field on the model `User`. Either run `prisma format` or add it "
            "manually."
        ]

    def test_two_unnamed_relations_between_the_same_models_are_ambiguous(self) -> None:
        schema = (
            POSTGRES
            + """
model User {
  id     Int    @id
  posts  Post[]
  posts2 Post[]
}

model Post {
  id         Int  @id
  authorId   Int
  author     User @relation(fields: [authorId], references: [id])
  reviewerId Int
  reviewer   User @relation(fields: [reviewerId], references: [id])
}
"""
        )
        assert messages(schema) == [
            'Error validating model "User": Ambiguous relation detected. The fields `posts` and `posts2` in '
            "model `User` both refer to `Post`. Please provide different relation names for them by adding "
            "`@relation(<name>)."
        ]

    def test_an_unnamed_self_relation_with_two_fields_is_ambiguous(self) -> None:
        schema = (
            POSTGRES
            + """
model Node {
  id       Int    @id
  parentId Int?
  parent   Node?  @relation(fields: [parentId], references: [id])
  children Node[]
}
"""
        )
        assert messages(schema) == [
            'Error validating model "Node": Ambiguous self relation detected. The fields `parent` and '
            "`children` in model `Node` both refer to `Node`. If they are part of the same relation add the "
            "same relation name for them with `@relation(<name>)`."
        ]

    def test_unknown_fields_in_fields_argument(self) -> None:
        schema = (
            POSTGRES
            + """
model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorXd], references: [id])
}
"""
        )
        assert messages(schema) == [
            "Error validating: The argument fields must refer only to existing fields. The following fields "
            "do not exist in this model: authorXd"
        ]


USER_POSTS = """
model User {
  id    Int    @id
  email String
  posts Post[]
}

model Post {
  id       Int  @id
  %s
  author   User @relation(%s)
}
"""


class TestForeignKeyRules:
    def test_fields_and_references_must_have_the_same_length(self) -> None:
        schema = POSTGRES + USER_POSTS % (
            "authorId Int",
            "fields: [authorId], references: [id, email]",
        )
        assert (
            "Error validating: You must specify the same number of fields in `fields` and `references`."
            in (messages(schema))
        )

    def test_references_must_be_a_unique_criterion(self) -> None:
        schema = POSTGRES + USER_POSTS % (
            "authorEmail String",
            "fields: [authorEmail], references: [email]",
        )
        assert messages(schema) == [
            'Error parsing attribute "@relation": The argument `references` must refer to a unique criterion '
            "in the related model. Consider adding an `@unique` attribute to the field `email` in the model "
            "`User`."
        ]

    def test_field_types_must_match(self) -> None:
        schema = POSTGRES + USER_POSTS % ("authorId String", "fields: [authorId], references: [id]")
        assert messages(schema) == [
            'Error parsing attribute "@relation": The type of the field `authorId` in the model `Post` is not '
            "matching the type of the referenced field `id` in model `User`."
        ]

    def test_a_required_relation_cannot_use_only_optional_fields(self) -> None:
        schema = POSTGRES + USER_POSTS % ("authorId Int?", "fields: [authorId], references: [id]")
        assert messages(schema) == [
            "Error validating: The relation field `author` uses the scalar fields authorId. At least one of "
            "those fields is optional. Hence the relation field must be optional as well."
        ]

    def test_the_many_side_must_declare_fields_and_references(self) -> None:
        schema = POSTGRES + USER_POSTS % ("authorId Int", "")
        assert messages(schema) == [
            'Error parsing attribute "@relation": The relation field `author` on Model `Post` must specify '
            "the `fields` argument in the @relation attribute. You can run `prisma format` to fix this "
            "automatically.",
            'Error parsing attribute "@relation": The relation field `author` on Model `Post` must specify '
            "the `references` argument in the @relation attribute.",
        ]

    def test_foreign_key_names_clash_with_index_names_of_the_same_table_on_postgres(self) -> None:
        schema = POSTGRES + USER_POSTS % (
            'authorId Int\n\n  @@index([authorId], map: "Post_authorId_fkey")',
            "fields: [authorId], references: [id]",
        )
        assert messages(schema) == [
            'Error parsing attribute "@relation": The given constraint name `Post_authorId_fkey` has to be '
            "unique in the following namespace: on model `Post` for primary key, indexes, unique constraints "
            "and foreign keys. Please provide a different name using the `map` argument."
        ]

    def test_sqlite_has_no_named_foreign_keys(self) -> None:
        schema = with_datasource(
            "sqlite",
            USER_POSTS % ("authorId Int", 'fields: [authorId], references: [id], map: "fk"'),
        )
        assert messages(schema) == [
            'Error parsing attribute "@relation": Your provider does not support named foreign keys.'
        ]


PROFILE = """
model User {
  id      Int      @id
  profile Profile%s
}

model Profile {
  id     Int   @id
  userId Int%s
  user   User%s @relation(fields: [userId], references: [id])
}
"""


class TestOneToOneRules:
    def test_the_defining_side_must_be_unique(self) -> None:
        schema = POSTGRES + PROFILE % ("?", "", "")
        assert messages(schema) == [
            'Error parsing attribute "@relation": A one-to-one relation must use unique fields on the '
            "defining side. Either add an `@unique` attribute to the field `userId`, or change the relation "
            "to one-to-many."
        ]

    def test_both_sides_cannot_be_required(self) -> None:
        schema = POSTGRES + PROFILE % ("", " @unique", "")
        assert messages(schema) == [
            'Error parsing attribute "@relation": The relation field `profile` on Model `User` is required. '
            "This is not valid because it's not possible to enforce this constraint on the database level. "
            "Please change the field type from `Profile` to `Profile?` to fix this."
        ]

    def test_the_foreign_key_belongs_on_the_required_side(self) -> None:
        schema = POSTGRES + PROFILE % ("", " @unique", "?")
        assert messages(schema) == [
            'Error parsing attribute "@relation": The relation field `Profile.user` defines the `fields` '
            "and/or `references` argument. You must set them on the required side of the relation "
            "(`User.profile`) in order for the constraints to be enforced. Alternatively, you can change this "
            "field to be required and the opposite optional, or make both sides of the relation optional."
        ]


SET_NULL = """
model User {
  id      Int      @id
  profile Profile?
}

model Profile {
  id     Int   @id
  userId Int   @unique
  user   User? @relation(fields: [userId], references: [id], onDelete: SetNull)
}
"""


class TestReferentialActionRules:
    def test_set_null_on_a_required_field_is_an_error(self) -> None:
        assert messages(with_datasource("sqlite", SET_NULL)) == [
            'Error parsing attribute "@relation": The `onDelete` referential action of a relation must not be '
            "set to `SetNull` when a referenced field is required.\n"
            "Either choose another referential action, or make the referenced fields optional.\n"
        ]

    def test_postgres_only_warns_about_set_null_on_a_required_field(self) -> None:
        schema = with_datasource("postgresql", SET_NULL)
        assert messages(schema) == []
        assert messages(schema, "warning") == [
            "The `onDelete` referential action of a relation should not be set to `SetNull` when a referenced "
            "field is required. We recommend either to choose another referential action, or to make the "
            "referenced fields optional. Read more at https://pris.ly/d/postgres-set-null "
        ]

    def test_emulated_relations_on_postgres_do_not_accept_no_action(self) -> None:
        schema = with_datasource(
            "postgresql",
            USER_POSTS
            % (
                "authorId Int\n\n  @@index([authorId])",
                "fields: [authorId], references: [id], onDelete: NoAction",
            ),
            relation_mode="prisma",
        )
        assert messages(schema) == [
            "Error validating: Invalid referential action: `NoAction`. Allowed values: (`Cascade`, `Restrict`, "
            '`SetNull`). `NoAction` is not implemented for Postgres when using `relationMode = "prisma"`, you '
            "could try using `Restrict` instead. Learn more at https://pris.ly/d/relation-mode"
        ]

    def test_mysql_warns_about_set_default(self) -> None:
        schema = with_datasource(
            "mysql",
            USER_POSTS
            % ("authorId Int", "fields: [authorId], references: [id], onDelete: SetDefault"),
        )
        assert messages(schema, "warning") == [
            "MySQL does not actually support the `SetDefault` referential action, so using it may result in "
            "unexpected errors. Read more at https://pris.ly/d/mysql-set-default "
        ]

    def test_emulated_relations_must_not_cascade_in_a_cycle(self) -> None:
        schema = with_datasource(
            "postgresql",
            """
model A {
  id  Int  @id
  bId Int?
  b   B?   @relation(fields: [bId], references: [id])
  bs  B[]  @relation("x")

  @@index([bId])
}

model B {
  id  Int  @id
  aId Int?
  a   A?   @relation("x", fields: [aId], references: [id])
  as  A[]

  @@index([aId])
}
""",
            relation_mode="prisma",
        )
        assert messages(schema) == [
            "Error validating: Reference causes a cycle. One of the @relation attributes in this cycle must "
            "have `onDelete` and `onUpdate` referential actions set to `NoAction`. Cycle path: A.b → B.a. "
            "(Implicit default `onDelete`: `SetNull`, and `onUpdate`: `Cascade`) Read more at "
            "https://pris.ly/d/cyclic-referential-actions",
            "Error validating: Reference causes a cycle. One of the @relation attributes in this cycle must "
            "have `onDelete` and `onUpdate` referential actions set to `NoAction`. Cycle path: B.a → A.b. "
            "(Implicit default `onDelete`: `SetNull`, and `onUpdate`: `Cascade`) Read more at "
            "https://pris.ly/d/cyclic-referential-actions",
        ]

    def test_emulated_relations_without_an_index_get_a_warning(self) -> None:
        schema = with_datasource(
            "mysql",
            USER_POSTS % ("authorId Int", "fields: [authorId], references: [id]"),
            relation_mode="prisma",
        )
        assert messages(schema, "warning") == [
            'With `relationMode = "prisma"`, no foreign keys are used, so relation fields will not benefit from '
            "the index usually created by the relational database under the hood. This can lead to poor "
            "performance when querying these fields. We recommend adding an index manually. Learn more at "
            'https://pris.ly/d/relation-mode-prisma-indexes" '
        ]


class TestManyToManyRules:
    def test_implicit_many_to_many_needs_an_id_on_both_models(self) -> None:
        schema = (
            POSTGRES
            + """
model User {
  id    Int    @unique
  posts Post[]
}

model Post {
  id    Int    @id
  users User[]
}
"""
        )
        assert messages(schema) == [
            "Error validating field `users` in model `Post`: The relation field `users` on model `Post` "
            "references `User` which does not have an `@id` field. Models without `@id` cannot be part of a "
            "many to many relation. Use an explicit intermediate Model to represent this relationship."
        ]

    def test_relations_to_ignored_models_must_be_ignored(self) -> None:
        schema = POSTGRES + USER_POSTS.replace(
            "posts Post[]\n}", "posts Post[]\n\n  @@ignore\n}"
        ) % (
            "authorId Int",
            "fields: [authorId], references: [id]",
        )
        assert messages(schema) == [
            'Error parsing attribute "@ignore": The relation field `author` on Model `Post` must specify the '
            "`@ignore` attribute, because the model User it is pointing to is marked ignored."
        ]


class TestMoreShapes:
    def test_the_one_side_of_one_to_many_must_not_declare_fields(self) -> None:
        schema = (
            POSTGRES
            + """
model User {
  id     Int    @id
  postId Int
  posts  Post[] @relation(fields: [postId], references: [id])
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
"""
        )
        assert messages(schema) == [
            'Error parsing attribute "@relation": The relation field `posts` on Model `User` must not '
            "specify the `fields` or `references` argument in the @relation attribute. You must only specify "
            "it on the opposite field `author` on model `Post`."
        ]

    def test_referential_actions_belong_on_the_side_with_fields(self) -> None:
        schema = POSTGRES + USER_POSTS.replace(
            "posts Post[]", "posts Post[] @relation(onDelete: Cascade)"
        ) % (
            "authorId Int",
            "fields: [authorId], references: [id]",
        )
        assert messages(schema) == [
            'Error parsing attribute "@relation": The relation field `posts` on Model `User` must not '
            "specify the `onDelete` or `onUpdate` argument in the @relation attribute. You must only specify "
            "it on the opposite field `author` on model `Post`, or in case of a many to many relation, in an "
            "explicit join table."
        ]

    def test_one_to_one_without_fields_on_either_side(self) -> None:
        schema = (
            POSTGRES
            + """
model A {
  id  Int @id
  zed B?
}

model B {
  id    Int @id
  alpha A?
}
"""
        )
        assert messages(schema) == [
            'Error parsing attribute "@relation": The relation fields `zed` on Model `A` and `alpha` on Model '
            "`B` do not provide the `fields` argument in the @relation attribute. You have to provide it on "
            "one of the two fields.",
            'Error parsing attribute "@relation": The relation fields `alpha` on Model `B` and `zed` on Model '
            "`A` do not provide the `fields` argument in the @relation attribute. You have to provide it on "
            "one of the two fields.",
            'Error parsing attribute "@relation": The relation fields `zed` on Model `A` and `alpha` on Model '
            "`B` do not provide the `references` argument in the @relation attribute. You have to provide it "
            "on one of the two fields.",
            'Error parsing attribute "@relation": The relation fields `alpha` on Model `B` and `zed` on Model '
            "`A` do not provide the `references` argument in the @relation attribute. You have to provide it "
            "on one of the two fields.",
        ]

    def test_implicit_many_to_many_takes_no_referential_actions(self) -> None:
        schema = (
            POSTGRES
            + """
model Post {
  id   Int   @id
  tags Tag[] @relation(onDelete: Cascade)
}

model Tag {
  id    Int    @id
  posts Post[]
}
"""
        )
        assert messages(schema) == [
            "Error validating: Referential actions on implicit many-to-many relations are not supported"
        ]

    def test_list_fields_on_both_sides_with_fields_are_not_many_to_many_in_sql(self) -> None:
        schema = (
            POSTGRES
            + """
model User {
  id      Int    @id
  postIds Int[]
  posts   Post[] @relation(fields: [postIds], references: [id])
}

model Post {
  id    Int    @id
  users User[]
}
"""
        )
        embedded = (
            "Error validating: Embedded many-to-many relations are not supported on Postgres. Please use "
            "the syntax defined in https://pris.ly/d/relational-database-many-to-many"
        )
        assert messages(schema) == [embedded, embedded]

    def test_a_cascading_self_relation_needs_no_action_when_relations_are_emulated(self) -> None:
        schema = with_datasource(
            "sqlite",
            """
model A {
  id     Int  @id @default(autoincrement())
  child  A?   @relation(name: "a_self_relation")
  parent A?   @relation(name: "a_self_relation", fields: [aId], references: [id], onDelete: Cascade)
  aId    Int? @unique
}
""",
            relation_mode="prisma",
        )
        assert messages(schema) == [
            "Error validating: A self-relation must have `onDelete` and `onUpdate` referential actions set to "
            "`NoAction` in one of the @relation attributes. (Implicit default `onUpdate`: `Cascade`) Read "
            "more at https://pris.ly/d/cyclic-referential-actions"
        ]

    def test_with_foreign_keys_the_database_handles_cascading_self_relations(self) -> None:
        schema = with_datasource(
            "sqlite",
            """
model A {
  id     Int  @id @default(autoincrement())
  child  A?   @relation(name: "a_self_relation")
  parent A?   @relation(name: "a_self_relation", fields: [aId], references: [id], onDelete: Cascade)
  aId    Int? @unique
}
""",
        )
        assert messages(schema) == []

    def test_ambiguity_stops_the_other_relation_checks(self) -> None:
        schema = (
            POSTGRES
            + """
model User {
  id     Int    @id
  posts  Post[] @relation("a")
  posts2 Post[] @relation("a")
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation("a", fields: [authorId], references: [id])
}

model Lonely {
  id   Int   @id
  tags Tag[]
}

model Tag {
  id Int @id
}
"""
        )
        assert messages(schema) == [
            'Error validating model "User": Wrongly named relation detected. The fields `posts` and `posts2` '
            "in model `User` both use the same relation name. Please provide different relation names for "
            "them through `@relation(<name>)."
        ]

    def test_a_trailing_comma_in_relation_arguments_is_reported_first(self) -> None:
        schema = POSTGRES + USER_POSTS % ("authorId Int", "fields: [authorId], ")
        assert messages(schema) == [
            'Error parsing attribute "@relation": Trailing commas are not valid in attribute arguments, '
            "please remove the comma."
        ]
