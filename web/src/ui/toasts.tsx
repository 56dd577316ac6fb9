/** Short-lived messages (server notifications, confirmations), announced politely. */
import { useEffect } from 'react';

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
      <button type="button" className="link" aria-label={`Dismiss: ${toast.text}`} onClick={() => onDismiss(toast.id)}>
        ×
      </button>
    </li>
  );
}

export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: string) => void }) {
  return (
    // The live region wraps the list, so the list keeps its own role (and its items theirs).
    <div className="toasts" role="status" aria-live="polite" aria-label="Notifications">
      <ul>
        {toasts.map((t) => (
          <ToastItem key={t.id} toast={t} onDismiss={onDismiss} />
        ))}
      </ul>
    </div>
  );
}
