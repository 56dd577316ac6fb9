/** The top of the signed-in page: who is signed in, the app's notice, the verify notice, the connection banner. */
import type { AuthResult } from '@booking/shared';
import { VerifyNotice } from '../auth/verify-notice';
import type { ConnectionState } from './use-connection';

interface Props {
  auth: AuthResult;
  notice: string | null;
  connection: ConnectionState;
  onSignOut(): void;
}

export function PageHeader({ auth, notice, connection, onSignOut }: Props) {
  return (
    <>
      <header className="top">
        <h1>Bookings</h1>
        <span className="who">
          Signed in as <strong>{auth.user.name}</strong>
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
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
          Connection lost. Reconnecting… The grid will catch up by itself once the connection is back.
        </div>
      )}
    </>
  );
}
