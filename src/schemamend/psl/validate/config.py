"""The `datasource` and `generator` blocks: provider, URLs, relation mode,
schemas, preview features.

Prisma 6 schemas keep connection URLs in the datasource (`url = env("X")`,
`directUrl`, `shadowDatabaseUrl`); Prisma 7 moved them to prisma.config.ts.
schemamend accepts both: `url` in any form, and `directUrl` /
`shadowDatabaseUrl` given through `env()`. A literal connection string in
`directUrl` / `shadowDatabaseUrl` gets Prisma 7's error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemamend.diagnostics import Span
from schemamend.model.datamodel import Datasource, Generator
from schemamend.psl import ast
from schemamend.psl.validate.args import type_mismatch
from schemamend.psl.validate.context import Context

SQL_FAMILIES = ("postgresql", "mysql", "sqlite")
UNSUPPORTED_FAMILIES = ("sqlserver", "cockroachdb", "mongodb")
PROVIDER_ALIASES = {"postgres": "postgresql"}
NODE_DRIVER_PROVIDERS = {"@prisma/mysql": "mysql"}

DATASOURCE_PROPERTIES = frozenset(
    {
        "provider",
        "url",
        "directUrl",
        "shadowDatabaseUrl",
        "relationMode",
        "referentialIntegrity",
        "schemas",
        "namespaces",
        "extensions",
    }
)

# Preview features Prisma 7 still knows (plus a few older fixtures rely on).
ACTIVE_PREVIEW_FEATURES = frozenset(
    {
        "fullTextSearchPostgres",
        "nativeFullTextSearchPostgres",
        "nativeDistinct",
        "partialIndexes",
        "postgresqlExtensions",
        "relationJoins",
        "schemaEngineDriverAdapters",
        "shardKeys",
        "strictUndefinedChecks",
        "typedSql",
        "views",
        "nodeDrivers",
        "esm",
    }
)
DEPRECATED_PREVIEW_FEATURES = frozenset(
    {
        "interactiveTransactions",
        "driverAdapters",
        "multiSchema",
        "fullTextIndex",
        "fullTextSearch",
        "referentialIntegrity",
        "tracing",
        "omitApi",
        "prismaSchemaFolder",
        "deno",
        "improvedQueryRaw",
        "extendedWhereUnique",
        "fieldReference",
        "jsonProtocol",
        "filteredRelationCount",
        "orderByNulls",
        "clientExtensions",
        "dataProxy",
        "namedConstraints",
        "cockroachdb",
        "mongoDb",
        "createMany",
        "queryCompiler",
        "microsoftSqlServer",
        "uncheckedScalarInputs",
        "nApi",
        "selectRelationCount",
        "orderByAggregateGroup",
        "groupBy",
        "orderByRelation",
    }
)
# The features Prisma 7.10.1 lists after an unknown one (fullTextSearchPostgres only on PostgreSQL).
LISTED_FEATURES = (
    "nativeDistinct",
    "partialIndexes",
    "postgresqlExtensions",
    "relationJoins",
    "schemaEngineDriverAdapters",
    "shardKeys",
    "strictUndefinedChecks",
    "typedSql",
    "views",
)

MSG_METRICS = (
    'Preview feature "metrics" is deprecated. It will be removed in a future version of Prisma.'
)
MSG_DEPRECATED = 'Preview feature "{name}" is deprecated. The functionality can be used without specifying it as a preview feature.'
MSG_FTS_RENAMED = (
    'On `provider = "postgresql"`, preview feature "fullTextSearch" has been renamed as "fullTextSearchPostgres". '
    "Learn more at https://pris.ly/d/fts-postgres."
)


@dataclass
class ConfigResult:
    """What the configuration pass found, plus its diagnostics (added to ctx by the caller)."""

    datasource: Datasource | None = None
    datasource_block: ast.Block | None = None
    provider_span: Span | None = None
    schemas_property: ast.ConfigProperty | None = None
    generators: list[Generator] = field(default_factory=list)
    preview_features: set[str] = field(default_factory=set)
    feature_spans: list[tuple[str, Span]] = field(default_factory=list)


def _string(ctx: Context, prop: ast.ConfigProperty) -> str | None:
    if prop.value is None:
        return None
    if isinstance(prop.value, ast.StringValue):
        return prop.value.value
    type_mismatch(ctx, "a string", prop.value)
    return None


def _property_span(prop: ast.ConfigProperty) -> Span:
    """The property's line without its newline."""
    text = prop.span.file.text
    end = prop.span.end
    while end > prop.span.start and text[end - 1] in "\r\n":
        end -= 1
    return Span(prop.span.file, prop.span.start, end)


