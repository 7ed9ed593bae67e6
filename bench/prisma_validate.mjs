// Times Prisma's own schema validation (the prisma-fmt Wasm module that `prisma validate`
// uses) on the given files, inside one Node process, so Node's start-up is not counted.
// Usage: node prisma_validate.mjs MODULE_DIR RUNS FILE...   → one JSON line per file
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const [moduleDir, runsText, ...files] = process.argv.slice(2);
const require = createRequire(moduleDir + "/");
const wasm = require("@prisma/prisma-schema-wasm");
const runs = Number(runsText);
for (const file of files) {
  const params = JSON.stringify({ prismaSchema: [[file, readFileSync(file, "utf8")]], noColor: true });
  const times = [];
  let ok = true;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    try { wasm.validate(params); } catch (e) { ok = false; }
    times.push((performance.now() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ file, ok, median_s: times[Math.floor(times.length / 2)] }));
}
