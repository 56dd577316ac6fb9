/**
 * The order jest starts suites in. With two workers, a long suite started last stretches the run
 * by its whole length while the other worker idles; jest orders by the durations it cached on
 * earlier runs, but a fresh clone (CI) has none and falls back to file size. So the suites that
 * take longest (measured on the CI machine, several times their median suite) start first, in this
 * order, and the rest follow as jest would order them. A name that no longer exists is ignored; a
 * new slow suite only costs its tail until it is listed here.
 */
const Sequencer = require('@jest/test-sequencer').default;

const LONGEST_FIRST = [
  'server/test/timers-crash.test.ts',
  'web/test/booking-page.test.ts',
  'server/test/crash-recovery.test.ts',
  'web/test/approvals.browser.test.ts',
  'web/test/holds-waitlist.browser.test.ts',
  'web/test/display.browser.test.ts',
  'server/test/rolling-restart.test.ts',
  'server/test/startup-signal.test.ts',
  'server/test/webhooks-crash.test.ts',
  'server/test/cluster.test.ts',
  'server/test/waitlist-race.test.ts',
  'server/test/approvals-crash.test.ts',
  'server/test/timers-reconcile.test.ts',
  'server/test/bench-smoke.test.ts',
  'server/test/faults.test.ts',
  'server/test/notifications-crash.test.ts',
  'server/test/notifications.test.ts',
  'admin-desktop/test/dashboard.browser.test.ts',
  'server/test/check-in.test.ts',
  'admin-desktop/test/holds.browser.test.ts',
  'server/test/mongo-failover.test.ts',
  'web/test/capacity-page.browser.test.ts',
];

class LongestFirst extends Sequencer {
  sort(tests) {
    const rank = (t) => {
      const i = LONGEST_FIRST.findIndex((name) => t.path.replace(/\\/g, '/').endsWith(name));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    const rest = super.sort(tests.filter((t) => rank(t) === LONGEST_FIRST.length));
    const first = tests.filter((t) => rank(t) < LONGEST_FIRST.length).sort((a, b) => rank(a) - rank(b));
    return [...first, ...rest];
  }
}

module.exports = LongestFirst;
