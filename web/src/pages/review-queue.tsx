// SPDX-License-Identifier: Apache-2.0
// The expert's / evaluator's queue of assigned assessments.
import { useState } from 'preact/hooks';
import { get, type ReviewItem } from '../api';
import { Chip, Empty, ErrorBox, Loading, PageTitle, Star } from '../components';
import { useLoad } from '../hooks';
import { fmtDate, fmtDateTime, L, orgName, t } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';

const ORDER = ['submitted', 'in_review', 'returned', 'draft', 'confirmed', 'certified', 'expired'];

export function ReviewQueue() {
  const s = useSession();
  const { data, error, loading } = useLoad(() => get<{ reviews: ReviewItem[] }>('/api/v1/reviews'), []);
  const [showDone, setShowDone] = useState(false);
  const items = (data?.reviews ?? [])
    .filter((r) => showDone || !['confirmed', 'certified', 'expired'].includes(r.state))
    .sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state) || a.assigned_at.localeCompare(b.assigned_at));
  const waiting = (data?.reviews ?? []).filter((r) => r.state === 'submitted').length;
  return (
    <section>
      <PageTitle sub={s.membership.role === 'evaluator' ? t('queue.sub_evaluator') : t('queue.sub_expert')}>
        {t('queue.title')}
      </PageTitle>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && (
        <section class="card">
          <p class="next-lead">{waiting ? t('queue.waiting', { n: waiting }) : t('queue.nothing_waiting')}</p>
          <label class="check">
            <input type="checkbox" checked={showDone} onChange={(e) => setShowDone((e.target as HTMLInputElement).checked)} />
            {t('queue.show_done')}
          </label>
          {items.length === 0 ? (
            <Empty>{t('queue.empty')}</Empty>
          ) : (
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">{t('queue.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('col.company')}</th>
                    <th scope="col">{t('col.corp')}</th>
                    <th scope="col">{t('col.level')}</th>
                    <th scope="col">{t('col.state')}</th>
                    <th scope="col">{t('col.assigned')}</th>
                    <th scope="col">{t('col.updated')}</th>
                    <th scope="col">
                      <span class="visually-hidden">{t('col.action')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">{orgName(r.organization)}</th>
                      <td>{r.organization.corporate_number}</td>
                      <td>
                        <Star level={r.level} />
                      </td>
                      <td>
                        <Chip status={r.state}>{L(r.state_label)}</Chip>
                      </td>
                      <td>{fmtDate(r.assigned_at)}</td>
                      <td>{fmtDateTime(r.updated_at)}</td>
                      <td>
                        <Link href={`/reviews/${r.id}`} class="btn btn-secondary btn-small">
                          {r.state === 'submitted' || r.state === 'in_review' ? t('queue.review') : t('queue.open')}
                          <span class="visually-hidden"> — {orgName(r.organization)}</span>
                        </Link>
                      </td>
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
