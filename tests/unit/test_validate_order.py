"""Validation reports in pass order: names, then types, then attributes.

However the validator schedules its work (some name checks wait for `@map` to be read
by the attribute pass), the messages come out as if each pass had run over the whole
schema before the next one started.
"""

from __future__ import annotations

from schemamend.psl import check_text

SCHEMA = """
datasource db {
  provider = "postgresql"
}

model A {
  id Int @id
  x  Int @map("y")
  y  Int
  z  Foo
  w  Int @unknownattr
  v  Int @map("id")
}

model B {
  id   Int @id
  1bad Int
  c    Int @map("d")
  d    Int
}

model C {
  id Int @id
  e  Int @map("f") @map("g")
  f  Int
  g  Int
}
"""


def test_messages_come_out_pass_by_pass_and_model_by_model() -> None:
    found = [(d.message, d.span.line if d.span else None) for d in check_text(SCHEMA).diagnostics]
    assert found == [
        # names: database names clash through @map (the first @map counts, even when repeated)
        ('Field "y" is already defined on model "A".', 9),
        ('Field "v" is already defined on model "A".', 12),
        ("Error validating: The name of a field must not start with a number.", 17),
        ('Field "d" is already defined on model "B".', 19),
        ('Field "f" is already defined on model "C".', 25),
        # types
        (
            'Type "Foo" is neither a built-in type, nor refers to another model, composite type, or enum.',
            10,
        ),
        # attributes
        ('Attribute not known: "@unknownattr".', 11),
        ('Attribute "@map" can only be defined once.', 24),
        ('Attribute "@map" can only be defined once.', 24),
    ]
