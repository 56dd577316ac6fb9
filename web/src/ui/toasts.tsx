/** Short-lived messages (server notifications, confirmations), announced politely. */
import { useEffect } from 'react';
import { useT } from '../i18n';

export interface Toast {
  id: string;
  text: string;
  /** One button next to the text (a reminder's "Check in"). */
  action?: { label: string; run(): void };
}

const TOAST_MS = 8000;

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: string) => void }) {
  useEffect(() => {
    const timer = window.setTimeout(() => onDismiss(toast.id), TOAST_MS);
    return () => window.clearTimeout(timer);
  }, [toast.id, onDismiss]);
  const { t } = useT();
  return (
    <li className="toast">
      <span>{toast.text}</span>
      {toast.action && (
        <button
          type="button"
          onClick={() => {
            toast.action?.run();
            onDismiss(toast.id);
          }}
        >
          {toast.action.label}
        </button>
      )}
      <button
        type="button"
        className="link"
        aria-label={t('toast.dismiss', { text: toast.text })}
        onClick={() => onDismiss(toast.id)}
      >
        ×
      </button>
    </li>
  );
}

export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: string) => void }) {
  const { t } = useT();
  return (
    // The live region wraps the list, so the list keeps its own role (and its items theirs).
    <div className="toasts" role="status" aria-live="polite" aria-label={t('toast.region')}>
      <ul>
        {toasts.map((item) => (
          <ToastItem key={item.id} toast={item} onDismiss={onDismiss} />
        ))}
      </ul>
    </div>
  );
}
