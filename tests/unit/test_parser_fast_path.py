"""The parser's fast path for plain field lines builds exactly the tree the general path builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemamend.errors import SourceFile
from schemamend.psl.parser import Parser

SAMPLES = [
    'model A {\n  id Int @id @default(autoincrement())\n  name String? @db.VarChar(200) // note\n}\n',
    'model A {\n  id String @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid\n}\n',
    'model A {\n  d Decimal @default(0) @db.Decimal(18, 4)\n  s String @default("a, b") @map("s_col")\n}\n',
    "model A {\n  b B @relation(fields: [bId], references: [id], onDelete: Cascade)\n  bId Int\n}\n",
    "model A {\n  x Int[] @default([1, 2])\n  y Json @default(\"{}\")\n  z Unsupported(\"circle\")?\n}\n",
    "model A {\n  x Int @default(-1)\n  y Float @default(1.5)\n  w Role @default(ADMIN)\n  v  Int  @unique()\n}\n",
    "model A {\n  x Int @id @a..b\n  y Int @@id\n  z Int @map(name: )\n}\n",
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
    paths = sorted(shared_dir.glob("corpus/**/*.prisma")) + sorted(shared_dir.glob("scenarios/**/*.prisma"))
    assert paths
    for path in paths:
        fast, slow = trees(path.read_text(encoding="utf-8"))
        assert fast == slow, path
