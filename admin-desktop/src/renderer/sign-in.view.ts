import { h } from './dom.util';

/** Staff sign-in; in the desktop app also the server to talk to. */
export function renderSignIn(opts: {
  error: string | null;
  desktop: boolean;
  serverUrl: string;
  onSubmit: (email: string, password: string) => void;
  onServerUrl: (url: string) => void;
}): HTMLElement {
  const email = h('input', {
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    required: true,
    placeholder: 'staff@example.com',
  });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const form = h(
    'form',
    { class: 'card sign-in', 'data-testid': 'sign-in' },
    h('h1', {}, 'Staff dashboard'),
    h('label', {}, 'Email', email),
    h('label', {}, 'Password', password),
    opts.error ? h('p', { class: 'error', role: 'alert' }, opts.error) : null,
    h('button', { type: 'submit', class: 'btn primary' }, 'Sign in'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    opts.onSubmit(email.value, password.value);
  });
  if (opts.desktop) {
    const server = h('input', { type: 'url', value: opts.serverUrl, 'aria-label': 'server' });
    const change = h('button', { type: 'button', class: 'btn small' }, 'Use server');
    change.addEventListener('click', () => opts.onServerUrl(server.value));
    form.append(h('label', { class: 'server' }, 'Server', server, change));
  }
  return form;
}
