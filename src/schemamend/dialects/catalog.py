"""What an introspection reader is given: a query function and, where the connection
can pipeline, a batch function that sends independent catalog queries at once (the
server then runs the next while the reader decodes the previous one's rows)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any

    #: Runs one query with its parameters and returns every row.
    Query = Callable[[str, Sequence[object]], Sequence[Sequence[Any]]]
    #: Runs independent queries (text, parameters) and returns each one's rows, in order.
    QueryBatch = Callable[
        [Sequence[tuple[str, Sequence[object]]]], Sequence[Sequence[Sequence[Any]]]
    ]


def batch_of(query: Query, batch: QueryBatch | None) -> QueryBatch:
    """`batch`, or one `query` after the other when the connection has no batch."""
    if batch is not None:
        return batch
    return lambda statements: [query(text, params) for text, params in statements]
