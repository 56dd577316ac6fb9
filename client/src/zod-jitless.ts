/**
 * Tells zod not to compile its object parsers with `new Function`. Left on, zod first probes
 * whether eval is allowed; under the pages' strict Content-Security-Policy (`script-src 'self'`)
 * the probe is refused and, although zod catches the refusal and falls back to the same checks
 * without compiling, the browser reports a `securitypolicyviolation` at every load.
 *
 * zod reads the setting when an object schema is made, and `@booking/shared` makes its schemas
 * as it loads: each browser bundle imports this module (`@booking/client/zod-jitless`) first,
 * before anything that imports zod schemas (web/src/main.tsx, admin-desktop/src/renderer/main.ts).
 * The server keeps the compiled parsers: it has no such policy, and parses faster with them.
 */
import { config } from 'zod';

config({ jitless: true });
