// The real Prisma 7.10.1 formatter (prisma-fmt compiled to Wasm, shipped inside the `prisma`
// package) driven directly, without the CLI's one-second start-up per call.
//
// Protocol: one JSON request per stdin line, one JSON reply per stdout line.
//   request: {"files": [[path, text], ...], "validate": bool}
//   reply:   {"ok": true, "formatted": [[path, text], ...], "errors": "" | "<message>" | null}
//            {"ok": false, "error": "<message>"}
// `errors` is Prisma's validation of the *input* (null unless asked for).
// Environment: PRISMA_ORACLE_HOME (default ~/.cache/prisma-oracle, where oracle.sh installs).
'use strict';
const fs = require('fs');
const readline = require('readline');

const home = process.env.PRISMA_ORACLE_HOME || `${process.env.HOME}/.cache/prisma-oracle`;
const wasmPath = `${home}/node_modules/prisma/build/prisma_schema_build_bg.wasm`;
const module_ = new WebAssembly.Module(fs.readFileSync(wasmPath));
const decoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
const encoder = new TextEncoder();
let wasm = null;

const memory = () => new Uint8Array(wasm.memory.buffer);
const readString = (ptr, len) => decoder.decode(memory().subarray(ptr, ptr + len));

// The four imports the module declares (wasm-bindgen glue, written out by hand).
const imports = {
  __wbindgen_placeholder__: {
    __wbg_set_message_f22ac4a6869ee695: (ptr, len) => {
      process.stderr.write(`prisma-fmt panic: ${readString(ptr, len)}\n`);
    },
    __wbg_Error_e83987f665cf5504: (ptr, len) => new Error(readString(ptr, len)),
    __wbg___wbindgen_throw_b855445ff6a94295: (ptr, len) => {
      throw new Error(readString(ptr, len));
    },
    __wbindgen_init_externref_table: () => {
      const table = wasm.__wbindgen_externrefs;
      const offset = table.grow(4);
      table.set(0, undefined);
      table.set(offset + 0, undefined);
      table.set(offset + 1, null);
      table.set(offset + 2, true);
      table.set(offset + 3, false);
    },
  },
};
wasm = new WebAssembly.Instance(module_, imports).exports;
wasm.__wbindgen_start();

function passString(text) {
  const bytes = encoder.encode(text);
  const ptr = wasm.__wbindgen_malloc(bytes.length, 1) >>> 0;
  memory().set(bytes, ptr);
  return [ptr, bytes.length];
}

function format(files) {
  const params = JSON.stringify({
    textDocument: { uri: 'file:/dev/null' },
    options: { tabSize: 2, insertSpaces: true },
  });
  const [sPtr, sLen] = passString(JSON.stringify(files));
  const [pPtr, pLen] = passString(params);
  const ret = wasm.format(sPtr, sLen, pPtr, pLen);
  try {
    return JSON.parse(readString(ret[0], ret[1]));
  } finally {
    wasm.__wbindgen_free(ret[0], ret[1], 1);
  }
}

function validate(files) {
  const [ptr, len] = passString(JSON.stringify({ prismaSchema: files, noColor: true }));
  const ret = wasm.validate(ptr, len);
  if (!(Array.isArray(ret) && ret[1])) return '';
  const error = wasm.__wbindgen_externrefs.get(ret[0]);
  wasm.__externref_table_dealloc(ret[0]);
  const text = String((error && error.message) || error);
  try {
    return JSON.parse(text).message || text;
  } catch (_) {
    return text;
  }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let reply;
  try {
    const request = JSON.parse(line);
    const formatted = format(request.files);
    const errors = request.validate ? validate(request.files) : null;
    reply = { ok: true, formatted, errors };
  } catch (error) {
    reply = { ok: false, error: String((error && error.message) || error) };
  }
  process.stdout.write(JSON.stringify(reply) + '\n');
});
