/**
 * (v3, issue 27) In place of the selection panel, for a resource the person may view but not book:
 * the page's error, if any, and the note that says so (the grid points at it with `aria-describedby`).
 */
import { viewOnlySentence } from './resource-access';
import { useT } from '../i18n';

/** The id of the note, for the grid's `aria-describedby`. */
export const VIEW_ONLY_NOTE_ID = 'view-only-note';

export function ViewOnlyNote({ error }: { error: string | null }) {
  const { t } = useT();
  return (
    <section className="actions" aria-label={t('selection.label')}>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p id={VIEW_ONLY_NOTE_ID} className="view-only-note">
        {viewOnlySentence()}
      </p>
    </section>
  );
}
