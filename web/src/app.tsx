// SPDX-License-Identifier: Apache-2.0
// The shell: session check, header with navigation by role, language switch, routes.
import { useContext, useEffect, useState } from 'preact/hooks';
import { ApiError, get, hasCsrf, post, setCsrf, setUnauthenticatedHandler, type Me } from './api';
import { ErrorBox, Loading } from './components';
import { getLang, orgName, setLang, t, L } from './i18n';
import { Link, match, navigate, useLocation } from './router';
import { SessionContext, isAdmin, persona, pickMembership, rememberOrg, type Session } from './session';
import { LoginPage } from './pages/login';
import { CompanyHome } from './pages/supplier-home';
import { AssessmentPage } from './pages/assessment';
import { CertificatePage } from './pages/certificate';
import { ReviewQueue } from './pages/review-queue';
import { ReviewPage } from './pages/review';
import { PortfolioPage } from './pages/portfolio';
import { AddSupplierPage } from './pages/add-supplier';
import { RequestsPage } from './pages/requests';
import { Tier2Page } from './pages/tier2';
import { RegistryPage } from './pages/registry';
import { StatsPage } from './pages/stats';
import { SbomsPage } from './pages/sboms';
import { SbomPage } from './pages/sbom';
import { AdvisoriesPage } from './pages/advisories';
import { EarlyWarningsPage } from './pages/early-warnings';
import { CampaignsPage } from './pages/campaigns';
import type { Key } from './strings';

type State = { kind: 'checking' } | { kind: 'anon' } | { kind: 'in'; me: Me } | { kind: 'error'; error: ApiError };

export function App() {
  const [, setLangTick] = useState(0);
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [orgId, setOrgId] = useState<string | null>(null);
  const loc = useLocation();
  document.title = t('app.title');

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrf(null);
      setState({ kind: 'anon' });
    });
    if (!hasCsrf()) {
      // Without the CSRF token this tab cannot change anything: log in again.
      setState({ kind: 'anon' });
      return;
    }
    get<Me>('/api/v1/me')
      .then((me) => setState({ kind: 'in', me }))
      .catch((e: ApiError) => setState(e.status === 401 ? { kind: 'anon' } : { kind: 'error', error: e }));
  }, []);

  // Move focus to the page heading after each navigation.
  useEffect(() => {
    const id = requestAnimationFrame(() => {
      const h = document.getElementById('page-title');
      if (h && document.activeElement === document.body) h.focus({ preventScroll: true });
    });
    window.scrollTo(0, 0);
    return () => cancelAnimationFrame(id);
  }, [loc.path]);

  const switchLang = () => {
    setLang(getLang() === 'ja' ? 'en' : 'ja');
    setLangTick((n) => n + 1);
  };

  if (state.kind === 'checking') {
    return (
      <Frame onLang={switchLang}>
        <Loading />
      </Frame>
    );
  }
  if (state.kind === 'error') {
    return (
      <Frame onLang={switchLang}>
        <ErrorBox error={state.error} />
      </Frame>
    );
  }
  if (state.kind === 'anon') {
    return (
      <Frame onLang={switchLang}>
        <LoginPage
          onLogin={(me) => {
            setState({ kind: 'in', me });
            if (loc.path === '/login') navigate('/', true);
          }}
        />
      </Frame>
    );
  }

  const me = state.me;
  const chosen = orgId ? me.memberships.find((m) => m.organization_id === orgId) : pickMembership(me);
  if (!chosen) {
    return (
      <Frame onLang={switchLang}>
        <p>{t('app.no_membership')}</p>
      </Frame>
    );
  }
  const session: Session = {
    me,
    membership: chosen,
    setOrg: (id) => {
      rememberOrg(id);
      setOrgId(id);
      navigate('/');
    },
    logout: () => {
      post('/api/v1/auth/logout').catch(() => undefined);
      setCsrf(null);
      setState({ kind: 'anon' });
      navigate('/', true);
    },
  };
  return (
    <SessionContext.Provider value={session}>
      <Frame onLang={switchLang} session={session} path={loc.path}>
        <Routes path={loc.path} />
      </Frame>
    </SessionContext.Provider>
  );
}

