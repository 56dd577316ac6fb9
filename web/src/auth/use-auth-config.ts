/** The sign-in choices the server offers (`GET /api/auth/config`), read once per sign-in form; null while reading. */
import { useEffect, useState } from 'react';
import { PASSWORD_ONLY, readAuthConfig } from './single-sign-on';
import type { AuthConfig } from './single-sign-on';

export function useAuthConfig(): AuthConfig | null {
  const [config, setConfig] = useState<AuthConfig | null>(null);
  useEffect(() => {
    let live = true;
    void readAuthConfig().then((res) => {
      // Unreachable or unreadable: the password form, whose own answer then says what is wrong.
      if (live) setConfig(res.ok ? res.data : PASSWORD_ONLY);
    });
    return () => {
      live = false;
    };
  }, []);
  return config;
}
