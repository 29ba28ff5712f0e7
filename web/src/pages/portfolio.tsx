// SPDX-License-Identifier: Apache-2.0
// The buyer's supplier portfolio: summary, coverage chart, filters, the table, and requests.
import { useMemo, useState } from 'preact/hooks';
import { get, post, type Portfolio, type PortfolioRow } from '../api';
import { Chip, Empty, ErrorBox, Loading, Notice, PageTitle, StandingChip, Star } from '../components';
import { useAction, useLoad } from '../hooks';
import { addDays, fmtDate, fmtNumber, L, orgName, t, todayJst } from '../i18n';
import { Link } from '../router';
import { isAdmin, useSession } from '../session';

export function PortfolioPage() {
  const s = useSession();
  const org = s.membership.organization_id;
  const { data, error, loading, reload } = useLoad(() => get<Portfolio>(`/api/v1/orgs/${org}/portfolio`), [org]);
  const [required, setRequired] = useState('all');
  const [current, setCurrent] = useState('all');
  const [status, setStatus] = useState('all');
  const [expiring, setExpiring] = useState(false);
  const [overdue, setOverdue] = useState(false);
  const [q, setQ] = useState('');
  const [requestFor, setRequestFor] = useState<PortfolioRow | null>(null);

  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (data?.suppliers ?? []).filter(
      (r) =>
        (required === 'all' || String(r.required_level) === required) &&
        (current === 'all' || String(r.current.level) === current) &&
        (status === 'all' ||
          (status === 'meets' && r.meets_requirement) ||
          (status === 'below' && !r.meets_requirement) ||
          r.current.status === status) &&
        (!expiring || r.current.expiring_soon) &&
        (!overdue || r.current.annual_overdue > 0) &&
        (!needle ||
          r.supplier.name.toLowerCase().includes(needle) ||
          (r.supplier.name_en ?? '').toLowerCase().includes(needle) ||
          r.supplier.corporate_number.includes(needle)),
    );
  }, [data, required, current, status, expiring, overdue, q]);

  return (
    <section>
      <PageTitle sub={t('portfolio.sub')}>{t('portfolio.title')}</PageTitle>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && data.suppliers.length === 0 && (
        <section class="card">
          <Empty>{t('portfolio.empty')}</Empty>
          {isAdmin(s.membership) && (
            <p>
              <Link class="btn btn-primary" href="/suppliers/new">
                {t('nav.add_supplier')}
              </Link>
            </p>
          )}
        </section>
      )}
      {data && data.suppliers.length > 0 && (
        <>
          <div class="summary-grid">
            <SummaryCard label={t('portfolio.total')} value={data.summary.total} />
            <SummaryCard
              label={t('portfolio.meeting')}
              value={data.summary.meeting_requirement}
              of={data.summary.total}
              tone={data.summary.meeting_requirement < data.summary.total ? 'warn' : 'ok'}
            />
            <SummaryCard label={t('portfolio.expiring')} value={data.summary.expiring_within_90_days} tone={data.summary.expiring_within_90_days ? 'warn' : undefined} />
            <SummaryCard label={t('portfolio.overdue')} value={data.summary.annual_overdue} tone={data.summary.annual_overdue ? 'bad' : undefined} />
          </div>
          <CoverageChart p={data} />

          <section class="card" aria-labelledby="pf-table-title">
            <h2 id="pf-table-title">{t('portfolio.suppliers')}</h2>
            <form class="filters" role="search" aria-label={t('portfolio.filters')} onSubmit={(e) => e.preventDefault()}>
              <label>
                {t('portfolio.f_search')}
                <input type="search" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
              </label>
              <label>
                {t('portfolio.f_required')}
                <select value={required} onChange={(e) => setRequired((e.target as HTMLSelectElement).value)} data-testid="f-required">
                  <option value="all">{t('common.all')}</option>
                  <option value="3">★3</option>
                  <option value="4">★4</option>
                </select>
              </label>
              <label>
                {t('portfolio.f_current')}
                <select value={current} onChange={(e) => setCurrent((e.target as HTMLSelectElement).value)} data-testid="f-current">
                  <option value="all">{t('common.all')}</option>
                  <option value="0">{t('common.none')}</option>
                  <option value="3">★3</option>
                  <option value="4">★4</option>
                </select>
              </label>
              <label>
                {t('portfolio.f_status')}
                <select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)} data-testid="f-status">
                  <option value="all">{t('common.all')}</option>
                  <option value="meets">{t('portfolio.meets')}</option>
                  <option value="below">{t('portfolio.below')}</option>
                  <option value="valid">{t('standing.valid')}</option>
                  <option value="expired">{t('standing.expired')}</option>
                  <option value="revoked">{t('standing.revoked')}</option>
                  <option value="none">{t('standing.none')}</option>
                </select>
              </label>
              <label class="check">
                <input type="checkbox" checked={expiring} onChange={(e) => setExpiring((e.target as HTMLInputElement).checked)} />
                {t('portfolio.f_expiring')}
              </label>
              <label class="check">
                <input type="checkbox" checked={overdue} onChange={(e) => setOverdue((e.target as HTMLInputElement).checked)} />
                {t('portfolio.f_overdue')}
              </label>
            </form>
            <p class="muted" aria-live="polite">
              {t('portfolio.showing', { n: rows.length, total: data.suppliers.length })}
            </p>
            {requestFor && (
              <RequestForm
                row={requestFor}
                onClose={() => setRequestFor(null)}
                onSent={() => {
                  setRequestFor(null);
                  void reload();
                }}
              />
            )}
            <div class="table-wrap">
              <table class="portfolio-table" data-testid="portfolio-table">
                <caption class="visually-hidden">{t('portfolio.suppliers')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('col.supplier')}</th>
                    <th scope="col">{t('col.required')}</th>
                    <th scope="col">{t('col.current')}</th>
                    <th scope="col">{t('col.expires')}</th>
                    <th scope="col">{t('col.meets')}</th>
                    <th scope="col">{t('col.request')}</th>
                    <th scope="col">{t('col.progress')}</th>
                    <th scope="col">
                      <span class="visually-hidden">{t('col.action')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.relationship_id} data-corp={r.supplier.corporate_number}>
                      <th scope="row">
                        {orgName(r.supplier)}
                        <div class="muted small">{r.supplier.corporate_number}</div>
                      </th>
                      <td>
                        <Star level={r.required_level} />
                      </td>
                      <td data-testid="current">
                        <Star level={r.current.level} /> <StandingChip status={r.current.status} />
                        {r.current.annual_overdue > 0 && <span class="chip chip-bad">{t('portfolio.annual_overdue_chip')}</span>}
                      </td>
                      <td>
                        {r.current.expires_on ? fmtDate(r.current.expires_on) : '—'}
                        {r.current.expiring_soon && <span class="chip chip-warn">{t('portfolio.expiring_chip')}</span>}
                      </td>
                      <td>
                        {r.meets_requirement ? <Chip status="valid">{t('portfolio.meets')}</Chip> : <Chip status="pending">{t('portfolio.below')}</Chip>}
                      </td>
                      <td>
                        {r.request ? (
                          <>
                            <Star level={r.request.level} /> <Chip status={r.request.state}>{L(r.request.state_label)}</Chip>
                            <div class="muted small">{t('home.due', { date: fmtDate(r.request.due_on) })}</div>
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td>
                        {r.shared_assessment ? (
                          <>
                            <Star level={r.shared_assessment.level} /> {t(`state.${r.shared_assessment.state}` as 'state.draft')}
                            <div class="muted small">
                              {t('portfolio.progress_line', { u: r.shared_assessment.unanswered, g: r.shared_assessment.open_gaps })}
                            </div>
                          </>
                        ) : (
                          <span class="muted small">{t('portfolio.not_shared')}</span>
                        )}
                      </td>
                      <td>
                        {isAdmin(s.membership) && !r.meets_requirement && (!r.request || r.request.state === 'declined') && (
                          <button type="button" class="btn btn-secondary btn-small" onClick={() => setRequestFor(r)}>
                            {t('portfolio.send_request')}
                            <span class="visually-hidden"> — {orgName(r.supplier)}</span>
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </section>
  );
}

function SummaryCard({ label, value, of, tone }: { label: string; value: number; of?: number; tone?: 'ok' | 'warn' | 'bad' }) {
  return (
    <div class={`summary-card ${tone ? `tone-${tone}` : ''}`}>
      <span class="summary-value">
        {fmtNumber(value)}
        {of !== undefined && <span class="summary-of"> / {fmtNumber(of)}</span>}
      </span>
      <span class="summary-label">{label}</span>
    </div>
  );
}

/** Coverage by level: how many suppliers hold which ★ (inline SVG with a text table for screen readers). */
function CoverageChart({ p }: { p: Portfolio }) {
  const levels = ['4', '3', '2', '1', '0'].filter((k) => (p.summary.coverage_by_level[k] ?? 0) > 0 || k === '3' || k === '4' || k === '0');
  const max = Math.max(1, ...levels.map((k) => p.summary.coverage_by_level[k] ?? 0));
  const barH = 28;
  const gap = 10;
  const labelW = 90;
  const width = 560;
  const height = levels.length * (barH + gap);
  const req = { '3': 0, '4': 0 } as Record<string, number>;
  for (const r of p.suppliers) req[String(r.required_level)] = (req[String(r.required_level)] ?? 0) + 1;
  return (
    <section class="card" aria-labelledby="cov-title">
      <h2 id="cov-title">{t('portfolio.coverage')}</h2>
      <div class="chart-wrap">
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="cov-title cov-desc" class="chart">
          <desc id="cov-desc">
            {levels.map((k) => `${k === '0' ? t('common.none') : `★${k}`}: ${p.summary.coverage_by_level[k] ?? 0}`).join(', ')}
          </desc>
          {levels.map((k, i) => {
            const n = p.summary.coverage_by_level[k] ?? 0;
            const w = ((width - labelW - 60) * n) / max;
            const y = i * (barH + gap);
            return (
              <g key={k}>
                <text x={0} y={y + barH * 0.68} class="chart-label">
                  {k === '0' ? t('portfolio.no_star') : `★${k}`}
                </text>
                <rect x={labelW} y={y} width={Math.max(w, 2)} height={barH} class={`bar bar-${k}`} rx={3} />
                <text x={labelW + Math.max(w, 2) + 8} y={y + barH * 0.68} class="chart-value">
                  {t('portfolio.companies', { n })}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      <p class="muted small">{t('portfolio.required_line', { r3: req['3'] ?? 0, r4: req['4'] ?? 0 })}</p>
    </section>
  );
}

function RequestForm({ row, onClose, onSent }: { row: PortfolioRow; onClose: () => void; onSent: () => void }) {
  const s = useSession();
  return (
    <section class="card card-inset" aria-labelledby="rq-title">
      <h3 id="rq-title">{t('portfolio.request_to', { name: orgName(row.supplier) })}</h3>
      <SendRequest
        org={s.membership.organization_id}
        relationshipId={row.relationship_id}
        defaultLevel={Math.max(row.required_level, 3)}
        onSent={onSent}
        onCancel={onClose}
      />
    </section>
  );
}

/** Sends a request for a ★ with a due date and a message explaining it (and how costs are shared). */
export function SendRequest({
  org,
  relationshipId,
  defaultLevel,
  onSent,
  onCancel,
}: {
  org: string;
  relationshipId: string;
  defaultLevel: number;
  onSent: () => void;
  onCancel?: () => void;
}) {
  const [level, setLevel] = useState(defaultLevel);
  const [due, setDue] = useState(addDays(todayJst(), 180));
  const [message, setMessage] = useState('');
  const [sent, setSent] = useState(false);
  const act = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await act.run(async () => {
      await post(`/api/v1/orgs/${org}/requests`, {
        relationship_id: relationshipId,
        level,
        due_on: due,
        message: message.trim(),
      });
      return true;
    });
    if (ok) {
      setSent(true);
      onSent();
    }
  };
  if (sent) return <Notice kind="success">{t('request.sent')}</Notice>;
  return (
    <form class="form" onSubmit={submit}>
      <fieldset class="inline-radios">
        <legend>{t('request.level')}</legend>
        {[3, 4].map((n) => (
          <label key={n}>
            <input type="radio" name={`rq-level-${relationshipId}`} checked={level === n} onChange={() => setLevel(n)} />★{n}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={`rq-due-${relationshipId}`}>{t('request.due')}</label>
        <input id={`rq-due-${relationshipId}`} type="date" required min={todayJst()} value={due} onInput={(e) => setDue((e.target as HTMLInputElement).value)} />
        <p class="hint">{t('request.due_hint', { date: fmtDate(due) })}</p>
      </div>
      <div class="field">
        <label for={`rq-msg-${relationshipId}`}>{t('request.message')}</label>
        <textarea id={`rq-msg-${relationshipId}`} rows={3} maxLength={2000} value={message} onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)} />
        <p class="hint">{t('request.message_hint')}</p>
      </div>
      <ErrorBox error={act.error} />
      <div class="row">
        <button type="submit" class="btn btn-primary" disabled={act.busy || !due}>
          {t('request.send')}
        </button>
        {onCancel && (
          <button type="button" class="btn btn-ghost" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
