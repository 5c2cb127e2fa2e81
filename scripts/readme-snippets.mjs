// Writes every ```ts block of README.md to examples/.readme/ so `tsc --strict` checks
// that the documented examples compile.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const dir = new URL("../examples/.readme/", import.meta.url);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const blocks = [...readFileSync(new URL("../README.md", import.meta.url), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)];
blocks.forEach((m, i) => writeFileSync(new URL(`snippet-${i + 1}.ts`, dir), m[1]));
console.log(`readme: ${blocks.length} TypeScript blocks`);
if (blocks.length === 0) process.exit(1);
