"""`.env` files, read the way the Prisma CLI reads them.

Prisma loads the project root's `.env` (the working directory), then the first
`.env` found next to the schema or in `./prisma/`. The same variable defined
in both files is an error. A variable already set in the real environment is
never overridden. Values follow dotenv's rules: `KEY=value`, optional
`export `, quotes (double quotes expand `\\n`), `#` comments, and `${VAR}`
references to variables defined earlier or in the environment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from schemamend.errors import SchemamendError

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$")
_REFERENCE = re.compile(r"(?<!\\)\$\{([A-Za-z_][A-Za-z0-9_]*)\}|(?<!\\)\$([A-Za-z_][A-Za-z0-9_]*)")


class EnvFileConflict(SchemamendError):
    code = "SM040"


def parse_env_text(text: str) -> dict[str, str]:
    """The variables of one `.env` file, unexpanded."""
    values: dict[str, str] = {}
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        match = _LINE.match(lines[i])
        i += 1
        if match is None:
            continue
        key, raw = match.group(1), match.group(2).strip()
        if raw[:1] in ('"', "'", "`"):
            quote = raw[0]
            body = raw[1:]
            while quote not in body and i < len(lines):  # a quoted value may span lines
                body += "\n" + lines[i]
                i += 1
            value = body.split(quote, 1)[0]
            if quote == '"':
                value = value.replace("\\n", "\n").replace("\\r", "\r")
        else:
            value = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
        values[key] = value
    return values


def _expand(value: str, known: Mapping[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        return known.get(match.group(1) or match.group(2), "")

    return _REFERENCE.sub(replace, value).replace("\\$", "$")


def env_files(cwd: Path, schema_dir: Path | None) -> tuple[Path | None, Path | None]:
    """The root `.env` and the schema's `.env` Prisma would read (either may be missing)."""
    root = cwd / ".env"
    candidates = [schema_dir / ".env"] if schema_dir is not None else []
    candidates.append(cwd / "prisma" / ".env")
    schema_env = next(
        (p for p in candidates if p.is_file() and p.resolve() != root.resolve()), None
    )
    return (root if root.is_file() else None), schema_env


def with_dotenv(
    environ: Mapping[str, str], *, cwd: Path, schema_dir: Path | None = None
) -> dict[str, str]:
    """`environ` plus the variables of the `.env` files it does not set already."""
    root, schema_env = env_files(cwd, schema_dir)
    root_values = parse_env_text(root.read_text(encoding="utf-8")) if root else {}
    schema_values = parse_env_text(schema_env.read_text(encoding="utf-8")) if schema_env else {}
    clashes = sorted(set(root_values) & set(schema_values))
    if clashes and schema_env is not None:
        raise EnvFileConflict(
            f"There is a conflict between env vars in .env and {schema_env}\n"
            "Conflicting env vars:\n" + "\n".join(f"  {name}" for name in clashes),
            hint=f"move the contents of {schema_env} to .env to consolidate your env vars",
        )
    merged = dict(environ)
    for key, value in {**root_values, **schema_values}.items():
        if key not in environ:
            merged[key] = _expand(value, merged)
    return merged
