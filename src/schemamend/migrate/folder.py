"""The migrations folder, read exactly as Prisma reads it.

    prisma/migrations/
      migration_lock.toml            provider = "postgresql"
      20240101000000_init/migration.sql
      20240102000000_add_x/migration.sql

Every subfolder is a migration, ordered by name; each must hold
`migration.sql` (P3015 otherwise). Files at the top level are ignored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from schemamend.db.url import PROVIDER_FAMILIES
from schemamend.migrate.errors import MigrateError, MigrationFileNotFound, ProviderSwitched

SCRIPT_NAME = "migration.sql"
LOCK_NAME = "migration_lock.toml"
CHECKSUM_LENGTH = 64


def checksum(data: bytes) -> str:
    """Lower-case hex SHA-256 of the script's bytes: the `checksum` column."""
    return hashlib.sha256(data).hexdigest()


def matches_checksum(data: bytes, recorded: str) -> bool:
    """Whether a script matches a recorded checksum, as Prisma decides it.

    Line-ending conversions do not count as edits (git may rewrite LF as
    CRLF on checkout), and early Prisma versions wrote digests without
    zero-padding each byte, which are still accepted.
    """
    variants = (data, data.replace(b"\r\n", b"\n"), data.replace(b"\n", b"\r\n"))
    legacy = bool(recorded) and len(recorded) != CHECKSUM_LENGTH
    for variant in variants:
        digest = hashlib.sha256(variant).digest()
        rendered = "".join(f"{b:x}" for b in digest) if legacy else digest.hex()
        if rendered == recorded:
            return True
    return False


@dataclass(frozen=True)
class MigrationScript:
    name: str  # the folder's name, e.g. "20240101000000_init"
    path: Path  # .../<name>/migration.sql
    data: bytes

    @property
    def checksum(self) -> str:
        return checksum(self.data)

    @property
    def text(self) -> str:
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MigrateError(
                f"{self.path} is not valid UTF-8 (byte 0x{self.data[exc.start]:02x} at offset "
                f"{exc.start})"
            ) from None

    def matches(self, recorded_checksum: str) -> bool:
        return matches_checksum(self.data, recorded_checksum)


@dataclass(frozen=True)
class MigrationsFolder:
    path: Path
    lock_provider: str | None  # None: no migration_lock.toml
    migrations: tuple[MigrationScript, ...]

    @property
    def names(self) -> list[str]:
        return [m.name for m in self.migrations]

    def get(self, name: str) -> MigrationScript | None:
        for migration in self.migrations:
            if migration.name == name:
                return migration
        return None

    def up_to(self, name: str) -> tuple[MigrationScript, ...]:
        """The migrations before `name`, and `name` itself."""
        index = self.names.index(name)
        return self.migrations[: index + 1]

    def check_provider(self, schema_provider: str) -> None:
        """P3019 when migration_lock.toml names a different provider than the schema."""
        if self.lock_provider is None:
            return
        wanted = PROVIDER_FAMILIES.get(schema_provider, schema_provider)
        found = PROVIDER_FAMILIES.get(self.lock_provider, self.lock_provider)
        if wanted != found:
            raise ProviderSwitched(schema_provider, self.lock_provider)


def read_lock_provider(text: str) -> str:
    """The provider in migration_lock.toml (Prisma reads the first `provider` line)."""
    for line in text.splitlines():
        if line.startswith("provider"):
            _, _, value = line.partition("=")
            return value.strip().strip('"')
    return "<PROVIDER NOT FOUND>"


def read_migrations_folder(path: Path) -> MigrationsFolder:
    """Read `path`; a missing folder has no migrations (as for Prisma)."""
    if not path.is_dir():
        return MigrationsFolder(path, None, ())
    lock_path = path / LOCK_NAME
    lock_provider = (
        read_lock_provider(lock_path.read_text(encoding="utf-8")) if lock_path.is_file() else None
    )
    migrations = []
    for directory in sorted((p for p in path.iterdir() if p.is_dir()), key=lambda p: p.name):
        script = directory / SCRIPT_NAME
        if not script.is_file():
            raise MigrationFileNotFound(str(script))
        migrations.append(MigrationScript(directory.name, script, script.read_bytes()))
    return MigrationsFolder(path, lock_provider, tuple(migrations))
