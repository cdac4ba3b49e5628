/** Writes docs/lifecycle.md from the registries (model/): `npm run docs:lifecycle`. */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { lifecycleDoc } from "../model/lifecycle-doc";

writeFileSync(path.join(import.meta.dirname, "..", "docs", "lifecycle.md"), lifecycleDoc());
console.log("Wrote docs/lifecycle.md");
