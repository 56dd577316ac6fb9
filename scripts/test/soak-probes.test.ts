/** The soak's reading of a node's `/metrics` text (scripts/soak/probes.ts `metricSum`). */
import { metricSum } from '../soak/probes';

const TEXT = [
  '# HELP booking_notification_queue_jobs Notification jobs by state',
  '# TYPE booking_notification_queue_jobs gauge',
  'booking_notification_queue_jobs{state="waiting",node="node-a"} 12',
  'booking_notification_queue_jobs{state="active",node="node-a"} 1',
  'booking_faults_total{kind="publish",node="node-a"} 2',
  'booking_faults_total{kind="effect:cache",node="node-a"} 3',
  'booking_faults_total_extra 100',
  'process_open_fds 41',
].join('\n');

describe('metricSum', () => {
  it('sums every sample of a metric, or those whose labels match', () => {
    expect(metricSum(TEXT, 'booking_faults_total')).toBe(5);
    expect(metricSum(TEXT, 'booking_notification_queue_jobs', 'state="waiting"')).toBe(12);
    expect(metricSum(TEXT, 'booking_notification_queue_jobs')).toBe(13);
  });

  it('reads an unlabelled sample and answers null for a metric that is not there', () => {
    expect(metricSum(TEXT, 'process_open_fds')).toBe(41);
    expect(metricSum(TEXT, 'booking_missing')).toBeNull();
    expect(metricSum(TEXT, 'booking_notification_queue_jobs', 'state="failed"')).toBeNull();
  });
});
