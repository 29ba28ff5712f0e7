// SPDX-License-Identifier: Apache-2.0
// The buyer's advisory lookup: an advisory id (CVE / GHSA / OSV, or an alias) → the advisory and
// the suppliers sharing their findings that have an affected component. The id is in the URL
// (?id=…) so that a result can be linked.
import { useEffect, useState } from 'preact/hooks';
import { get, type Advisory, type AffectedSupplier } from '../api';
import { Empty, ErrorBox, Loading, Notice, PageTitle } from '../components';
import { useLoad } from '../hooks';
import { fmtDate, fmtDateTime, fmtNumber, getLang, orgName, t } from '../i18n';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';
import { FindingStateChip, SeverityBadge } from './vuln';

interface Lookup {
  advisory: Advisory | null;
  resolved: string;
  affected: AffectedSupplier[];
}

async function lookup(org: string, id: string): Promise<Lookup | null> {
  if (!id) return null;
  const enc = encodeURIComponent(id);
  const [advisory, affected] = await Promise.all([
    // An id the platform does not hold answers 404; the affected list is then simply empty.
    get<Advisory>(`/api/v1/advisories/${enc}`).catch((e) => {
      if (e?.status === 404) return null;
      throw e;
    }),
    get<{ advisory: string; affected: AffectedSupplier[] }>(`/api/v1/orgs/${org}/advisories/${enc}/affected-suppliers`),
  ]);
  return { advisory, resolved: affected.advisory, affected: affected.affected };
}

/** CVE and GHSA prefixes in capitals, as the feeds write them. */
function normalise(id: string): string {
  return id.trim().replace(/^(cve|ghsa)-/i, (p) => p.toUpperCase());
}

export function AdvisoriesPage() {
  const s = useSession();
  const org = s.membership.organization_id;
  const q = useLocation().search.get('id') ?? '';
  const [input, setInput] = useState(q);
  useEffect(() => setInput(q), [q]);
  const { data, error, loading } = useLoad(() => lookup(org, q), [org, q, getLang()]);
  const submit = (e: Event) => {
    e.preventDefault();
    const id = normalise(input);
    if (id) navigate(`/advisories?id=${encodeURIComponent(id)}`);
  };
  const suppliers = new Set((data?.affected ?? []).map((a) => a.supplier.id));
  return (
    <section>
      <PageTitle sub={t('adv.sub')}>{t('adv.title')}</PageTitle>
      <section class="card">
        <form class="filters" role="search" aria-label={t('adv.title')} onSubmit={submit}>
          <div class="field grow adv-field">
            <label for="adv-id">{t('adv.id')}</label>
            <input
              id="adv-id"
              type="search"
              required
              maxLength={200}
              autoComplete="off"
              spellcheck={false}
              value={input}
              onInput={(e) => setInput((e.target as HTMLInputElement).value)}
              aria-describedby="adv-id-hint"
            />
          </div>
          <button type="submit" class="btn btn-primary">
            {t('adv.search')}
          </button>
        </form>
        <p class="hint" id="adv-id-hint">
          {t('adv.id_hint')}
        </p>
      </section>
      <ErrorBox error={error} />
      {q && loading && <Loading />}
      {data && (
        <>
          {data.advisory ? <AdvisoryCard a={data.advisory} /> : <Notice kind="warn">{t('adv.unknown')}</Notice>}
          {data.resolved !== q && data.advisory && <p class="muted">{t('adv.alias_of', { q, id: data.resolved })}</p>}
          <section class="card" aria-labelledby="adv-affected-title" data-testid="affected">
            <h2 id="adv-affected-title">
              {t('adv.affected')}{' '}
              <span class="muted small">
                {t('adv.affected_count', { suppliers: fmtNumber(suppliers.size), n: fmtNumber(data.affected.length) })}
              </span>
            </h2>
            {data.affected.length === 0 ? (
              <Empty>{t('adv.none')}</Empty>
            ) : (
              <div class="table-wrap">
                <table data-testid="affected-table">
                  <caption class="visually-hidden">
                    {t('adv.affected')} — {data.resolved}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('col.supplier')}</th>
                      <th scope="col">{t('adv.col_product')}</th>
                      <th scope="col">{t('adv.col_component')}</th>
                      <th scope="col">{t('adv.col_state')}</th>
                      <th scope="col">{t('adv.col_identified')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.affected.map((a) => (
                      <tr key={`${a.sbom_id}/${a.component}/${a.version}`} data-corp={a.supplier.corporate_number}>
                        <th scope="row">
                          {orgName(a.supplier)}
                          <div class="muted small">{a.supplier.corporate_number}</div>
                        </th>
                        <td>{a.product}</td>
                        <td>
                          {a.component} {a.version}
                        </td>
                        <td>
                          <FindingStateChip state={a.state} />
                        </td>
                        <td>{fmtDateTime(a.identified_at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <p class="hint">{t('adv.share_note')}</p>
          </section>
        </>
      )}
    </section>
  );
}

function AdvisoryCard({ a }: { a: Advisory }) {
  return (
    <section class="card" aria-labelledby="adv-details-title" data-testid="advisory">
      <h2 id="adv-details-title">
        {t('adv.details')}: <code>{a.id}</code>
      </h2>
      {a.summary && <p>{a.summary}</p>}
      <dl class="facts">
        <div>
          <dt>{t('finding.col_severity')}</dt>
          <dd>
            <SeverityBadge score={a.base_score} severity={a.severity} />
            {a.known_exploited && <span class="chip chip-bad">{t('finding.kev')}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('adv.published')}</dt>
          <dd>{fmtDate(a.published)}</dd>
        </div>
        <div>
          <dt>{t('adv.packages')}</dt>
          <dd>{a.packages.map((p) => `${p.name} (${p.ecosystem})`).join(', ') || '—'}</dd>
        </div>
      </dl>
      {a.aliases.length > 0 && <p class="muted small">{t('finding.aliases', { list: a.aliases.join(', ') })}</p>}
      {a.cvss_vector && <p class="muted small break">{a.cvss_vector}</p>}
      {a.withdrawn && <p class="warn-text">{t('adv.withdrawn', { date: fmtDate(a.withdrawn) })}</p>}
    </section>
  );
}
