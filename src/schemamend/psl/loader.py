"""Finding and reading schema files (a file, or a folder of `.prisma` files)."""

from __future__ import annotations

import json
from pathlib import Path

from schemamend.diagnostics import SourceFile
from schemamend.errors import SchemaInputError

DEFAULT_LOCATIONS = ("prisma/schema.prisma", "schema.prisma", "prisma/schema")
MAX_SCHEMA_BYTES = 20 * 1024 * 1024  # a 5,000-model schema is about 1 MiB


def find_schema_path(explicit: str | None, cwd: Path | None = None) -> Path:
    """The schema to read: `--schema`, else package.json's `prisma.schema`, else the defaults."""
    base = cwd or Path.cwd()
    if explicit:
        return Path(explicit)
    package_json = base / "package.json"
    if package_json.is_file():
        try:
            data = json.loads(package_json.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SchemaInputError(f"could not read {package_json}: {exc}") from exc
        prisma = data.get("prisma") if isinstance(data, dict) else None
        schema = prisma.get("schema") if isinstance(prisma, dict) else None
        if isinstance(schema, str):
            return base / schema
    for candidate in DEFAULT_LOCATIONS:
        path = base / candidate
        if path.exists():
            return path
    raise SchemaInputError(
        "could not find a Prisma schema: looked for "
        + ", ".join(DEFAULT_LOCATIONS)
        + f" in {base}",
        hint="pass --schema PATH (a schema file or a folder of .prisma files)",
    )


def read_schema_sources(path: Path) -> list[SourceFile]:
    """Read one schema file, or every `.prisma` file under a folder (sorted by path)."""
    if not path.exists():
        raise SchemaInputError(f"schema not found: {path}")
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.prisma") if p.is_file())
        if not files:
            raise SchemaInputError(f"no .prisma files in folder {path}")
        return [_read_one(p, label=str(p)) for p in files]
    return [_read_one(path, label=str(path))]


def _read_one(path: Path, label: str) -> SourceFile:
    try:
        size = path.stat().st_size
        if size > MAX_SCHEMA_BYTES:
            raise SchemaInputError(
                f"{label}: file is too large ({size // (1024 * 1024)} MiB; the limit is "
                f"{MAX_SCHEMA_BYTES // (1024 * 1024)} MiB)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise SchemaInputError(f"could not read {label}: {exc.strerror or exc}") from exc
    return decode_source(data, label)


def decode_source(data: bytes, label: str) -> SourceFile:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SchemaInputError(
            f"{label}:{line}:{column}: the file is not valid UTF-8 "
            f"(byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc
    if "\x00" in text:
        offset = text.index("\x00")
        source = SourceFile(label, text)
        line, column = source.line_col(offset)
        raise SchemaInputError(
            f"{label}:{line}:{column}: the file contains a NUL byte (is it binary?)"
        )
    return SourceFile(label, text)
