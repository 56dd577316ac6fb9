/**
 * The dashboard's part of approval (issue 26), in Debian's Chromium against a live in-process
 * server: staff set approval "always" on a room in the policy editor (with an approver picked by
 * name, and expiry hours as a fraction, after an invalid value is shown on its field); a user's
 * booking from a socket then shows up live in the Approvals queue, in "Pending approvals: 1" and
 * as "awaiting approval" on the timeline; Decline with a reason takes it out of the queue and the
 * owner's booking is declined with that reason; the next request is approved and becomes active.
 * A request decided elsewhere first, while the page heard nothing of it, is said as such when
 * clicked, and leaves the queue. Axe clean with the queue and the approval settings visible.
 */
import type { Page } from 'playwright-core';
import { axeViolations, artifactPath } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { createResource, loginStaff, registerUser, send, sendAdmin, slot, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { ensureRendererBuilt } from './support/admin-build';

const ui = useBrowserSuite({
  build: [ensureRendererBuilt],
  context: { viewport: { width: 1440, height: 1200 } },
  timeoutMs: 90_000,
});
const sockets = useSockets();
const h = useHarness({ label: 'admin-approvals' }, 60_000);

/** A day wholly in the future, and an interval of it. */
const date = slot(26).start.slice(0, 10);
const within = (from: string, to: string) => ({ start: `${date}T${from}:00.000Z`, end: `${date}T${to}:00.000Z` });

/**
 * A signed-in dashboard showing `date`. Its `/admin` pushes (`slot:changed`, `stats`) pass through
 * a route that drops them while `quiet.on` is set, so a test can decide a request elsewhere
 * without the page hearing of it.
 */
async function signedInPage(quiet: { on: boolean }): Promise<Page> {
  const page = await ui.newPage(undefined, 30_000);
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      if (quiet.on && typeof m === 'string' && /^42\/admin,\["(slot:changed|stats)"/.test(m)) return;
      ws.send(m);
    });
  });
  await page.goto(`${h.node.url}/admin/`);
  await page.fill('input[name=email]', 'staff@example.com');
  await page.fill('input[name=password]', 'staff-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=connection].live', { timeout: 10_000 });
  await page.fill('#day', date);
  await page.dispatchEvent('#day', 'change');
  return page;
}

const request = (id: string) => `[data-testid=approval-request][data-booking-id="${id}"]`;
const block = (id: string) => `[data-testid=booking-block][data-booking-id="${id}"]`;
const pendingFigure = (n: number) => `[data-testid=stat-pending-approvals]:text-is("${n}")`;

