"""Differential tests: `schemamend format` against the real `prisma format` (Prisma 7.10.1).

Two oracles (see `format_oracle.py`): the CLI itself, cached by input hash (the ground truth,
about two seconds a new case), and Prisma's formatter in Wasm (milliseconds a case), which
the first test shows to agree with the CLI so the property tests can use it.

`prisma format` formats, validates the result and writes nothing when there are errors; the
byte-identity claims are about what it writes. Prisma's formatter also formats invalid
schemas; the corpus check holds for those too.

Environment: SCHEMAMEND_FORMAT_CLI_CASES (default 40) generated schemas go through the CLI;
SCHEMAMEND_FORMAT_EXAMPLES (default 200) hypothesis examples per property test.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemamend.diagnostics import SourceFile
from schemamend.psl.format import format_schema, format_sources
from tests.conformance.format_cases import (
    corpus_schemas,
    generated_cases,
    mutate,
    random_schema,
)
from tests.conformance.format_oracle import (
    WasmFormatter,
    cli_format,
    oracle_script,
    wasm_available,
)

pytestmark = [pytest.mark.shared, pytest.mark.oracle]

CLI_CASES = int(os.environ.get("SCHEMAMEND_FORMAT_CLI_CASES", "40"))
EXAMPLES = int(os.environ.get("SCHEMAMEND_FORMAT_EXAMPLES", "200"))


def _diff(expected: str, actual: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(True), actual.splitlines(True), "prisma format", "schemamend", n=2
    )
    return "".join(list(lines)[:40])


@pytest.fixture(scope="module")
def cli(shared_dir: Path) -> Path:
    script = oracle_script(shared_dir)
    if not script.is_file() or not wasm_available():
        pytest.skip("the Prisma oracle (oracle.sh and its installed packages) is not available")
    return script


@pytest.fixture(scope="module")
def wasm() -> Iterator[WasmFormatter]:
    if not wasm_available():
        pytest.skip("Prisma's Wasm formatter is not installed (run oracle.sh once) or no node")
    with WasmFormatter() as formatter:
        yield formatter


def _cli_cases(shared_dir: Path) -> list[tuple[str, str]]:
    return [*corpus_schemas(shared_dir), *generated_cases(CLI_CASES, seed=0)]


# ── the CLI ───────────────────────────────────────────────────────────────


def test_output_is_byte_identical_to_prisma_format_cli(shared_dir: Path, cli: Path) -> None:
    mismatches: list[str] = []
    written = 0
    for name, text in _cli_cases(shared_dir):
        result = cli_format(text, shared_dir)
        if result.written is None:
            continue  # Prisma refused (validation errors): nothing to compare
        written += 1
        ours = format_schema(text)
        if ours != result.written:
            mismatches.append(f"{name}\n{_diff(result.written, ours)}")
    assert written >= len(list(corpus_schemas(shared_dir))) // 2, "the CLI refused most cases"
    assert not mismatches, "\n".join(mismatches)


def test_prisma_wasm_formatter_agrees_with_the_cli(
    shared_dir: Path, cli: Path, wasm: WasmFormatter
) -> None:
    """The fast oracle used below writes what the CLI writes."""
    for name, text in _cli_cases(shared_dir):
        result = cli_format(text, shared_dir)
        if result.written is not None:
            assert wasm.format(text) == result.written, name


def test_prisma_format_refuses_schemas_with_errors(shared_dir: Path, cli: Path) -> None:
    text = "model A {\n  id Int @id\n  this is invalid\n}\n"
    result = cli_format(text, shared_dir)
    assert result.exit_code != 0 and result.written is None
    assert "This line is not a valid field or attribute definition." in result.output


# ── Prisma's formatter (Wasm), invalid schemas included ──────────────────


def _all_fixture_inputs(shared_dir: Path) -> Iterator[tuple[str, str]]:
    corpus = shared_dir / "corpus"
    for folder in ("psl-validation", "psl-reformat/reformatter"):
        for path in sorted((corpus / folder).rglob("*.prisma")):
            yield str(path.relative_to(corpus)), path.read_bytes().decode("utf-8")


def test_every_corpus_file_formats_like_prisma(shared_dir: Path, wasm: WasmFormatter) -> None:
    mismatches: list[str] = []
    for name, text in [*corpus_schemas(shared_dir), *_all_fixture_inputs(shared_dir)]:
        expected = wasm.format(text)
        ours = format_schema(text)
        if ours != expected:
            mismatches.append(f"{name}\n{_diff(expected, ours)}")
    assert not mismatches, "\n".join(mismatches)


def test_multi_file_schemas_format_like_prisma(shared_dir: Path, wasm: WasmFormatter) -> None:
    base = shared_dir / "corpus" / "psl-reformat" / "reformatter_multi_file"
    for case in sorted(p for p in base.iterdir() if p.is_dir() and "." not in p.name):
        files = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(case.glob("*.prisma"))]
        expected = [text for _, text in wasm.format_files(files).formatted]
        assert format_sources([SourceFile(n, t) for n, t in files]) == expected, case.name


# ── properties over generated and mutated schemas ────────────────────────


def _assert_like_prisma(wasm: WasmFormatter, text: str) -> None:
    expected = wasm.format(text)
    _, errors = wasm.format_and_validate(expected)
    if errors:
        return  # `prisma format` would refuse to write this schema
    ours = format_schema(text)
    assert ours == expected, _diff(expected, ours)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(min_value=0, max_value=2**31 - 1), mutated=st.booleans())
def test_generated_schemas_format_like_prisma(
    wasm: WasmFormatter, seed: int, mutated: bool
) -> None:
    text = random_schema(seed)
    _assert_like_prisma(wasm, mutate(text, seed) if mutated else text)


@settings(
    max_examples=EXAMPLES // 4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_mutated_real_world_schemas_format_like_prisma(
    shared_dir: Path, wasm: WasmFormatter, data: st.DataObject
) -> None:
    schemas = [
        text
        for name, text in corpus_schemas(shared_dir)
        if name.startswith(("corpus/real-world", "scenarios"))
    ]
    text = data.draw(st.sampled_from(schemas))
    seed = data.draw(st.integers(min_value=0, max_value=2**31 - 1))
    _assert_like_prisma(wasm, mutate(text, seed))
