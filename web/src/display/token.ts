/**
 * The display's key: it arrives in the URL fragment (`/display/#<token>`, never sent to a server),
 * is taken out of the address bar at once (so it is not left on screen or in the history), and is
 * kept in sessionStorage so a reload of the same tab still works.
 */
const STORAGE_KEY = 'booking.displayToken';

export interface TokenPlaces {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState'>;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export function takeDisplayToken(places: TokenPlaces): string | null {
  const raw = places.location.hash.replace(/^#/, '');
  let fromHash = '';
  try {
    fromHash = decodeURIComponent(raw).trim();
  } catch {
    fromHash = raw.trim();
  }
  if (fromHash) {
    places.history.replaceState(null, '', places.location.pathname + places.location.search);
    try {
      places.storage?.setItem(STORAGE_KEY, fromHash);
    } catch {
      // Storage refused (private mode, quota): the display works until a reload.
    }
    return fromHash;
  }
  try {
    return places.storage?.getItem(STORAGE_KEY) || null;
  } catch {
    return null;
  }
}

/** sessionStorage, or null where the browser refuses it. */
export function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
