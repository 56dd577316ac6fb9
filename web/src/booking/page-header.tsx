/** The top of the signed-in page: who is signed in, the app's notice, the verify notice, the connection banner. */
import type { AuthResult } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';
import { useT } from '../i18n';
import { LanguageSwitcher } from '../ui/language-switcher';
import { VerifyNotice } from '../auth/verify-notice';
import type { ConnectionState } from './use-connection';

interface Props {
  auth: AuthResult;
  notice: string | null;
  connection: ConnectionState;
  /** The page's commands: a language chosen here is the person's (`profile:update`). */
  send: BookingCommands | null;
  onSignOut(): void;
}

export function PageHeader({ auth, notice, connection, send, onSignOut }: Props) {
  const { t } = useT();
  return (
    <>
      <header className="top">
        <h1>{t('header.title')}</h1>
        <span className="who">
          {t('header.signedInAs')} <strong>{auth.user.name}</strong>
        </span>
        {/* The page switches at once; the server keeps it for emails (a failure leaves the page's choice). */}
        <LanguageSwitcher onChosen={(locale) => void send?.('profile:update', { locale })} />
        <button type="button" onClick={onSignOut}>
          {t('header.signOut')}
        </button>
      </header>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {auth.user.emailVerified === false && <VerifyNotice token={auth.token} email={auth.user.email} />}
      {connection === 'disconnected' && (
        <div role="alert" className="banner">
          {t('header.connectionLost')}
        </div>
      )}
    </>
  );
}
