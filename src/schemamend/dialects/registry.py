"""Explicit, lazy lookup of a dialect by datasource provider.

Each dialect's `dialect` module exposes `DIALECT`; it is imported only when asked for.
"""

from __future__ import annotations

import importlib

from schemamend.dialects.base import Dialect
from schemamend.errors import SchemamendError

_MODULES = {
    "postgresql": "schemamend.dialects.postgres.dialect",
    "postgres": "schemamend.dialects.postgres.dialect",
    "sqlite": "schemamend.dialects.sqlite.dialect",
    "mysql": "schemamend.dialects.mysql.dialect",
}


class UnsupportedProviderError(SchemamendError):
    code = "SM020"


def dialect_for(provider: str) -> Dialect:
    """The dialect for a datasource provider ("postgresql", "sqlite", "mysql", ...)."""
    module_name = _MODULES.get(provider)
    if module_name is None:
        raise UnsupportedProviderError(
            f'The provider "{provider}" is not supported (supported: postgresql, mysql, sqlite).'
        )
    module = importlib.import_module(module_name)
    dialect: Dialect = module.DIALECT
    return dialect
