"""The parser's fast path for plain field lines builds exactly the tree the general path builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from bench.gen_schemas import generate
from schemamend.diagnostics import SourceFile
from schemamend.psl.parser import Parser
from tests.unit.test_parser_properties import mutated

SAMPLES = [
    "model A {\n  id Int @id @default(autoincrement())\n  name String? @db.VarChar(200) // note\n}\n",
    'model A {\n  id String @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid\n}\n',
    'model A {\n  d Decimal @default(0) @db.Decimal(18, 4)\n  s String @default("a, b") @map("s_col")\n}\n',
    "model A {\n  b B @relation(fields: [bId], references: [id], onDelete: Cascade)\n  bId Int\n}\n",
    'model A {\n  x Int[] @default([1, 2])\n  y Json @default("{}")\n  z Unsupported("circle")?\n}\n',
    "model A {\n  x Int @default(-1)\n  y Float @default(1.5)\n  w Role @default(ADMIN)\n  v  Int  @unique()\n}\n",
    "model A {\n  x Int @id @a..b\n  y Int @@id\n  z Int @map(name: )\n}\n",
    # shapes the fast path hands to the general parser, and their neighbours
    "model A {\n  x Int @default (1)\n  y Int @ id\n  z String @default(a-b)\n  w Int @default(1.5.3)\n}\n",
    'model A {\n  x Int @id@unique\n  y String? @default("a\\"b") //c\r\n  z Int[]? @x(a: [1, 2,], b: f(c: d),)\n}\n',
    "model A {\n  x Int @default(fn (1))\n  y Int @x(a.b: 1)\n  z Int @x({ a: 1 })\n  w Int\x0c@id\n}\n",
    "model A {\n  x Int @x(1abc)\n  y Int @x(a : 1)\n  z Int @x(a:1,b: [ ])\r  w Int\n}\n",
    "model A {\n  x String @db.VarChar(2) /* c */\n  y Int /* a\n b */ @id\n  z Int\n}\n",
    'model A {\n  id Int @id\n\n  @@index([a(sort: Desc), b], type: Hash) // c\n  @@unique([a]) @@map("x")\n  @@id\n}\n',
    'enum E {\n  A @map("a") // c\n  B-C\n  D @x @@map("y")\n\n  @@map("e")\n  @@schema("s")\n}\n',
    "model A {\n  id Int @id\n",  # no closing brace: every line is reported
    "model A {\n  id Int @id\nmodel B {\n  id Int @id\n}\n",
]


def trees(text: str) -> tuple[object, object]:
    source = SourceFile("schema.prisma", text)
    fast = Parser(source)
    slow = Parser(source)
    slow.fast_path = False
    return (fast.parse(), [d.render() for d in fast.diagnostics]), (
        slow.parse(),
        [d.render() for d in slow.diagnostics],
    )


@pytest.mark.parametrize("text", SAMPLES)
def test_fast_and_general_paths_agree(text: str) -> None:
    fast, slow = trees(text)
    assert fast == slow


@pytest.mark.shared
def test_fast_and_general_paths_agree_on_every_corpus_schema(shared_dir: Path) -> None:
    paths = sorted(shared_dir.glob("corpus/**/*.prisma")) + sorted(
        shared_dir.glob("scenarios/**/*.prisma")
    )
    assert paths
    for path in paths:
        fast, slow = trees(path.read_text(encoding="utf-8"))
        assert fast == slow, path


@pytest.mark.parametrize("models", [40, 400])
def test_fast_and_general_paths_agree_on_generated_schemas(models: int) -> None:
    fast, slow = trees(generate(models))
    assert fast == slow


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_fast_and_general_paths_agree_on_mutated_schemas(text: str) -> None:
    fast, slow = trees(text)
    assert fast == slow
