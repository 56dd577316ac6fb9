/**
 * (v3) The room display as pictures of `npm run screenshots`: docs/screenshot-display-800x480.png
 * and docs/screenshot-display-1920x1080.png, the display of the seeded Focus booth (open around the
 * clock) at the two sizes the contract names, booked by the demo people just before
 * (DISPLAY_SHOT in demo-plan.ts) so it shows a booking awaiting check-in, its title and the next ones.
 */
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { sendCommand } from '@booking/client';
import type { AdminClientToServerEvents, AdminServerToClientEvents, Resource } from '@booking/shared';
import { command, connectSocket, loginStaff } from '../bench/client';
import { displayShotBookings } from './demo-plan';
import type { DemoPerson } from './demo-plan';

type AdminSocket = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;

const DOCS = resolve(__dirname, '..', '..', 'docs');

export const DISPLAY_SHOTS = {
  small: { width: 800, height: 480, out: join(DOCS, 'screenshot-display-800x480.png') },
  large: { width: 1920, height: 1080, out: join(DOCS, 'screenshot-display-1920x1080.png') },
} as const;

/** A new display of `resourceId`, made by staff on `/admin` as the dashboard does; answers its URL. */
export async function createDisplayUrl(
  base: string,
  staff: { email: string; password: string },
  resourceId: string,
  name: string,
): Promise<string> {
  const { token } = await loginStaff(base, staff.email, staff.password);
  const socket: AdminSocket = io(new URL('/admin', base).toString(), {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  try {
    const ack = await sendCommand<AdminClientToServerEvents, 'display:create'>(
      socket,
      'display:create',
      { resourceId, name },
      { timeoutMs: 10_000 },
    );
    if (!ack.ok) throw new Error(`display:create: ${ack.error.code} ${ack.error.message}`);
    return ack.data.url;
  } finally {
    socket.close();
  }
}

/**
 * Books the display picture's room through `booking:create` as the demo people: the current
 * booking from the next whole minute and the later ones that fit in the local day. Answers how many.
 */
export async function bookDisplayShot(
  base: string,
  tokens: Record<DemoPerson, string>,
  resource: Resource,
  now = new Date(),
): Promise<number> {
  const planned = displayShotBookings(now, resource.timeZone);
  for (const b of planned) {
    const socket = await connectSocket(base, tokens[b.person]);
    try {
      const { start, end, title } = b;
      const ack = await command(socket, 'booking:create', { resourceId: resource.id, start, end, title });
      if (!ack.ok) throw new Error(`${b.person} on ${resource.name} ${start}: ${ack.code} ${ack.message}`);
    } finally {
      socket.close();
    }
  }
  return planned.length;
}

/**
 * Opens the display at `displayUrl` (its key in the fragment) on the running system at `base`
 * (the URL's own origin may be the public one, unknown here) at both sizes and saves the pictures;
 * with `state`, once the display shows that state (a booking made for the next minute has begun).
 */
export async function shootDisplay(
  browser: Browser,
  base: string,
  displayUrl: string,
  state?: string,
): Promise<string[]> {
  const { hash } = new URL(displayUrl);
  if (hash.length < 2) throw new Error('the display URL carries no key');
  const page = new URL(`/display/${hash}`, base).toString();
  const written: string[] = [];
  for (const shot of [DISPLAY_SHOTS.small, DISPLAY_SHOTS.large]) {
    const context = await browser.newContext({ viewport: { width: shot.width, height: shot.height }, locale: 'en-GB' });
    try {
      const tab = await context.newPage();
      await tab.goto(page);
      const shown = state ? `[data-state="${state}"]` : '[data-state]';
      await tab.locator(`.display${shown}:not([data-offline])`).waitFor({ timeout: state ? 90_000 : 15_000 });
      await tab.locator('.clock:not(:empty)').waitFor();
      if (state === 'awaiting-check-in') await tab.locator('.countdown:not(:empty)').waitFor();
      await tab.screenshot({ path: shot.out });
      written.push(shot.out);
    } finally {
      await context.close();
    }
  }
  return written;
}
