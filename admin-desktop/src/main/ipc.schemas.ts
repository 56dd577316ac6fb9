/** zod schemas for every IPC argument the main process accepts from the page. */
import { z } from 'zod';

/** Hosts where plain `http:` is allowed: this machine (the local stack), nothing on a network. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether a server URL may be used: `https:`, or `http:` on the loopback only. */
export function isAcceptableServerUrl(s: string): boolean {
  if (!URL.canParse(s)) return false;
  const url = new URL(s);
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}

/**
 * A server base URL, reduced to its origin (the dashboard lives at `<origin>/admin/`): `https:`,
 * or `http:` on the loopback only (a staff token must never cross a network in clear).
 */
export const ServerUrlArg = z
  .string()
  .max(2048)
  .refine(isAcceptableServerUrl, 'an https URL (or http on 127.0.0.1 / localhost) is required')
  .transform((s) => new URL(s).origin);

/** A bearer token, or null to sign out. */
export const TokenArg = z.union([z.string().min(1).max(4096), z.null()]);

/** A desktop notification. */
export const NotifyArg = z.strictObject({ title: z.string().min(1).max(200), body: z.string().max(1000) });

/** Channels that take no argument must be called with none. */
export const NoArgs = z.tuple([]);
