// SPDX-License-Identifier: Apache-2.0
import { useState } from 'preact/hooks';
import { post, setCsrf, type Me } from '../api';
import { ErrorBox, PageTitle } from '../components';
import { useAction, useLoad } from '../hooks';
import { get } from '../api';
import { t } from '../i18n';

export function LoginPage({ onLogin }: { onLogin: (me: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  // The demo logins are listed only when the server runs the demo data set (its issuer says so).
  const issuer = useLoad(() => get<{ name: string }>('/api/v1/public/issuer'), []);
  const demo = /demo/i.test(issuer.data?.name ?? '');

  const submit = async (e: Event) => {
    e.preventDefault();
    const res = await run(() =>
      post<Me & { csrf_token: string }>('/api/v1/auth/login', { email: email.trim(), password }),
    );
    if (res) {
      setCsrf(res.csrf_token);
      onLogin({ user: res.user, memberships: res.memberships });
    }
  };

  return (
    <section class="login">
      <PageTitle sub={t('login.lead')}>{t('login.title')}</PageTitle>
      <form class="card form" onSubmit={submit} noValidate={false}>
        <ErrorBox error={error} title={t('login.failed')} />
        <div class="field">
          <label for="login-email">{t('login.email')}</label>
          <input
            id="login-email"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="login-password">{t('login.password')}</label>
          <input
            id="login-password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
      {demo && (
      <aside class="card demo-hint">
        <h2>{t('login.demo_title')}</h2>
        <p>{t('login.demo_text')}</p>
        <ul class="plain">
          <li><code>buyer@demo.hoshitori.jp</code> — {t('login.demo_buyer')}</li>
          <li><code>hoshitori@demo.hoshitori.jp</code> — {t('login.demo_star3')}</li>
          <li><code>hokushin@demo.hoshitori.jp</code> — {t('login.demo_star4')}</li>
          <li><code>minami@demo.hoshitori.jp</code> — {t('login.demo_tier2')}</li>
          <li><code>expert@demo.hoshitori.jp</code> — {t('login.demo_expert')}</li>
          <li><code>evaluator@demo.hoshitori.jp</code> — {t('login.demo_evaluator')}</li>
          <li><code>operator@demo.hoshitori.jp</code> — {t('login.demo_operator')}</li>
        </ul>
      </aside>
      )}
    </section>
  );
}