it('sets approval in the policy editor, then decides requests from the live queue', async () => {
  const staff = await loginStaff(h.node.url);
  const room = await createResource(h.node.url, staff.token, `Approval room ${Date.now()}`);
  const ann = await registerUser(h.node.url, 'Ann');
  const rob = await registerUser(h.node.url, 'Rob');
  const robSocket = await sockets.client(h.node.url, rob.token);
  const admin = await sockets.admin(h.node.url, staff.token);
  const quiet = { on: false };
  const page = await signedInPage(quiet);
  try {
    await page.waitForSelector('[data-testid=approvals-empty]', { timeout: 10_000 });
    await page.waitForSelector(pendingFigure(0), { timeout: 10_000 });

    // The policy editor: approval always, Ann as approver, and an invalid expiry shown on its field first.
    const editor = `[data-testid=policy-editor][data-resource-id="${room.id}"]`;
    await page.click(`details.policy[data-resource-id="${room.id}"] summary`);
    await page.selectOption(`${editor} [data-field="approval.required"]`, 'always');
    await page.fill(`${editor} [data-field="approval.expireHours"]`, '-2');
    await page.fill(`${editor} [data-field="approval.approverIds"]`, ann.user.email);
    await page.click(`${editor} button:text-is("Find users")`);
    await page.waitForSelector(`${editor} [data-testid=approver-candidates] option[value="${ann.user.id}"]`, {
      state: 'attached',
    });
    await page.selectOption(`${editor} [data-testid=approver-candidates]`, ann.user.id);
    await page.click(`${editor} button:text-is("Add approver")`);
    const annListed = `${editor} [data-testid=approver-list] li[data-user-id="${ann.user.id}"]`;
    expect(await page.textContent(`${annListed} .approver-name`)).toBe('Ann');
    await page.click(`${editor} button[type=submit]`);
    await page.waitForSelector(`${editor} [data-field="approval.expireHours"][aria-invalid=true]`);
    expect(await page.textContent(`#pol-${room.id}-approval-expireHours-error`)).toMatch(/\S/);
    const before = unwrap(await send(robSocket, 'resources:list', {})).resources.find((r) => r.id === room.id);
    expect(before?.policy.approval).toBeNull();

    await page.fill(`${editor} [data-field="approval.expireHours"]`, '24.5');
    await page.click(`${editor} button[type=submit]`);
    await page.waitForSelector('[data-testid=status]:has-text("saved")', { timeout: 10_000 });
    const saved = unwrap(await send(robSocket, 'resources:list', {})).resources.find((r) => r.id === room.id);
    expect(saved?.policy.approval).toEqual({ required: 'always', approverIds: [ann.user.id], expireHours: 24.5 });
    // Drawn again from the saved resource: the settings read back, the approver by name.
    expect(await page.inputValue(`${editor} [data-field="approval.required"]`)).toBe('always');
    expect(await page.inputValue(`${editor} [data-field="approval.expireHours"]`)).toBe('24.5');
    expect(await page.textContent(`${annListed} .approver-name`)).toBe('Ann');

    // Rob books: a request, live in the queue, the figure and the timeline.
    const first = unwrap(await send(robSocket, 'booking:create', { resourceId: room.id, ...within('10:00', '11:00') }));
    expect(first.booking.status).toBe('pending');
    await page.waitForSelector(request(first.booking.id), { timeout: 10_000 });
    expect(await page.textContent(`${request(first.booking.id)} [data-testid=approval-who]`)).toBe('Rob');
    expect(await page.textContent(`${request(first.booking.id)} [data-testid=approval-resource]`)).toBe(room.name);
    expect(await page.textContent(`${request(first.booking.id)} [data-testid=approval-when]`)).toContain(
      '10:00–11:00 (UTC)',
    );
    expect(await page.textContent(`${request(first.booking.id)} [data-testid=approval-quantity]`)).toBe('1');
    expect(
      await page.getAttribute(`${request(first.booking.id)} [data-testid=approval-until]`, 'data-expires-at'),
    ).toBe(first.booking.expiresAt);
    await page.waitForSelector(pendingFigure(1), { timeout: 10_000 });
    await page.waitForSelector(`${block(first.booking.id)}[data-awaiting-approval=true]`, { timeout: 10_000 });
    expect(await page.textContent(`${block(first.booking.id)} [data-testid=hold-tag]`)).toBe('awaiting approval');
    expect(await page.$eval(block(first.booking.id), (el) => getComputedStyle(el).borderStyle)).toBe('dashed');
    expect(await axeViolations(page)).toEqual([]);

    // Decline with a reason: it leaves the queue and the booking is declined with that reason.
    await page.fill(`${request(first.booking.id)} [data-testid=decline-reason]`, 'The room is being painted');
    await page.click(`${request(first.booking.id)} [data-testid=decline]`);
    await page.waitForSelector(request(first.booking.id), { state: 'detached', timeout: 10_000 });
    await page.waitForSelector('[data-testid=status]:has-text("Declined")', { timeout: 10_000 });
    const mine = unwrap(await send(robSocket, 'bookings:mine', {})).bookings.find((b) => b.id === first.booking.id);
    expect(mine).toMatchObject({
      status: 'declined',
      declineReason: 'The room is being painted',
      decidedBy: staff.user.id,
    });
    const history = unwrap(await sendAdmin(admin, 'booking:history', { bookingId: first.booking.id })).events;
    expect(history.map((e) => e.action)).toEqual(['request', 'decline']);
    await page.waitForSelector(block(first.booking.id), { state: 'detached', timeout: 10_000 });
    await page.waitForSelector(pendingFigure(0), { timeout: 10_000 });

    // Another request, approved: it becomes active, and is drawn as a booking.
    const second = unwrap(
      await send(robSocket, 'booking:create', { resourceId: room.id, ...within('12:00', '13:00') }),
    );
    await page.click(`${request(second.booking.id)} [data-testid=approve]`, { timeout: 10_000 });
    await page.waitForSelector(request(second.booking.id), { state: 'detached', timeout: 10_000 });
    const approved = unwrap(await send(robSocket, 'bookings:mine', {})).bookings.find(
      (b) => b.id === second.booking.id,
    );
    expect(approved).toMatchObject({ status: 'active', decidedBy: staff.user.id });
    await page.waitForSelector(`${block(second.booking.id)}[data-status=active]:not([data-awaiting-approval])`, {
      timeout: 10_000,
    });

    // Decided elsewhere first while the page heard nothing: the click says so and the queue is read again.
    const third = unwrap(await send(robSocket, 'booking:create', { resourceId: room.id, ...within('15:00', '16:00') }));
    await page.waitForSelector(request(third.booking.id), { timeout: 10_000 });
    quiet.on = true;
    unwrap(await sendAdmin(admin, 'booking:approve', { bookingId: third.booking.id }));
    await page.click(`${request(third.booking.id)} [data-testid=decline]`);
    await page.waitForSelector('[data-testid=status]:has-text("already decided elsewhere")', { timeout: 10_000 });
    await page.waitForSelector(request(third.booking.id), { state: 'detached', timeout: 10_000 });
    quiet.on = false;
    const kept = unwrap(await send(robSocket, 'bookings:mine', {})).bookings.find((b) => b.id === third.booking.id);
    expect(kept?.status).toBe('active');

    // Axe with a request in the queue and the approval settings open.
    const fourth = unwrap(
      await send(robSocket, 'booking:create', { resourceId: room.id, ...within('17:00', '18:00') }),
    );
    await page.waitForSelector(request(fourth.booking.id), { timeout: 10_000 });
    await page.waitForSelector(`${editor} [data-testid=approval-settings]`, { state: 'visible' });
    await page.screenshot({ path: artifactPath('admin-approvals.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // "None" clears it: the policy's approval is null again.
    await page.selectOption(`${editor} [data-field="approval.required"]`, 'none');
    await page.click(`${editor} button[type=submit]`);
    // The status line said the decision's sentence since the last save.
    await page.waitForSelector('[data-testid=status]:has-text("saved")', { timeout: 10_000 });
    const cleared = unwrap(await send(robSocket, 'resources:list', {})).resources.find((r) => r.id === room.id);
    expect(cleared?.policy.approval).toBeNull();
  } finally {
    await page.close();
  }
}, 90_000);
