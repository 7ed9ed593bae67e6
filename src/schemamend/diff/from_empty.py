"""Changes that build a declared schema from an empty database (a baseline)."""

from __future__ import annotations

from schemamend.diff.differ import diff_from_empty

__all__ = ["diff_from_empty"]
