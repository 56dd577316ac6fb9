/** The page's toasts: at most four at once, the oldest dropped first. */
import { useCallback, useState } from 'react';
import type { Toast } from '../ui/toasts';
import { randomKey } from './random-key';

export interface Toasts {
  toasts: Toast[];
  toast(text: string, action?: Toast['action']): void;
  dismiss(id: string): void;
}

export function useToasts(): Toasts {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const toast = useCallback((text: string, action?: Toast['action']) => {
    setToasts((ts) => [...ts.slice(-3), { id: randomKey(), text, ...(action ? { action } : {}) }]);
  }, []);
  const dismiss = useCallback((id: string) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  return { toasts, toast, dismiss };
}
