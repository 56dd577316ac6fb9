/**
 * (v3) The reports panel in Chromium against a live node, with bookings seeded in the last days:
 * the utilisation and no-show bars and the weekday × hour heatmap are drawn as SVG with text
 * alternatives (aria-label summaries and tables), the CSV download saves the bookings file, and
 * axe finds nothing serious; the strict CSP refuses nothing (useBrowserSuite's afterEach).
 */
import { Types } from 'mongoose';
import { axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { createResource, loginStaff, registerUser } from '../../test/support/harness';
import { useHarness } from '../../test/support/suite';
import { ensureRendererBuilt } from './support/admin-build';

const ui = useBrowserSuite({
  build: [ensureRendererBuilt],
  context: { viewport: { width: 1440, height: 1200 }, acceptDownloads: true },
});
const h = useHarness({ label: 'adminreports' });

it('draws utilisation bars and a heatmap with text alternatives, and downloads the bookings CSV', async () => {
  const staff = await loginStaff(h.node.url);
  const room = await createResource(h.node.url, staff.token, `Report room ${Date.now()}`, {
    timeZone: 'Europe/Berlin',
    capacity: 2,
  });
  const owner = await registerUser(h.node.url, 'reportowner');
  // Yesterday 10:00–12:00 UTC, two units; the day before a no-show.
  const day = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const base = {
    resourceId: new Types.ObjectId(room.id),
    userId: new Types.ObjectId(owner.user.id),
    createdAt: new Date(),
    updatedAt: new Date(),
  };
  await h.node.models.Booking.collection.insertMany([
    {
      ...base,
      start: new Date(day - 86_400_000 + 10 * 3_600_000),
      end: new Date(day - 86_400_000 + 12 * 3_600_000),
      status: 'active',
      quantity: 2,
    },
    {
      ...base,
      start: new Date(day - 2 * 86_400_000 + 9 * 3_600_000),
      end: new Date(day - 2 * 86_400_000 + 10 * 3_600_000),
      status: 'cancelled',
      cancelReason: 'no-show',
      quantity: 1,
    },
  ]);

  const page = await ui.newPage();
  await page.goto(`${h.node.url}/admin/`);
  await page.fill('input[name=email]', 'staff@example.com');
  await page.fill('input[name=password]', 'staff-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=connection].live');
  const panel = page.getByRole('region', { name: 'Reports' });
  await panel.getByRole('button', { name: 'Show reports' }).click();
  await panel
    .getByTestId('reports-status')
    .filter({ hasText: /\(UTC days\), \d+ resources?\./ })
    .waitFor();

  const bars = panel.getByRole('img', { name: /Utilisation and no-show rate per resource/ });
  expect(await bars.getAttribute('aria-label')).toContain(`${room.name} `);
  expect(await bars.getAttribute('aria-label')).toContain('100% no-shows');
  const table = panel.getByTestId('utilisation-table');
  await expect(table.getByRole('row', { name: new RegExp(room.name) }).textContent()).resolves.toContain('4'); // 2 h × 2 units

  await panel.getByRole('combobox', { name: 'Resource' }).selectOption({ label: room.name });
  const heat = panel.getByRole('img', { name: new RegExp(`Utilisation of ${room.name} by weekday and hour`) });
  await heat.waitFor();
  // 10:00 UTC is 11:00 (winter) or 12:00 (summer) in Berlin: the busiest cells are named in local
  // time; that weekday comes four or five times in the 31 days, so its share is 20–25 %.
  expect(await heat.getAttribute('aria-label')).toMatch(/busiest \w{3} 1[12]:00 2[05]%/);

  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download bookings CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^bookings-.*\.csv$/);
  const stream = await file.createReadStream();
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  expect(text.split('\r\n')[0]).toBe(
    'id,resourceId,resource,userEmail,startLocal,endLocal,timeZone,startUtc,endUtc,quantity,status,cancelReason,checkedInAt,title',
  );
  expect(text).toContain(owner.user.email);
  expect(text).toContain(',no-show,');

  expect(await axeViolations(page)).toEqual([]);
});
