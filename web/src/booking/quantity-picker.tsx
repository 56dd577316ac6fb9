/**
 * How many units to book at once, for a resource of several units: a labelled number field from 1
 * to the capacity. What is typed is kept as typed while it is not a whole number in range (marked
 * invalid, the last good quantity still in force) and put back to that quantity on leaving the field.
 */
import { useEffect, useState } from 'react';
import { useT } from '../i18n';

interface Props {
  capacity: number;
  quantity: number;
  onQuantity(quantity: number): void;
}

export function QuantityPicker({ capacity, quantity, onQuantity }: Props) {
  const [draft, setDraft] = useState(String(quantity));
  useEffect(() => setDraft(String(quantity)), [quantity]);
  const value = Number(draft);
  const { t } = useT();
  const valid = draft.trim() !== '' && Number.isInteger(value) && value >= 1 && value <= capacity;
  return (
    <div className="quantity">
      <label>
        {t('quantity.label')}
        <input
          type="number"
          inputMode="numeric"
          min={1}
          max={capacity}
          step={1}
          value={draft}
          aria-invalid={!valid}
          aria-describedby="quantity-hint"
          onChange={(e) => {
            setDraft(e.target.value);
            const n = Number(e.target.value);
            if (e.target.value.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= capacity) onQuantity(n);
          }}
          onBlur={() => setDraft(String(quantity))}
        />
      </label>
      <span id="quantity-hint" className="muted small">
        1 to {capacity}; times with fewer free are greyed.
      </span>
    </div>
  );
}
