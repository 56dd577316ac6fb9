/** Choosing the shown days: previous / next, a date, today, and the day or week view. */
import { addDays, isDate } from './local-grid';
import type { ViewMode } from './local-grid';

interface Props {
  anchor: string;
  mode: ViewMode;
  /** `null`: back to the resource's today. */
  onAnchor(day: string | null): void;
  onMode(mode: ViewMode): void;
}

export function DateToolbar({ anchor, mode, onAnchor, onMode }: Props) {
  const step = mode === 'day' ? 1 : 7;
  return (
    <div className="toolbar" role="group" aria-label="Choose dates">
      <button
        type="button"
        aria-label={mode === 'day' ? 'Previous day' : 'Previous week'}
        onClick={() => onAnchor(addDays(anchor, -step))}
      >
        ‹
      </button>
      <label>
        Date
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
        aria-label={mode === 'day' ? 'Next day' : 'Next week'}
        onClick={() => onAnchor(addDays(anchor, step))}
      >
        ›
      </button>
      <button type="button" onClick={() => onAnchor(null)}>
        Today
      </button>
      <span role="group" aria-label="View" className="tabs">
        <button type="button" aria-pressed={mode === 'day'} onClick={() => onMode('day')}>
          Day
        </button>
        <button type="button" aria-pressed={mode === 'week'} onClick={() => onMode('week')}>
          Week
        </button>
      </span>
    </div>
  );
}
