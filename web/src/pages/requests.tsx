// SPDX-License-Identifier: Apache-2.0
// Requests for a ★: those this company sent as a buyer (tracking) and those it received as a
// supplier (accept with a note on the agreement, or decline with a reason).
import { useState } from 'preact/hooks';
import { get, post, type RequestRec } from '../api';
import { Chip, Empty, ErrorBox, Loading, Notice, PageTitle, Star } from '../components';
import { useAction, useLoad } from '../hooks';
import { fmtDate, fmtDateTime, L, orgName, t } from '../i18n';
import { isAdmin, useSession } from '../session';

export function RequestsPage() {
  const s = useSession();
  const org = s.membership.organization_id;
  const { data, error, loading, reload } = useLoad(
    () => get<{ incoming: RequestRec[]; outgoing: RequestRec[] }>(`/api/v1/orgs/${org}/requests`),
    [org],
  );
  const [filter, setFilter] = useState('all');
  const outgoing = (data?.outgoing ?? []).filter((r) => filter === 'all' || r.state === filter);
  return (
    <section>
      <PageTitle sub={t('requests.sub')}>{t('requests.title')}</PageTitle>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <section class="card" aria-labelledby="out-title">
            <h2 id="out-title">{t('requests.outgoing')}</h2>
            {data.outgoing.length === 0 ? (
              <Empty>{t('requests.none_out')}</Empty>
            ) : (
              <>
                <div class="filters">
                  <label>
                    {t('requests.filter_state')}{' '}
                    <select value={filter} onChange={(e) => setFilter((e.target as HTMLSelectElement).value)}>
                      <option value="all">{t('common.all')}</option>
                      <option value="sent">{t('requests.state.sent')}</option>
                      <option value="accepted">{t('requests.state.accepted')}</option>
                      <option value="declined">{t('requests.state.declined')}</option>
                    </select>
                  </label>
                </div>
                <div class="table-wrap">
                  <table>
                    <caption class="visually-hidden">{t('requests.outgoing')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('col.supplier')}</th>
                        <th scope="col">{t('col.level')}</th>
                        <th scope="col">{t('col.due')}</th>
                        <th scope="col">{t('col.state')}</th>
                        <th scope="col">{t('col.sent')}</th>
                        <th scope="col">{t('col.answer')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {outgoing.map((r) => (
                        <tr key={r.id}>
                          <th scope="row">{orgName(r.supplier)}</th>
                          <td>
                            <Star level={r.level} />
                          </td>
                          <td>{fmtDate(r.due_on)}</td>
                          <td>
                            <Chip status={r.state}>{L(r.state_label)}</Chip>
                          </td>
                          <td>{fmtDate(r.created_at)}</td>
                          <td>
                            {r.responded_at ? (
                              <>
                                {fmtDateTime(r.responded_at)}
                                {r.response_note && <div class="muted">{r.response_note}</div>}
                              </>
                            ) : (
                              '—'
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </section>
          <section class="card" aria-labelledby="in-title">
            <h2 id="in-title">{t('requests.incoming')}</h2>
            {data.incoming.length === 0 ? (
              <Empty>{t('requests.none_in')}</Empty>
            ) : (
              <ul class="request-list">
                {data.incoming.map((r) => (
                  <li key={r.id}>
                    <p>
                      <strong>{orgName(r.buyer)}</strong> — <Star level={r.level} />{' '}
                      {t('home.due', { date: fmtDate(r.due_on) })} <Chip status={r.state}>{L(r.state_label)}</Chip>
                    </p>
                    {r.message && <blockquote class="quote">{r.message}</blockquote>}
                    {r.response_note && (
                      <p class="muted">
                        {t('requests.note')}: {r.response_note}
                      </p>
                    )}
                    {r.state === 'sent' && isAdmin(s.membership) && <RespondToRequest r={r} onDone={reload} />}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </section>
  );
}

/** Accept (with the agreed terms as a note) or decline (with a reason) a buyer's request. */
export function RespondToRequest({ r, onDone }: { r: RequestRec; onDone: () => void }) {
  const [mode, setMode] = useState<'accept' | 'decline'>('accept');
  const [text, setText] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();
  const id = `resp-${r.id}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    const res = await run(() =>
      mode === 'accept'
        ? post(`/api/v1/requests/${r.id}/accept`, text.trim() ? { note: text.trim() } : {})
        : post(`/api/v1/requests/${r.id}/decline`, { reason: text.trim() }),
    );
    if (res !== undefined) {
      setDone(true);
      onDone();
    }
  };
  if (done) return <Notice kind="success">{t('requests.answered')}</Notice>;
  return (
    <form class="respond form" onSubmit={submit}>
      <ErrorBox error={error} />
      <fieldset class="inline-radios">
        <legend>{t('requests.answer')}</legend>
        <label>
          <input type="radio" name={`${id}-mode`} checked={mode === 'accept'} onChange={() => setMode('accept')} />
          {t('requests.accept')}
        </label>
        <label>
          <input type="radio" name={`${id}-mode`} checked={mode === 'decline'} onChange={() => setMode('decline')} />
          {t('requests.decline')}
        </label>
      </fieldset>
      <div class="field">
        <label for={`${id}-text`}>{mode === 'accept' ? t('requests.note_label') : t('requests.reason_label')}</label>
        <textarea
          id={`${id}-text`}
          rows={2}
          maxLength={2000}
          required={mode === 'decline'}
          value={text}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        />
        <p class="hint">{mode === 'accept' ? t('requests.note_hint') : t('requests.reason_hint')}</p>
      </div>
      <button type="submit" class="btn btn-primary" disabled={busy || (mode === 'decline' && !text.trim())}>
        {mode === 'accept' ? t('requests.accept_button') : t('requests.decline_button')}
      </button>
    </form>
  );
}
