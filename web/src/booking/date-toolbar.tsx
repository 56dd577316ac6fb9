/** Choosing the shown days: previous / next, a date, today, and the day or week view. */
import { addDays, isDate } from './local-grid';
import type { ViewMode } from './local-grid';
import { useT } from '../i18n';

interface Props {
  anchor: string;
  mode: ViewMode;
  /** `null`: back to the resource's today. */
  onAnchor(day: string | null): void;
  onMode(mode: ViewMode): void;
}

export function DateToolbar({ anchor, mode, onAnchor, onMode }: Props) {
  const step = mode === 'day' ? 1 : 7;
  const { t } = useT();
  return (
    <div className="toolbar" role="group" aria-label={t('dates.choose')}>
      <button
        type="button"
        aria-label={mode === 'day' ? t('dates.previousDay') : t('dates.previousWeek')}
        onClick={() => onAnchor(addDays(anchor, -step))}
      >
        ‹
      </button>
      <label>
        {t('dates.date')}
        <input
          type="date"
          value={anchor}
          onChange={(e) => {
            if (isDate(e.target.value)) onAnchor(e.target.value);
          }}
        />
      </label>
      <button
        type="button"
        aria-label={mode === 'day' ? t('dates.nextDay') : t('dates.nextWeek')}
        onClick={() => onAnchor(addDays(anchor, step))}
      >
        ›
      </button>
      <button type="button" onClick={() => onAnchor(null)}>
        {t('dates.today')}
      </button>
      <span role="group" aria-label={t('dates.view')} className="tabs">
        <button type="button" aria-pressed={mode === 'day'} onClick={() => onMode('day')}>
          {t('dates.day')}
        </button>
        <button type="button" aria-pressed={mode === 'week'} onClick={() => onMode('week')}>
          {t('dates.week')}
        </button>
      </span>
    </div>
  );
}
