/** zod schemas for every IPC argument the main process accepts from the page. */
import { z } from 'zod';

/** An http(s) server base URL, reduced to its origin (the dashboard lives at `<origin>/admin/`). */
export const ServerUrlArg = z
  .string()
  .max(2048)
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'an http(s) URL is required')
  .transform((s) => new URL(s).origin);

/** A bearer token, or null to sign out. */
export const TokenArg = z.union([z.string().min(1).max(4096), z.null()]);

/** A desktop notification. */
export const NotifyArg = z.strictObject({ title: z.string().min(1).max(200), body: z.string().max(1000) });

/** Channels that take no argument must be called with none. */
export const NoArgs = z.tuple([]);
