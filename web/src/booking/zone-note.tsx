/** Above the grid: the zone its times are in (and the viewer's, when it differs) and how bookings are limited. */
import { durationText, gridText } from '@booking/client';
import type { Policy } from '@booking/shared';
import { zoneLabel } from './local-grid';
import { useT } from '../i18n';

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
  const { t } = useT();
  const limits = t('zone.limits', {
    min: durationText(policy.minMinutes),
    max: durationText(policy.maxMinutes),
    grid: gridText(policy.slotMinutes),
  });
  return (
    <>
      {showZone && (
        <p className="zone-note" data-testid="zone-note">
          {zone === viewer
            ? t('zone.same', { zone: zoneLabel(zone) })
            : t('zone.differs', { zone: zoneLabel(zone), viewer: zoneLabel(viewer) })}
        </p>
      )}
      <p className="muted small">
        {limits} {t('zone.howTo')}
      </p>
    </>
  );
}