def _env_var(ctx: Context, expr: ast.Expression) -> tuple[str | None, bool]:
    """(variable name, is env call) of `env("X")`."""
    if not isinstance(expr, ast.FunctionCall) or expr.name != "env":
        return None, False
    args = expr.arguments.arguments
    if any(a.name is not None for a in args):
        ctx.warning("The env function doesn't expect named arguments", expr.span)
    if args and isinstance(args[0].value, ast.StringValue):
        return args[0].value.value, True
    return None, True


def read_configuration(ctx: Context) -> ConfigResult:
    result = ConfigResult()
    blocks = ctx.blocks()
    generator, datasource = ast.BlockKind.GENERATOR, ast.BlockKind.DATASOURCE  # read once
    _read_generators(ctx, [b for b in blocks if b.kind is generator], result)
    datasources = [b for b in blocks if b.kind is datasource]
    if len(datasources) > 1:
        for block in datasources:
            ctx.error(
                f"Error validating datasource `{block.name.name}`: You defined more than one datasource. "
                "This is not allowed yet because support for multiple databases has not been implemented yet.",
                block.span,
            )
    if datasources:
        _read_datasource(ctx, datasources[0], result)
    _check_preview_features(ctx, result)
    return result


def _report_duplicate_keys(ctx: Context, block: ast.Block, owner: str) -> None:
    seen: set[str] = set()
    for prop in block.properties:
        key = prop.name.name
        if key in seen:
            ctx.error(
                f'Key "{key}" is already defined in {owner} "{block.name.name}".',
                _property_span(prop),
            )
        seen.add(key)


def _read_generators(ctx: Context, blocks: list[ast.Block], result: ConfigResult) -> None:
    seen: set[str] = set()
    for block in blocks:
        name = block.name.name
        if name in seen:
            ctx.error(
                f'The generator "{name}" cannot be defined because a generator with that name already exists.',
                block.name.span,
            )
            continue
        seen.add(name)
        _report_duplicate_keys(ctx, block, "generator")
        provider: str | None = None
        output: str | None = None
        features: list[str] = []
        config: list[tuple[str, str]] = []
        has_provider = False
        for prop in block.properties:
            key = prop.name.name
            if prop.value is None:
                ctx.error(
                    f"Property {key} in generator {name} needs to be assigned a value", block.span
                )
                continue
            if key == "provider":
                has_provider = True
                provider = _generator_string(prop.value)
            elif key == "output":
                output = _generator_string(prop.value)
            elif key == "previewFeatures":
                features.extend(_preview_feature_names(ctx, prop, result))
            else:
                config.append((key, prop.value.span.text()))
        if not has_provider:
            ctx.error(f'Argument "provider" is missing in generator block "{name}".', block.span)
        result.generators.append(Generator(name, provider, tuple(features), output, tuple(config)))


def _generator_string(expr: ast.Expression) -> str | None:
    if isinstance(expr, ast.StringValue):
        return expr.value
    if isinstance(expr, ast.FunctionCall) and expr.name == "env":
        return None
    return None


