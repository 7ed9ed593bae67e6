"""Reading the migrations folder as Prisma does; checksums; migration_lock.toml."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from schemamend.migrate.errors import MigrationFileNotFound, ProviderSwitched
from schemamend.migrate.folder import matches_checksum, read_lock_provider, read_migrations_folder


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_subfolders_are_migrations_sorted_by_name_and_top_level_files_are_ignored(
    tmp_path: Path,
) -> None:
    write(tmp_path / "20240102_b" / "migration.sql", "SELECT 2;")
    write(tmp_path / "20240101_a" / "migration.sql", "SELECT 1;")
    write(tmp_path / "migration_lock.toml", 'provider = "postgresql"\n')
    write(tmp_path / "README.md", "notes")

    folder = read_migrations_folder(tmp_path)

    assert folder.names == ["20240101_a", "20240102_b"]
    assert folder.lock_provider == "postgresql"
    assert folder.migrations[0].checksum == hashlib.sha256(b"SELECT 1;").hexdigest()
    assert [m.name for m in folder.up_to("20240101_a")] == ["20240101_a"]


def test_a_missing_folder_has_no_migrations(tmp_path: Path) -> None:
    folder = read_migrations_folder(tmp_path / "nope")

    assert folder.migrations == () and folder.lock_provider is None


def test_a_migration_folder_without_its_script_is_p3015(tmp_path: Path) -> None:
    (tmp_path / "20240101_a").mkdir()

    with pytest.raises(MigrationFileNotFound) as error:
        read_migrations_folder(tmp_path)

    assert error.value.code == "P3015"
    assert "Please delete the directory or restore the migration file." in error.value.message


@pytest.mark.parametrize(
    ("lock", "schema", "ok"),
    [
        ("postgresql", "postgresql", True),
        ("postgresql", "postgres", True),
        ("sqlite", "postgresql", False),
        ("mysql", "sqlite", False),
    ],
)
def test_the_lock_file_provider_must_match_the_datasource(
    tmp_path: Path, lock: str, schema: str, ok: bool
) -> None:
    write(tmp_path / "migration_lock.toml", f'# comment\nprovider = "{lock}"\n')
    folder = read_migrations_folder(tmp_path)

    if ok:
        folder.check_provider(schema)
        return
    with pytest.raises(ProviderSwitched) as error:
        folder.check_provider(schema)
    assert error.value.code == "P3019"
    assert error.value.message.startswith(
        f"The datasource provider `{schema}` specified in your schema does not match the one "
        f"specified in the migration_lock.toml, `{lock}`."
    )


def test_lock_provider_parsing() -> None:
    assert read_lock_provider('# x\nprovider = "sqlite"\n') == "sqlite"
    assert read_lock_provider("nothing here") == "<PROVIDER NOT FOUND>"


def test_checksums_ignore_line_ending_conversions_but_not_edits() -> None:
    lf = b"CREATE TABLE a (id int);\nSELECT 1;\n"
    crlf = lf.replace(b"\n", b"\r\n")

    assert matches_checksum(crlf, hashlib.sha256(lf).hexdigest())
    assert matches_checksum(lf, hashlib.sha256(crlf).hexdigest())
    assert not matches_checksum(lf + b"-- edit\n", hashlib.sha256(lf).hexdigest())
    assert not matches_checksum(b"abc", hashlib.sha256(b"abc\n").hexdigest())


def test_checksums_written_without_zero_padding_by_early_prisma_still_match() -> None:
    script = b"SELECT 0;\n"  # its digest has bytes below 0x10
    digest = hashlib.sha256(script).digest()
    unpadded = "".join(f"{b:x}" for b in digest)
    assert len(unpadded) < 64

    assert matches_checksum(script, unpadded)
