"""Validation and lowering: parsed files → `Datamodel` (or diagnostics).

Pipeline, in Prisma's order (each pass adds diagnostics and goes on; the
whole-schema validations only run on a schema without any error so far, as
in Prisma 7.10.1, so one mistake does not cascade into a page of follow-up
errors):

1. names: the symbol table, duplicate and reserved names;
2. types: every field type resolves;
3. attributes: every attribute read into working records (ids, defaults,
   maps, indexes) and relation inference (`relations.py`);
4. configuration: datasource and generators;
5. validations: provider capabilities, native types, default contents,
   unique criteria, name clashes (only when parsing and 1-4 found no error);
6. lowering to the immutable `Datamodel` (only without errors).
"""

from __future__ import annotations

from schemamend.diagnostics import Diagnostic
from schemamend.model.datamodel import Datamodel
from schemamend.psl import ast
from schemamend.psl.validate.attributes import resolve_attributes
from schemamend.psl.validate.checks import Checker
from schemamend.psl.validate.config import SQL_FAMILIES, ConfigResult, read_configuration
from schemamend.psl.validate.context import Context
from schemamend.psl.validate.lower import lower
from schemamend.psl.validate.names import check_database_names, resolve_names, resolve_types
from schemamend.psl.validate.relation_rules import validate_relations
from schemamend.psl.validate.relations import resolve_relations

SUPPORTED_PROVIDERS_HINT = "postgresql, mysql, sqlite"


def validate_schema(files: list[ast.SchemaFile], diagnostics: list[Diagnostic]) -> Datamodel | None:
    """Validate parsed files; append every diagnostic found to `diagnostics`.

    Returns the datamodel when there is no error (warnings allowed), else None.
    """
    ctx = Context(files, diagnostics=diagnostics)
    config_ctx = Context(files)
    config = read_configuration(config_ctx)
    ctx.datasource = config.datasource
    ctx.generators = config.generators
    ctx.preview_features = set(config.preview_features)

    pending_names = resolve_names(ctx)
    resolve_types(ctx)
    datasource_name = config.datasource.name if config.datasource else None
    resolved = resolve_attributes(ctx, datasource_name)
    check_database_names(ctx, pending_names, resolved)
    resolution = resolve_relations(ctx, resolved)
    diagnostics.extend(config_ctx.diagnostics)

    if ctx.has_errors:
        _report_unsupported_provider(ctx, config)
        return None
    checker = Checker(ctx, config, resolved)
    checker.run()
    validate_relations(ctx, resolution, resolved)
    _report_unsupported_provider(ctx, config)
    if ctx.has_errors:
        return None
    return lower(config, resolved, resolution.relations, resolution.relation_fields)


def _report_unsupported_provider(ctx: Context, config: ConfigResult) -> None:
    datasource = config.datasource
    if datasource is None or datasource.family in SQL_FAMILIES:
        return
    ctx.error(
        f'The provider "{datasource.provider}" is not supported by schemamend yet. '
        f"Supported providers: {SUPPORTED_PROVIDERS_HINT}.",
        config.provider_span,
    )
