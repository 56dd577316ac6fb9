/**
 * The resources panel: a type filter and the list; the chosen resource is pressed. A resource of
 * several units says its capacity, and a space with a number of seats says it, under its name.
 */
import type { Resource } from '@booking/shared';
import { resourceFacts } from './capacity';
import { TypeOptions } from './type-options';
import { useT } from '../i18n';

interface Props {
  resources: Resource[];
  types: string[];
  typeFilter: string;
  resourceId: string | null;
  onTypeFilter(type: string): void;
  onChoose(id: string): void;
}

export function ResourceList({ resources, types, typeFilter, resourceId, onTypeFilter, onChoose }: Props) {
  const shown = resources.filter((r) => !typeFilter || r.type === typeFilter);
  const { t } = useT();
  return (
    <nav aria-labelledby="resources-heading" className="panel resources">
      <h2 id="resources-heading">{t('resources.title')}</h2>
      <label>
        {t('resources.type')}
        <select value={typeFilter} onChange={(e) => onTypeFilter(e.target.value)}>
          <TypeOptions types={types} anyLabel={t('resources.allTypes')} />
        </select>
      </label>
      {shown.length === 0 ? (
        <p className="muted">{resources.length === 0 ? t('resources.none') : t('resources.noneOfType')}</p>
      ) : (
        <ul aria-label={t('resources.title')}>
          {shown.map((r) => (
            <li key={r.id}>
              <button type="button" aria-pressed={r.id === resourceId} onClick={() => onChoose(r.id)}>
                <span className="name">{r.name}</span> <span className="muted">({r.type})</span>
                {resourceFacts(r) && <span className="muted small facts">{resourceFacts(r)}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
