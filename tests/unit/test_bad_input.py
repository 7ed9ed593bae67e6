"""Bad input never produces a traceback: a clear error, a position, exit code 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from schemamend.cli.main import cli
from schemamend.psl import check_text
from schemamend.psl.loader import MAX_SCHEMA_BYTES

VALID = """datasource db {
  provider = "postgresql"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
}
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write(tmp_path: Path, content: str | bytes, name: str = "schema.prisma") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def assert_clean_failure(result: Result, *expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.output, result.output


def test_missing_file(tmp_path: Path) -> None:
    assert_clean_failure(
        run("validate", "--schema", str(tmp_path / "nope.prisma")), "schema not found"
    )


def test_folder_without_prisma_files(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert_clean_failure(run("validate", "--schema", str(tmp_path / "empty")), "no .prisma files")


def test_invalid_utf8_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.encode() + b"model X {\n  id Int @id // \xff\xfe\n}\n")
    assert_clean_failure(run("validate", "--schema", str(path)), "not valid UTF-8", f"{path}:10:")


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.prisma"
    with path.open("wb") as handle:
        handle.write(VALID.encode())
        handle.seek(MAX_SCHEMA_BYTES + 1)
        handle.write(b"\n")
    assert_clean_failure(run("validate", "--schema", str(path)), "too large")


def test_truncated_file_reports_every_orphan_line(tmp_path: Path) -> None:
    path = write(tmp_path, VALID[: VALID.index("email")])
    result = run("validate", "--schema", str(path))
    assert_clean_failure(result, "does not start with any known Prisma schema keyword", f"{path}:5")


def test_unbalanced_braces(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("model User {", "model User {{"))
    assert_clean_failure(run("validate", "--schema", str(path)), f"{path}:5")


def test_unknown_attribute(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("@unique", "@unique @frobnicate"))
    assert_clean_failure(
        run("validate", "--schema", str(path)), 'Attribute not known: "@frobnicate"', f"{path}:7"
    )


def test_json_errors_carry_file_line_and_column(tmp_path: Path) -> None:
    import json

    path = write(tmp_path, VALID.replace("@unique", "@unique @frobnicate"))
    result = run("validate", "--schema", str(path), "--json")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["ok"] is False
    error = payload["errors"][0]
    assert (error["file"], error["line"], error["column"]) == (str(path), 7, 24)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "}",
        "model",
        "model A {",
        'datasource db {\n  provider = "postgresql"\n',
        "model A {\n  id Int @id @default(\n}\n",
        'model A {\n  id String @id @default("unterminated\n}\n',
        "enum E {\n  A B\n}\n",
        "\x00",
    ],
)
def test_odd_fragments_give_a_result_not_an_exception(text: str) -> None:
    result = check_text(text)
    assert result.datamodel is not None or result.errors
    for diagnostic in result.errors:
        assert diagnostic.span is not None or "datasource" in diagnostic.message.lower()
