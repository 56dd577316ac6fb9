/** Above the grid: the zone its times are in (and the viewer's, when it differs) and how bookings are limited. */
import { durationText, gridText } from '@booking/client';
import type { Policy } from '@booking/shared';
import { zoneLabel } from './local-grid';

export function ZoneNote({
  zone,
  viewer,
  policy,
  showZone,
}: {
  zone: string;
  viewer: string;
  policy: Policy;
  showZone: boolean;
}) {
  const limits = `Bookings last ${durationText(policy.minMinutes)} to ${durationText(policy.maxMinutes)} and start and end ${gridText(policy.slotMinutes)}.`;
  return (
    <>
      {showZone && (
        <p className="zone-note" data-testid="zone-note">
          Times are in <strong>{zoneLabel(zone)}</strong>, the resource’s time zone
          {zone === viewer ? (
            '.'
          ) : (
            <>
              ; yours is <strong>{zoneLabel(viewer)}</strong>.
            </>
          )}
        </p>
      )}
      <p className="muted small">
        {limits} Pick a free time: click or drag, or use the arrow keys and Enter (Shift extends). Hatched time is
        closed.
      </p>
    </>
  );
}