def _preview_feature_names(
    ctx: Context, prop: ast.ConfigProperty, result: ConfigResult
) -> list[str]:
    value = prop.value
    names: list[str] = []
    if isinstance(value, ast.StringValue):  # Prisma accepts a single string too
        span = value.span
        value = ast.ArrayExpression([value], span.file, span.start, span.end)
    if not isinstance(value, ast.ArrayExpression):
        if value is not None:
            type_mismatch(ctx, "an array", value)
        return names
    span = _property_span(prop)
    for item in value.items:
        if isinstance(item, ast.StringValue):
            names.append(item.value)
            result.preview_features.add(item.value)
            result.feature_spans.append((item.value, span))
        else:
            type_mismatch(ctx, "a string", item)
    return names


def _check_preview_features(ctx: Context, result: ConfigResult) -> None:
    family = result.datasource.family if result.datasource else None
    for name, span in result.feature_spans:
        if name == "metrics":
            ctx.warning(MSG_METRICS, span)
        elif name == "fullTextSearch" and family == "postgresql":
            ctx.warning(MSG_FTS_RENAMED, span)
        elif name in DEPRECATED_PREVIEW_FEATURES:
            ctx.warning(MSG_DEPRECATED.format(name=name), span)
        elif (
            name == "fullTextSearchPostgres"
            and family not in (None, "postgresql")
            or name not in ACTIVE_PREVIEW_FEATURES
        ):
            ctx.error(_unknown_feature(name, family), span)


def _unknown_feature(name: str, family: str | None) -> str:
    listed = (("fullTextSearchPostgres",) if family == "postgresql" else ()) + LISTED_FEATURES
    return f'The preview feature "{name}" is not known. Expected one of: {", ".join(listed)}'


def _read_datasource(ctx: Context, block: ast.Block, result: ConfigResult) -> None:
    name = block.name.name
    _report_duplicate_keys(ctx, block, "source")
    props = {prop.name.name: prop for prop in block.properties}  # the last of repeated keys wins
    result.datasource_block = block
    provider_prop = props.get("provider")
    if provider_prop is None:
        ctx.error(f'Argument "provider" is missing in data source block "{name}".', block.span)
        return
    if not isinstance(provider_prop.value, ast.StringValue):
        ctx.error(
            f"Error validating datasource `{name}`: The provider argument in a datasource must be a string literal",
            _property_span(provider_prop),
        )
        return
    provider = provider_prop.value.value
    result.provider_span = _property_span(provider_prop)
    family = PROVIDER_ALIASES.get(provider, provider)
    if provider in NODE_DRIVER_PROVIDERS:
        if "nodeDrivers" not in result.preview_features:
            ctx.error(
                f'Error validating: The provider "{provider}" is currently in preview and must be explicitly '
                'enabled. Please add the preview feature flag "nodeDrivers" to the generator block in your '
                "schema.prisma file.",
                block.span,
            )
            return
        family = NODE_DRIVER_PROVIDERS[provider]
    elif family not in SQL_FAMILIES and family not in UNSUPPORTED_FAMILIES:
        ctx.error(f'Datasource provider not known: "{provider}".', result.provider_span)
        return

    url, url_env = _read_url(ctx, props.get("url"))  # optional, as in Prisma 7
    shadow_env = _read_secondary_url(ctx, name, props.get("shadowDatabaseUrl"), result)
    _read_secondary_url(ctx, name, props.get("directUrl"), result)
    relation_mode = _read_relation_mode(ctx, block, props)
    for prop in block.properties:
        if prop.name.name not in DATASOURCE_PROPERTIES:
            ctx.error(f'Property not known: "{prop.name.name}".', _property_span(prop))
    schemas = _read_schemas(ctx, props, family, result)
    extensions = _read_extensions(ctx, props, family)
    result.datasource = Datasource(
        name=name,
        provider=provider if provider not in NODE_DRIVER_PROVIDERS else family,
        url=url,
        url_env=url_env,
        shadow_database_url_env=shadow_env,
        relation_mode=relation_mode,
        schemas=schemas,
        extensions=extensions,
    )


