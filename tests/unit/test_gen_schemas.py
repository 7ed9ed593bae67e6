"""The synthetic schema generator used by the benchmarks is deterministic and well-formed."""

from __future__ import annotations

import re

from bench.gen_schemas import generate


def test_generate_is_deterministic_and_seeded() -> None:
    assert generate(50) == generate(50)
    assert generate(50, seed=2) != generate(50, seed=1)


def test_generate_has_the_requested_models_and_enums() -> None:
    text = generate(120)
    assert len(re.findall(r"^model \w+ \{$", text, flags=re.M)) == 120
    assert len(re.findall(r"^enum \w+ \{$", text, flags=re.M)) == 20
    assert 'provider = "postgresql"' in text
    assert "url" not in text.split("datasource db {", 1)[1].split("}", 1)[0]


def test_generate_uses_every_relation_kind() -> None:
    text = generate(300)
    assert re.search(r'@relation\("\w+", fields: \[\w+\], references: \[id\]', text)  # named
    assert re.search(r"@unique.*\n.*@relation\(fields", text)  # one-to-one
    assert "_m2m" in text  # implicit many-to-many
    assert "@@id([" in text  # explicit link model
