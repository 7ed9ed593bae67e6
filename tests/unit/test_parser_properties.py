"""Property: any mutation of a valid schema yields a model or positioned errors."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemamend.psl import check_text

BASE = """datasource db {
  provider = "postgresql"
}

enum Role {
  ADMIN
  USER @map("user")
}

/// A person.
model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique @db.VarChar(200)
  role      Role     @default(USER)
  createdAt DateTime @default(now()) @map("created_at")
  posts     Post[]

  @@map("users")
}

model Post {
  id       String   @id @default(uuid())
  authorId Int
  author   User     @relation(fields: [authorId], references: [id], onDelete: Cascade)
  tags     String[]
  score    Decimal  @default(0) @db.Decimal(10, 2)

  @@index([authorId, score(sort: Desc)])
}
"""

ALPHABET = '{}()[]@=,:?!."\n /abcXYZ019_-'


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = BASE
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(["delete", "insert", "truncate", "duplicate_line", "swap_lines"])
        )
        pos = draw(st.integers(0, len(text)))
        if kind == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 12)) :]
        elif kind == "insert":
            text = text[:pos] + draw(st.text(ALPHABET, min_size=1, max_size=8)) + text[pos:]
        elif kind == "truncate":
            text = text[:pos]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "duplicate_line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutations_give_a_model_or_positioned_errors(text: str) -> None:
    result = check_text(text)
    if result.errors:
        assert result.datamodel is None
        for diagnostic in result.errors:
            assert diagnostic.span is not None, diagnostic.message
            assert 0 <= diagnostic.span.start <= diagnostic.span.end <= len(text)
            rendered = diagnostic.render()
            assert "schema.prisma:" in rendered
    else:
        assert result.datamodel is not None


def test_base_schema_is_valid() -> None:
    result = check_text(BASE)
    assert not result.errors, [d.render() for d in result.errors]
    assert result.datamodel is not None