def _read_url(ctx: Context, prop: ast.ConfigProperty | None) -> tuple[str | None, str | None]:
    if prop is None or prop.value is None:
        return None, None
    if isinstance(prop.value, ast.StringValue):
        return prop.value.value, None
    var, is_env = _env_var(ctx, prop.value)
    if is_env:
        return None, var
    type_mismatch(ctx, "a string", prop.value)
    return None, None


def _read_secondary_url(
    ctx: Context, ds_name: str, prop: ast.ConfigProperty | None, result: ConfigResult
) -> str | None:
    if prop is None or prop.value is None:
        return None
    key = prop.name.name
    span = _property_span(prop)
    if "driverAdapters" in result.preview_features:
        ctx.error(
            f'Argument "{key}" is deprecated in data source block "{ds_name}", because you\'re using Driver Adapters.',
            span,
        )
        return None
    var, is_env = _env_var(ctx, prop.value)
    if is_env:
        return var
    ctx.error(
        f"The datasource property `{key}` is no longer supported in schema files. Move connection URLs to "
        "`prisma.config.ts`. See http://pris.ly/d/config-datasource",
        span,
    )
    return None


def _read_relation_mode(
    ctx: Context, block: ast.Block, props: dict[str, ast.ConfigProperty]
) -> str:
    mode_prop = props.get("relationMode")
    legacy = props.get("referentialIntegrity")
    if legacy is not None:
        if mode_prop is not None:
            ctx.error(
                "The `referentialIntegrity` and `relationMode` attributes cannot be used together. "
                "Please use only `relationMode` instead.",
                legacy.span,
            )
        else:
            ctx.warning(
                "The `referentialIntegrity` attribute is deprecated. Please use `relationMode` instead. "
                "Learn more at https://pris.ly/d/relation-mode",
                _property_span(legacy),
            )
    prop = mode_prop or legacy
    if prop is None:
        return "foreignKeys"
    value = _string(ctx, prop)
    if value is None:
        return "foreignKeys"
    if value not in ("prisma", "foreignKeys"):
        ctx.error(
            f"Error validating datasource `{prop.name.name}`: Invalid relation mode setting: "
            f'"{value}". Supported values: "prisma", "foreignKeys"',
            block.span,
        )
        return "foreignKeys"
    return value


def _read_schemas(
    ctx: Context, props: dict[str, ast.ConfigProperty], family: str, result: ConfigResult
) -> tuple[str, ...]:
    prop = props.get("schemas") or props.get("namespaces")
    if prop is None or prop.value is None:
        return ()
    result.schemas_property = prop
    value = prop.value
    if not isinstance(value, ast.ArrayExpression):
        type_mismatch(ctx, "an array", value)
        return ()
    names: list[str] = []
    seen: set[str] = set()
    label = "namespace" if prop.name.name == "namespaces" else "schema"
    for item in value.items:
        if not isinstance(item, ast.StringValue):
            type_mismatch(ctx, "a string", item)
            continue
        if item.value in seen:
            ctx.error(f"Duplicated {label} names are not allowed", item.span)
            continue
        seen.add(item.value)
        names.append(item.value)
    if family not in ("postgresql", "cockroachdb", "sqlserver"):
        ctx.error(
            "The `schemas` property is not supported on the current connector.",
            _property_span(prop),
        )
    return tuple(names)


def _read_extensions(
    ctx: Context, props: dict[str, ast.ConfigProperty], family: str
) -> tuple[str, ...]:
    prop = props.get("extensions")
    if prop is None or prop.value is None:
        return ()
    if family not in ("postgresql", "cockroachdb"):
        ctx.error('Property not known: "extensions".', _property_span(prop))
        return ()
    if not isinstance(prop.value, ast.ArrayExpression):
        type_mismatch(ctx, "an array", prop.value)
        return ()
    out: list[str] = []
    for item in prop.value.items:
        if isinstance(item, ast.ConstantValue | ast.FunctionCall):
            out.append(item.name)
        else:
            type_mismatch(ctx, "a constant or function", item)
    return tuple(out)
