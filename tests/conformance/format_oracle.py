"""The real `prisma format` (Prisma 7.10.1) as a test oracle, two ways.

- `WasmFormatter`: Prisma's own formatter (prisma-fmt compiled to Wasm, shipped in the
  `prisma` package that `oracle.sh` installs) driven by `prisma_format_wasm.js` in one
  long-lived node process: a few milliseconds a schema, so it can judge thousands of cases,
  invalid ones included.
- `cli_format`: the CLI itself (`oracle.sh format --schema COPY`), about two seconds a call,
  cached on disk by input hash (`~/.cache/schemamend-oracle/format/`). It formats, then
  validates the result and writes nothing when there are errors; it is the ground truth that
  the Wasm path stands in for (the conformance test checks they agree).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WASM_SERVER = HERE / "prisma_format_wasm.js"
ORACLE_HOME = Path(
    os.environ.get("PRISMA_ORACLE_HOME", str(Path.home() / ".cache" / "prisma-oracle"))
)
WASM_FILE = ORACLE_HOME / "node_modules" / "prisma" / "build" / "prisma_schema_build_bg.wasm"
CACHE_DIR = Path(
    os.environ.get("SCHEMAMEND_ORACLE_CACHE", str(Path.home() / ".cache" / "schemamend-oracle"))
)


def oracle_script(shared_dir: Path) -> Path:
    return shared_dir / "tools" / "prisma-oracle" / "oracle.sh"


def wasm_available() -> bool:
    return WASM_FILE.is_file() and shutil.which("node") is not None


@dataclass
class WasmResult:
    formatted: list[tuple[str, str]]
    errors: str | None  # Prisma's validation of the input: "" when valid, None when not asked


class WasmFormatter:
    """One node process running Prisma's formatter; use as a context manager."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> WasmFormatter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> subprocess.Popen[str]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = subprocess.Popen(
                ["node", str(WASM_SERVER)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
            )
        return self._proc

    def close(self) -> None:
        if self._proc is not None:
            if self._proc.stdin:
                self._proc.stdin.close()
            self._proc.wait(timeout=10)
            self._proc = None

    def _request(self, payload: dict[str, Any]) -> dict[str, Any]:
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps(payload) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            self.close()
            raise RuntimeError("the Prisma formatter process died")
        reply: dict[str, Any] = json.loads(line)
        if not reply.get("ok"):
            self.close()  # a Wasm trap can leave the instance unusable: start afresh next time
            raise RuntimeError(f"Prisma formatter failed: {reply.get('error')}")
        return reply

    def format_files(self, files: list[tuple[str, str]], validate: bool = False) -> WasmResult:
        reply = self._request({"files": [list(f) for f in files], "validate": validate})
        formatted = [(str(path), str(text)) for path, text in reply["formatted"]]
        return WasmResult(formatted, reply.get("errors"))

    def format(self, text: str) -> str:
        return self.format_files([("schema.prisma", text)]).formatted[0][1]

    def format_and_validate(self, text: str) -> tuple[str, str]:
        result = self.format_files([("schema.prisma", text)], validate=True)
        return result.formatted[0][1], result.errors or ""


@dataclass
class CliResult:
    written: str | None  # the file after `prisma format`; None when Prisma refused
    exit_code: int
    output: str


def _cache_key(text: str) -> str:
    return hashlib.sha256(("prisma-7.10.1-format\0" + text).encode("utf-8")).hexdigest()


def cli_format(text: str, shared_dir: Path, use_cache: bool = True) -> CliResult:
    """Run `prisma format` on a copy of `text` (cached by input hash)."""
    cache_file = CACHE_DIR / "format" / f"{_cache_key(text)}.json"
    if use_cache and cache_file.is_file():
        data = json.loads(cache_file.read_text(encoding="utf-8"))
        return CliResult(data["written"], data["exit_code"], data["output"])
    with tempfile.TemporaryDirectory(prefix="schemamend-fmt-") as tmp:
        path = Path(tmp) / "schema.prisma"
        path.write_bytes(text.encode("utf-8"))
        proc = subprocess.run(
            [str(oracle_script(shared_dir)), "format", "--schema", str(path)],
            cwd=tmp,
            capture_output=True,
            text=True,
            timeout=120,
        )
        after = path.read_bytes().decode("utf-8")
    written = after if proc.returncode == 0 else None
    result = CliResult(written, proc.returncode, proc.stdout + proc.stderr)
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_text(
        json.dumps({"written": written, "exit_code": proc.returncode, "output": result.output}),
        encoding="utf-8",
    )
    return result
