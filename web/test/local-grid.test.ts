/**
 * The booking grid's local-time model on ordinary and daylight-saving days, in Berlin and New
 * York: every cell spans exactly its minutes of real time, the cells tile the local day with
 * no gap or overlap, the skipped hour has no cells and the repeated hour has them twice.
 */
import { DateTime } from 'luxon';
import { buildGrid, cellMinutesFor, dayCells, mergeRows } from '../src/booking/local-grid';
import type { GridDay } from '../src/booking/local-grid';

const MIN = 60_000;

/** The day's cells tile [from, to) exactly, each `minutes` long. */
function expectTiled(day: GridDay, minutes: number): void {
  expect(day.cells[0]?.start).toBe(day.from);
  expect(day.cells[day.cells.length - 1]?.end).toBe(day.to);
  for (const [i, c] of day.cells.entries()) {
    expect({ i, length: (c.end - c.start) / MIN }).toEqual({ i, length: minutes });
    if (i > 0) expect(c.start).toBe(day.cells[i - 1]?.end);
  }
}

const local = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('HH:mm ZZ');

describe.each([
  // zone, spring-forward day, skipped wall-clock hour, fall-back day, repeated wall-clock hour
  ['Europe/Berlin', '2031-03-30', '02', '2031-10-26', '02'],
  ['America/New_York', '2031-03-09', '02', '2031-11-02', '01'],
])('%s', (zone, spring, skipped, fall, repeated) => {
  it('an ordinary day has 48 half-hour cells from 00:00 to 23:30', () => {
    const day = dayCells('2031-06-10', zone, 30);
    expect(day.cells).toHaveLength(48);
    expectTiled(day, 30);
    expect(day.cells.map((c) => c.time).slice(0, 3)).toEqual(['00:00', '00:30', '01:00']);
    expect((day.to - day.from) / MIN).toBe(24 * 60);
  });

  it('the spring-forward day has 46 cells of 30 real minutes and none in the skipped hour', () => {
    const day = dayCells(spring, zone, 30);
    expect((day.to - day.from) / MIN).toBe(23 * 60);
    expect(day.cells).toHaveLength(46);
    expectTiled(day, 30);
    expect(day.cells.some((c) => c.time.startsWith(`${skipped}:`))).toBe(false);
    // The cell before the gap ends where the one after it starts: 01:30 → 03:00 local is 30 minutes.
    const before = day.cells.find((c) => c.time === '01:30');
    const after = day.cells.find((c) => c.time === '03:00');
    expect(before?.end).toBe(after?.start);
    // Every cell starts at its own wall-clock time.
    for (const c of day.cells) expect(local(c.start, zone).slice(0, 5)).toBe(c.time);
  });

  it('the fall-back day has 50 cells of 30 real minutes and the repeated hour twice, told apart by offset', () => {
    const day = dayCells(fall, zone, 30);
    expect((day.to - day.from) / MIN).toBe(25 * 60);
    expect(day.cells).toHaveLength(50);
    expectTiled(day, 30);
    const twice = day.cells.filter((c) => c.time === `${repeated}:00` || c.time === `${repeated}:30`);
    expect(twice).toHaveLength(4);
    expect(twice.map((c) => c.row)).toEqual([
      `${repeated}:00`,
      `${repeated}:30`,
      `${repeated}:00#2`,
      `${repeated}:30#2`,
    ]);
    // Consecutive real half hours, the second pass an hour after the first.
    expect(twice.map((c) => (c.start - (twice[0]?.start ?? 0)) / MIN)).toEqual([0, 30, 60, 90]);
    const offsets = new Set(twice.map((c) => local(c.start, zone).slice(6)));
    expect(offsets.size).toBe(2);
    expect(twice[0]?.label).not.toBe(twice[2]?.label);
    expect(new Set(day.cells.map((c) => c.row)).size).toBe(50);
  });

  it('a week across the fall-back day has every row once, the repeated hour right after its first pass', () => {
    const start = DateTime.fromISO(fall).minus({ days: 3 }).toISODate() ?? '';
    const grid = buildGrid({ anchor: start, mode: 'week', zone, slotMinutes: 30 });
    expect(grid.days.map((d) => d.date)).toContain(fall);
    expect(grid.rows).toHaveLength(50);
    const keys = grid.rows.map((r) => r.key);
    const first = keys.indexOf(`${repeated}:30`);
    expect(keys.slice(first + 1, first + 3)).toEqual([`${repeated}:00#2`, `${repeated}:30#2`]);
    expect(keys[first + 3]).toBe(`${String(Number(repeated) + 1).padStart(2, '0')}:00`);
    for (const d of grid.days) expectTiled(d, 30);
  });

  it('a week across the spring-forward day keeps the skipped rows for the other days', () => {
    const grid = buildGrid({ anchor: spring, mode: 'week', zone, slotMinutes: 30 });
    expect(grid.rows).toHaveLength(48);
    expect(grid.days[0]?.byRow.has(`${skipped}:00`)).toBe(false);
    expect(grid.days[1]?.byRow.has(`${skipped}:00`)).toBe(true);
  });

  it('quarter-hour and hour grids hold on both change days', () => {
    for (const minutes of [15, 60]) {
      const s = dayCells(spring, zone, minutes);
      const f = dayCells(fall, zone, minutes);
      expect(s.cells).toHaveLength((23 * 60) / minutes);
      expect(f.cells).toHaveLength((25 * 60) / minutes);
      expectTiled(s, minutes);
      expectTiled(f, minutes);
    }
  });
});

it('cells are the policy grid from 15 minutes up, and a multiple of finer grids from 30 minutes', () => {
  expect([1, 5, 10, 15, 20, 60, 1440].map(cellMinutesFor)).toEqual([30, 30, 30, 15, 20, 60, 1440]);
  expect(cellMinutesFor(4) % 4).toBe(0);
  expect(1440 % cellMinutesFor(4)).toBe(0);
});

it('mergeRows keeps each day in its own order', () => {
  const rows = mergeRows([dayCells('2031-10-25', 'Europe/Berlin', 60), dayCells('2031-10-26', 'Europe/Berlin', 60)]);
  expect(rows.map((r) => r.key).slice(0, 5)).toEqual(['00:00', '01:00', '02:00', '02:00#2', '03:00']);
});
