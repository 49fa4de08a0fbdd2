// Bundles the tab's script with @microsoft/teams-js into ../../wwwroot/tab/tab.js, served by ValueBot at /tab/assets/tab.js.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const out = fileURLToPath(new URL("../../wwwroot/tab/tab.js", import.meta.url));
await build({
  entryPoints: [fileURLToPath(new URL("./src/tab.js", import.meta.url))],
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: true,
  sourcemap: false,
  legalComments: "eof",
  outfile: out,
  logLevel: "warning",
});
console.log(`built ${out}`);
