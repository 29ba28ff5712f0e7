// SPDX-License-Identifier: Apache-2.0
// Tier-2 coverage (requirement 2-1-3): counts for every tier-1 supplier of whom ★4 is required or
// who holds ★4; names only of tier-2 suppliers that consented to disclosure.
import { get, type Portfolio } from '../api';
import { Empty, ErrorBox, Loading, PageTitle, StandingChip, Star } from '../components';
import { useLoad } from '../hooks';
import { fmtDate, orgName, t } from '../i18n';
import { useSession } from '../session';
import type { Key } from '../strings';

const OUTCOMES = ['meets', 'below', 'none', 'expired', 'revoked'] as const;

export function Tier2Page() {
  const s = useSession();
  const org = s.membership.organization_id;
  const { data, error, loading } = useLoad(() => get<Portfolio>(`/api/v1/orgs/${org}/portfolio`), [org]);
  const rows = (data?.suppliers ?? []).filter((r) => r.tier2);
  const totals: Record<string, number> = {};
  for (const r of rows) for (const [k, v] of Object.entries(r.tier2!.counts)) totals[k] = (totals[k] ?? 0) + v;
  return (
    <section>
      <PageTitle sub={t('tier2.sub')}>{t('tier2.title')}</PageTitle>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && rows.length === 0 && (
        <section class="card">
          <Empty>{t('tier2.empty')}</Empty>
        </section>
      )}
      {rows.length > 0 && (
        <>
          <section class="card" aria-labelledby="t2-total">
            <h2 id="t2-total">{t('tier2.total')}</h2>
            <CountsTable counts={totals} caption={t('tier2.total')} />
          </section>
          {rows.map((r) => (
            <section key={r.relationship_id} class="card" aria-labelledby={`t2-${r.relationship_id}`}>
              <h2 id={`t2-${r.relationship_id}`}>
                {orgName(r.supplier)} <span class="muted small">{t('tier2.tier1_line', { n: r.tier2!.suppliers })}</span>
              </h2>
              <CountsTable counts={r.tier2!.counts} caption={orgName(r.supplier)} />
              <h3>{t('tier2.named')}</h3>
              {r.tier2!.named.length === 0 ? (
                <p class="muted">{t('tier2.no_named')}</p>
              ) : (
                <ul class="plain">
                  {r.tier2!.named.map((n, i) => (
                    <li key={i}>
                      {n.name} — {t('col.required')} <Star level={n.required_level} /> ・ {t('col.current')} <Star level={n.current.level} />{' '}
                      <StandingChip status={n.current.status} />
                      {n.current.expires_on && <span class="muted"> ({t('home.valid_until', { date: fmtDate(n.current.expires_on) })})</span>}
                    </li>
                  ))}
                </ul>
              )}
              {r.tier2!.suppliers > r.tier2!.named.length && (
                <p class="muted small">{t('tier2.hidden', { n: r.tier2!.suppliers - r.tier2!.named.length })}</p>
              )}
            </section>
          ))}
        </>
      )}
    </section>
  );
}

function CountsTable({ counts, caption }: { counts: Record<string, number>; caption: string }) {
  const levels = [...new Set(Object.keys(counts).map((k) => k.split('/')[0]))].sort();
  if (levels.length === 0) return <p class="muted">{t('tier2.no_counts')}</p>;
  return (
    <div class="table-wrap">
      <table class="counts">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('col.required')}</th>
            {OUTCOMES.map((o) => (
              <th scope="col" key={o}>
                {t(`tier2.o.${o}` as Key)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {levels.map((lv) => (
            <tr key={lv}>
              <th scope="row">★{lv.replace('required_', '')}</th>
              {OUTCOMES.map((o) => (
                <td key={o}>{counts[`${lv}/${o}`] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
