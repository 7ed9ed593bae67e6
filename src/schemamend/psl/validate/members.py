"""Enum members the validation passes compare on every field, index or block, read once.

Reading a member from its enum class (`FieldKind.SCALAR`) is a slow attribute lookup in
Python 3.11 (the enum metaclass defines `__getattr__`: about 860 instructions); a module
global costs one dictionary lookup. The relation shapes are read once in `relations.py`.
"""

from __future__ import annotations

from schemamend.model.datamodel import Arity, FieldKind, IndexKind
from schemamend.psl.ast import BlockKind

SCALAR_KIND = FieldKind.SCALAR
ENUM_KIND = FieldKind.ENUM
UNSUPPORTED_KIND = FieldKind.UNSUPPORTED

LIST_ARITY = Arity.LIST
REQUIRED_ARITY = Arity.REQUIRED
OPTIONAL_ARITY = Arity.OPTIONAL

UNIQUE_INDEX = IndexKind.UNIQUE
NORMAL_INDEX = IndexKind.NORMAL
FULLTEXT_INDEX = IndexKind.FULLTEXT

MODEL_BLOCK = BlockKind.MODEL
VIEW_BLOCK = BlockKind.VIEW
ENUM_BLOCK = BlockKind.ENUM
