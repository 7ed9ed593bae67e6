"""Hand-built datamodels for renderer tests that must not depend on validation."""

from __future__ import annotations

from schemamend.model import datamodel as dm


def _field(
    name: str, type_name: str, arity: dm.Arity = dm.Arity.REQUIRED, **kw: object
) -> dm.ScalarField:
    kind = kw.pop("kind", dm.FieldKind.SCALAR)
    return dm.ScalarField(name, str(kw.pop("db_name", name)), kind, type_name, arity, **kw)  # type: ignore[arg-type]


def _idx(*names: str) -> tuple[dm.IndexField, ...]:
    return tuple(dm.IndexField(n, n) for n in names)


def blog(provider: str) -> dm.Datamodel:
    """The oracle's sample schema: User 1:n Post, a unique, an index, an enum default."""
    user = dm.Model(
        "User",
        "User",
        fields=(
            _field("id", "Int", default=dm.DefaultValue("autoincrement", text="autoincrement()")),
            _field("email", "String"),
            _field("name", "String", dm.Arity.OPTIONAL),
            _field("createdAt", "DateTime", default=dm.DefaultValue("now", text="now()")),
        ),
        relation_fields=(dm.RelationField("posts", "Post", dm.Arity.LIST, "PostToUser"),),
        primary_key=dm.PrimaryKey(_idx("id"), "User_pkey", is_field_level=True),
        indexes=(
            dm.Index(dm.IndexKind.UNIQUE, _idx("email"), "User_email_key", is_field_level=True),
        ),
    )
    post = dm.Model(
        "Post",
        "Post",
        fields=(
            _field("id", "Int", default=dm.DefaultValue("autoincrement", text="autoincrement()")),
            _field("title", "String"),
            _field("authorId", "Int"),
            _field(
                "status",
                "Status",
                kind=dm.FieldKind.ENUM,
                default=dm.DefaultValue("enum", "DRAFT", "DRAFT"),
            ),
        ),
        relation_fields=(
            dm.RelationField(
                "author", "User", dm.Arity.REQUIRED, "PostToUser", ("authorId",), ("id",)
            ),
        ),
        primary_key=dm.PrimaryKey(_idx("id"), "Post_pkey", is_field_level=True),
        indexes=(dm.Index(dm.IndexKind.NORMAL, _idx("authorId"), "Post_authorId_idx"),),
    )
    relation = dm.Relation(
        "PostToUser",
        dm.RelationKind.ONE_TO_MANY,
        "Post",
        "author",
        "User",
        "posts",
        foreign_key=dm.ForeignKeySide(
            "Post",
            ("authorId",),
            "User",
            ("id",),
            dm.ReferentialAction.RESTRICT,
            dm.ReferentialAction.CASCADE,
            "Post_authorId_fkey",
        ),
    )
    status = dm.EnumType(
        "Status", "Status", (dm.EnumValue("DRAFT", "DRAFT"), dm.EnumValue("PUBLISHED", "PUBLISHED"))
    )
    return dm.Datamodel(
        datasource=dm.Datasource("db", provider),
        generators=(),
        models=(user, post),
        enums=(status,),
        relations=(relation,),
    )
