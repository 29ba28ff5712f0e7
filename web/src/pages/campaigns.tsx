// SPDX-License-Identifier: Apache-2.0
// The scheme operator's view of collective defense: attacker-side destinations seen by enough
// organisations within the window (campaigns). Counts only; the organisations are not named here.
import { get, type Campaign } from '../api';
import { Empty, ErrorBox, Loading, PageTitle } from '../components';
import { useLoad } from '../hooks';
import { fmtDateTime, fmtDecimal, fmtNumber, t } from '../i18n';
import { kindLabel, targetLabel } from './early-warnings';

interface Campaigns {
  min_organizations: number;
  window_days: number;
  campaigns: Campaign[];
}

export function CampaignsPage() {
  const { data, error, loading } = useLoad(() => get<Campaigns>('/api/v1/telemetry/campaigns'), []);
  return (
    <section>
      <PageTitle sub={data ? t('camp.sub', { min: fmtNumber(data.min_organizations), days: fmtNumber(data.window_days) }) : undefined}>
        {t('camp.title')}
      </PageTitle>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && (
        <section class="card" aria-labelledby="camp-list-title">
          <h2 id="camp-list-title" class="visually-hidden">
            {t('camp.title')}
          </h2>
          {data.campaigns.length === 0 ? (
            <Empty>{t('camp.none')}</Empty>
          ) : (
            <div class="table-wrap">
              <table data-testid="campaign-table">
                <caption class="visually-hidden">{t('camp.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('warn.target')}</th>
                    <th scope="col">{t('warn.kind')}</th>
                    <th scope="col">{t('warn.orgs')}</th>
                    <th scope="col">{t('warn.score')}</th>
                    <th scope="col">{t('camp.col_first')}</th>
                    <th scope="col">{t('camp.col_last')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.campaigns.map((c) => (
                    <tr key={c.id}>
                      <th scope="row" class="break">
                        {targetLabel(c.target, c.target_type, c.target_value)}
                      </th>
                      <td>{kindLabel(c.kind)}</td>
                      <td>{t('warn.orgs_n', { n: fmtNumber(c.organizations) })}</td>
                      <td>{fmtDecimal(c.max_score, 2)}</td>
                      <td>{fmtDateTime(c.first_seen)}</td>
                      <td>{fmtDateTime(c.last_seen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </section>
  );
}
