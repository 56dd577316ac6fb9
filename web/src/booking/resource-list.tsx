/**
 * The resources panel: a type filter and the list; the chosen resource is pressed. A resource of
 * several units says its capacity, and a space with a number of seats says it, under its name.
 */
import type { Resource } from '@booking/shared';
import { resourceFacts } from './capacity';
import { TypeOptions } from './type-options';

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
  return (
    <nav aria-labelledby="resources-heading" className="panel resources">
      <h2 id="resources-heading">Resources</h2>
      <label>
        Type
        <select value={typeFilter} onChange={(e) => onTypeFilter(e.target.value)}>
          <TypeOptions types={types} anyLabel="All types" />
        </select>
      </label>
      {shown.length === 0 ? (
        <p className="muted">{resources.length === 0 ? 'No resources yet.' : 'No resources of that type.'}</p>
      ) : (
        <ul aria-label="Resources">
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