function Routes({ path }: { path: string }) {
  let m: Record<string, string> | null;
  if ((m = match('/assessments/:id', path))) return <AssessmentPage id={m.id} />;
  if ((m = match('/certificates/:id', path))) return <CertificatePage id={m.id} />;
  if ((m = match('/reviews/:id', path))) return <ReviewPage id={m.id} />;
  if ((m = match('/sboms/:id', path))) return <SbomPage id={m.id} />;
  if (path === '/reviews') return <ReviewQueue />;
  if (path === '/portfolio') return <PortfolioPage />;
  if (path === '/suppliers/new') return <AddSupplierPage />;
  if (path === '/requests') return <RequestsPage />;
  if (path === '/tier2') return <Tier2Page />;
  if (path === '/registry') return <RegistryPage />;
  if (path === '/stats') return <StatsPage />;
  if (path === '/sboms') return <SbomsPage />;
  if (path === '/advisories') return <AdvisoriesPage />;
  if (path === '/early-warnings') return <EarlyWarningsPage />;
  if (path === '/campaigns') return <CampaignsPage />;
  if (path === '/' || path === '/login') return <Home />;
  return (
    <section>
      <h1 tabIndex={-1} id="page-title">
        {t('app.not_found')}
      </h1>
      <p>
        <Link href="/">{t('nav.home')}</Link>
      </p>
    </section>
  );
}

function Home() {
  const s = useContext(SessionContext);
  if (!s) return null;
  switch (persona(s.membership)) {
    case 'operator':
      return <RegistryPage />;
    case 'expert':
    case 'evaluator':
      return <ReviewQueue />;
    default:
      return <CompanyHome />;
  }
}

function navFor(s: Session): { href: string; key: Key }[] {
  switch (persona(s.membership)) {
    case 'operator':
      return [
        { href: '/', key: 'nav.registry' },
        { href: '/stats', key: 'nav.stats' },
        { href: '/campaigns', key: 'nav.campaigns' },
      ];
    case 'expert':
    case 'evaluator':
      return [{ href: '/', key: 'nav.queue' }];
    default: {
      const items: { href: string; key: Key }[] = [
        { href: '/', key: 'nav.home' },
        { href: '/requests', key: 'nav.requests' },
        { href: '/portfolio', key: 'nav.portfolio' },
      ];
      if (isAdmin(s.membership)) items.push({ href: '/suppliers/new', key: 'nav.add_supplier' });
      items.push({ href: '/tier2', key: 'nav.tier2' });
      items.push({ href: '/sboms', key: 'nav.sboms' });
      items.push({ href: '/advisories', key: 'nav.advisories' });
      items.push({ href: '/early-warnings', key: 'nav.warnings' });
      return items;
    }
  }
}

function Frame({
  children,
  onLang,
  session,
  path,
}: {
  children: preact.ComponentChildren;
  onLang: () => void;
  session?: Session;
  path?: string;
}) {
  const other = getLang() === 'ja' ? 'en' : 'ja';
  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header class="site-header">
        <div class="site-header-inner">
          <Link href="/" class="brand">
            <span class="brand-star" aria-hidden="true">
              ★
            </span>
            <span class="brand-name">hoshitori</span>
            <span class="brand-sub">{t('app.tagline')}</span>
          </Link>
          <div class="header-tools">
            {session && session.me.memberships.length > 1 && (
              <label class="org-switch">
                <span class="visually-hidden">{t('app.org_switch')}</span>
                <select
                  value={session.membership.organization_id}
                  onChange={(e) => session.setOrg((e.target as HTMLSelectElement).value)}
                >
                  {session.me.memberships.map((m) => (
                    <option value={m.organization_id} key={m.organization_id}>
                      {orgName(m.organization)} — {L(m.role_label)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {session && (
              <span class="who">
                <span class="who-name">{session.me.user.display_name}</span>
                <span class="who-org">
                  {orgName(session.membership.organization)} ・ {L(session.membership.role_label)}
                </span>
              </span>
            )}
            <button type="button" class="btn btn-ghost" onClick={onLang} lang={other} data-testid="lang-switch">
              {other === 'en' ? 'English' : '日本語'}
            </button>
            {session && (
              <button type="button" class="btn btn-ghost" onClick={session.logout}>
                {t('app.logout')}
              </button>
            )}
          </div>
        </div>
        {session && (
          <nav class="site-nav" aria-label={t('app.nav_label')}>
            <ul>
              {navFor(session).map((item) => {
                const current = item.href === '/' ? path === '/' : path?.startsWith(item.href);
                return (
                  <li key={item.href}>
                    <Link href={item.href} aria-current={current ? 'page' : undefined}>
                      {t(item.key)}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" class="site-main">
        {children}
      </main>
      <footer class="site-footer">
        <p>{t('app.footer')}</p>
      </footer>
    </>
  );
}
