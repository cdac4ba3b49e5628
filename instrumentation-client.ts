import { z } from "zod";

// Zod 4 compiles object parsers with `new Function` after probing whether eval is allowed. Our
// CSP forbids eval, and Chrome reports the probe as a violation even though Zod catches it (an
// issue that costs Lighthouse's best-practices score). In the browser, parse without compiling.
// This file runs before the app's own code (Next's client instrumentation), so before any parse.
z.config({ jitless: true });
