"""Relations: how relation fields pair up, and what each relation means for the database."""

from __future__ import annotations

from schemamend.errors import SourceFile
from schemamend.model.datamodel import Datasource, ReferentialAction, Relation, RelationKind
from schemamend.psl import ast, parse_sources
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
    return resolve_relations(context(models, **options))


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

    def test_unnamed_self_relation_is_named_after_the_model_twice(self) -> None:
        resolution = resolve(
            """
model Node {
  id       Int    @id
  parentId Int?   @unique
  parent   Node?  @relation(fields: [parentId], references: [id])
  child    Node?
}
"""
        )
        assert relation(resolution, "NodeToNode").kind is RelationKind.ONE_TO_ONE


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
