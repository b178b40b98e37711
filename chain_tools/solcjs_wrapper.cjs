#!/usr/bin/env node
// Makes solc-js (npm "solc") answer like the native solc CLI for py-solc-x's compile_standard:
//   --version                 prints "solc, the solidity compiler ...\nVersion: X" like native solc
//   --standard-json           reads standard JSON on stdin, prints only the JSON output
//   --base-path P / --include-path P / --allow-paths P   resolve imports against these roots
// Raw `solcjs --standard-json` prints a banner before the JSON and has no --allow-paths, hence this file.
"use strict";
const fs = require("fs");
const path = require("path");
const solc = require(path.join(__dirname, "..", "node_modules", "solc"));

const args = process.argv.slice(2);
if (args.includes("--version")) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
const roots = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--base-path" || args[i] === "--include-path") roots.push(args[++i]);
  else if (args[i] === "--allow-paths") i++;
}
if (roots.length === 0) roots.push(process.cwd());

function findImports(importPath) {
  for (const root of roots) {
    const candidate = path.resolve(root, importPath);
    if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, "utf8") };
  }
  return { error: `File not found under ${roots.join(", ")}: ${importPath}` };
}

if (!args.includes("--standard-json")) {
  process.stderr.write("solcjs_wrapper: only --version and --standard-json are supported\n");
  process.exit(2);
}
const input = fs.readFileSync(0, "utf8");
process.stdout.write(solc.compile(input, { import: findImports }));
