"""Loading a schema leaves nothing behind once its result is dropped.

`check_sources` pauses the garbage collector and freezes what it built (a full
collection over a large schema's objects costs more than parsing it), so
whatever it creates must be freed by reference counting alone: one reference
cycle would keep the whole tree alive for the life of the process.
"""

from __future__ import annotations

from bench.gen_schemas import generate
from schemamend.psl import check_text
from tests.gc_support import cyclic_garbage_from_schemamend, flush_earlier_garbage


def test_a_loaded_schema_is_freed_by_reference_counting() -> None:
    text = generate(60)
    check_text(text)  # imports and caches made on first use are not garbage
    flush_earlier_garbage()
    result = check_text(text)
    assert result.ok and result.datamodel is not None
    del result
    assert cyclic_garbage_from_schemamend() == []


def test_an_invalid_schema_is_freed_too() -> None:
    text = generate(30).replace("@relation(", "@relation(fields: [nope], ", 3)
    check_text(text)
    flush_earlier_garbage()
    result = check_text(text)
    assert result.errors
    del result
    assert cyclic_garbage_from_schemamend() == []
