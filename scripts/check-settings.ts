import { settingsProblem } from "../lib/env";

/**
 * `npm start` runs this before `next start`, which says "Ready" before it loads any of the app:
 * bad settings stop here, naming each one, so the server never says it is ready and then can't
 * start. `next start` runs in production, so the settings are read as production's.
 */
const problem = settingsProblem({ ...process.env, NODE_ENV: "production" });
if (problem) {
  console.error(`\n${problem}\n`);
  process.exit(1);
}
