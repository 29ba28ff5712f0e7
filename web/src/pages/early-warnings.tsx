// SPDX-License-Identifier: Apache-2.0
// Collective defense: the early warnings addressed to the organisation (its own sightings and
// those of consenting suppliers, named or 「非開示の取引先」), acknowledging them, the
// organisation's own detections and received log batches, and — for suppliers — the consent to
// warn each buyer and to be named.
import { useEffect, useState } from 'preact/hooks';
import {
  get,
  post,
  put,
  DETECTION_KINDS,
  type Detection,
  type EarlyWarning,
  type TelemetryBatches,
  type TelemetryConsent,
} from '../api';
import { Empty, ErrorBox, Loading, PageTitle } from '../components';
import { useAction, useLoad } from '../hooks';
import { fmtBytes, fmtDateTime, fmtDecimal, fmtNumber, getLang, hasKey, orgName, t } from '../i18n';
import { isAdmin, useSession } from '../session';
import type { Key } from '../strings';

const MIN_SCORES = ['', '0.5', '0.6', '0.7', '0.8', '0.9'];

export function kindLabel(kind: string): string {
  const key = `det.kind.${kind}`;
  return hasKey(key) ? t(key as Key) : kind;
}

/** "203.0.113.10（IPv4 アドレス）" from a campaign's target or a detection's `ipv4:…` target. */
export function targetLabel(target: string, type?: string, value?: string): string {
  const sep = target.indexOf(':');
  const ty = type ?? (sep > 0 ? target.slice(0, sep) : '');
  const v = value ?? (sep > 0 ? target.slice(sep + 1) : target);
  const key = `target.${ty}`;
  if (!hasKey(key)) return target;
  return getLang() === 'en' ? `${v} (${t(key as Key)})` : `${v}（${t(key as Key)}）`;
}

export function EarlyWarningsPage() {
  const s = useSession();
  const org = s.membership.organization_id;
  return (
    <section>
      <PageTitle sub={t('warn.sub')}>{t('warn.title')}</PageTitle>
      <Warnings org={org} />
      <Detections org={org} />
      <Batches org={org} />
      <Consents org={org} admin={isAdmin(s.membership)} />
    </section>
  );
}

function Warnings({ org }: { org: string }) {
  const { data, error, loading, reload } = useLoad(
    () => get<{ open: number; warnings: EarlyWarning[] }>(`/api/v1/orgs/${org}/early-warnings`),
    [org, getLang()],
  );
  const act = useAction();
  const ack = async (w: EarlyWarning) => {
    const ok = await act.run(() => post(`/api/v1/orgs/${org}/early-warnings/${w.id}/ack`));
    if (ok !== undefined) await reload();
  };
  return (
    <section class="card" aria-labelledby="warn-title">
      <h2 id="warn-title">
        {t('warn.list')}{' '}
        {data && (
          <span class={`chip ${data.open ? 'chip-warn' : 'chip-muted'}`} data-testid="warn-open">
            {t('warn.open', { n: fmtNumber(data.open) })}
          </span>
        )}
      </h2>
      <ErrorBox error={error ?? act.error} />
      {loading && !data && <Loading />}
      {data && data.warnings.length === 0 && <Empty>{t('warn.none')}</Empty>}
      {data && data.warnings.length > 0 && (
        <ul class="plain warning-list">
          {data.warnings.map((w) => (
            <li key={w.id}>
              <article class={`warning ${w.acknowledged_at ? 'warning-read' : 'warning-unread'}`} data-warning={w.id} aria-labelledby={`w-${w.id}`}>
                <h3 id={`w-${w.id}`}>
                  {t('warn.heading', { target: targetLabel(w.campaign.target, w.campaign.target_type, w.campaign.target_value) })}
                </h3>
                <p class="row">
                  <span class={`chip ${w.relation === 'self' ? 'chip-info' : 'chip-warn'}`}>{t(w.relation === 'self' ? 'warn.rel.self' : 'warn.rel.supplier')}</span>
                  {w.acknowledged_at ? (
                    <span class="chip chip-ok">{t('warn.acked', { date: fmtDateTime(w.acknowledged_at) })}</span>
                  ) : (
                    <span class="chip chip-bad">{t('warn.unread')}</span>
                  )}
                </p>
                <p data-testid="warn-summary">{w.summary}</p>
                <dl class="facts">
                  {w.relation === 'supplier' && (
                    <div>
                      <dt>{t('warn.subject')}</dt>
                      <dd data-testid="warn-subject">
                        {w.subject_organization ? orgName(w.subject_organization) : t('warn.undisclosed')}
                        {!w.subject_organization && <div class="muted small">{t('warn.undisclosed_help')}</div>}
                      </dd>
                    </div>
                  )}
                  <div>
                    <dt>{t('warn.kind')}</dt>
                    <dd>{kindLabel(w.campaign.kind)}</dd>
                  </div>
                  <div>
                    <dt>{t('warn.orgs')}</dt>
                    <dd>{t('warn.orgs_n', { n: fmtNumber(w.campaign.organizations) })}</dd>
                  </div>
                  <div>
                    <dt>{t('warn.score')}</dt>
                    <dd>{fmtDecimal(w.campaign.max_score, 2)}</dd>
                  </div>
                  <div>
                    <dt>{t('warn.period')}</dt>
                    <dd>
                      {fmtDateTime(w.campaign.first_seen)} – {fmtDateTime(w.campaign.last_seen)}
                    </dd>
                  </div>
                  <div>
                    <dt>{t('warn.received')}</dt>
                    <dd>{fmtDateTime(w.created_at)}</dd>
                  </div>
                </dl>
                {!w.acknowledged_at && (
                  <button type="button" class="btn btn-secondary btn-small" disabled={act.busy} onClick={() => ack(w)}>
                    {t('warn.ack')}
                    <span class="visually-hidden"> — {t('warn.heading', { target: w.campaign.target_value ?? w.campaign.target })}</span>
                  </button>
                )}
              </article>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Detections({ org }: { org: string }) {
  const [kind, setKind] = useState('');
  const [minScore, setMinScore] = useState('');
  const query = new URLSearchParams();
  if (kind) query.set('kind', kind);
  if (minScore) query.set('min_score', minScore);
  const qs = query.toString();
  const { data, error, loading } = useLoad(
    () => get<{ detections: Detection[] }>(`/api/v1/orgs/${org}/telemetry/detections${qs ? `?${qs}` : ''}`),
    [org, qs],
  );
  return (
    <section class="card" aria-labelledby="det-title">
      <h2 id="det-title">{t('det.title')}</h2>
      <form class="filters" aria-label={t('det.filters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('det.kind')}
          <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)} data-testid="det-kind">
            <option value="">{t('det.any')}</option>
            {DETECTION_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('det.min_score')}
          <select value={minScore} onChange={(e) => setMinScore((e.target as HTMLSelectElement).value)} data-testid="det-min-score">
            {MIN_SCORES.map((v) => (
              <option key={v} value={v}>
                {v ? `${fmtDecimal(Number(v), 1)}+` : t('det.any')}
              </option>
            ))}
          </select>
        </label>
      </form>
      <p class="hint">{t('det.score_help')}</p>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <p class="muted" aria-live="polite" data-testid="det-count">
            {t('det.showing', { n: fmtNumber(data.detections.length) })}
          </p>
          {data.detections.length === 0 ? (
            <Empty>{t('det.none')}</Empty>
          ) : (
            <div class="table-wrap">
              <table data-testid="det-table">
                <caption class="visually-hidden">{t('det.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('det.col_kind')}</th>
                    <th scope="col">{t('det.col_score')}</th>
                    <th scope="col">{t('det.col_flow')}</th>
                    <th scope="col">{t('det.col_targets')}</th>
                    <th scope="col">{t('det.col_events')}</th>
                    <th scope="col">{t('det.col_seen')}</th>
                    <th scope="col">{t('det.evidence')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.detections.map((d) => (
                    <tr key={d.id}>
                      <th scope="row">{kindLabel(d.kind)}</th>
                      <td>{fmtDecimal(d.score, 2)}</td>
                      <td class="break">
                        {d.src} → {d.dst}
                        {d.name && <div class="muted small">{d.name}</div>}
                      </td>
                      <td class="break">{d.targets.map((x) => targetLabel(x)).join(', ')}</td>
                      <td>{fmtNumber(d.events)}</td>
                      <td>
                        {fmtDateTime(d.first_seen)}
                        <div class="muted small">– {fmtDateTime(d.last_seen)}</div>
                      </td>
                      <td>
                        <Evidence e={d.evidence} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** The evidence's plain values (sub-scores, counts); nested statistics stay in the API answer. */
function Evidence({ e }: { e: Record<string, unknown> }) {
  const plain = Object.entries(e ?? {}).filter(([, v]) => typeof v === 'number' || typeof v === 'string');
  if (plain.length === 0) return <>—</>;
  return (
    <details>
      <summary>{t('det.evidence')}</summary>
      <dl class="evidence-values">
        {plain.map(([k, v]) => (
          <div key={k}>
            <dt>
              <code>{k}</code>
            </dt>
            <dd>{typeof v === 'number' ? (Number.isInteger(v) ? fmtNumber(v) : fmtDecimal(v, 3)) : String(v)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function Batches({ org }: { org: string }) {
  const { data, error } = useLoad(() => get<TelemetryBatches>(`/api/v1/orgs/${org}/telemetry/batches`), [org]);
  return (
    <section class="card" aria-labelledby="batch-title">
      <h2 id="batch-title">{t('batch.title')}</h2>
      <ErrorBox error={error} />
      {data && (
        <>
          <p data-testid="batch-totals">
            {t('batch.totals', {
              b: fmtNumber(data.totals.batches),
              e: fmtNumber(data.totals.events),
              m: fmtNumber(data.totals.malformed),
              d: fmtNumber(data.totals.detections),
            })}
          </p>
          {data.batches.length === 0 ? (
            <Empty>{t('batch.none')}</Empty>
          ) : (
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">{t('batch.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('batch.col_received')}</th>
                    <th scope="col">{t('batch.col_source')}</th>
                    <th scope="col">{t('batch.col_size')}</th>
                    <th scope="col">{t('batch.col_events')}</th>
                    <th scope="col">{t('batch.col_malformed')}</th>
                    <th scope="col">{t('batch.col_detections')}</th>
                    <th scope="col">{t('batch.col_period')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.batches.map((b) => (
                    <tr key={b.id}>
                      <th scope="row">{fmtDateTime(b.received_at)}</th>
                      <td>{b.source}</td>
                      <td>{fmtBytes(b.bytes)}</td>
                      <td>{fmtNumber(b.events)}</td>
                      <td>{fmtNumber(b.malformed)}</td>
                      <td>{fmtNumber(b.detections)}</td>
                      <td>
                        {b.first_event_at ? (
                          <>
                            {fmtDateTime(b.first_event_at)}
                            <div class="muted small">– {fmtDateTime(b.last_event_at)}</div>
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
          )}
        </>
      )}
    </section>
  );
}

/** The supplier's consent, per buyer relationship, to warn the buyer and to be named. */
function Consents({ org, admin }: { org: string; admin: boolean }) {
  const { data, error, reload } = useLoad(() => get<{ consents: TelemetryConsent[] }>(`/api/v1/orgs/${org}/telemetry/consents`), [org]);
  if (error) return <ErrorBox error={error} />;
  if (!data || data.consents.length === 0) return null; // not anybody's supplier
  return (
    <section class="card" aria-labelledby="consent-title">
      <h2 id="consent-title">{t('consent.title')}</h2>
      <p class="hint">{t('consent.help')}</p>
      {!admin && <p class="muted">{t('consent.admin_only')}</p>}
      {data.consents.map((c) => (
        <ConsentForm key={c.relationship_id} org={org} c={c} admin={admin} onSaved={reload} />
      ))}
    </section>
  );
}

function ConsentForm({ org, c, admin, onSaved }: { org: string; c: TelemetryConsent; admin: boolean; onSaved: () => Promise<void> }) {
  const [warn, setWarn] = useState(c.warn_buyer);
  const [disclose, setDisclose] = useState(c.disclose_identity);
  const [saved, setSaved] = useState('');
  useEffect(() => {
    setWarn(c.warn_buyer);
    setDisclose(c.disclose_identity);
  }, [c.warn_buyer, c.disclose_identity]);
  const act = useAction();
  const buyer = orgName({ name: c.buyer_organization_name, name_en: c.buyer_organization_name_en });
  const base = `consent-${c.relationship_id}`;
  const changed = warn !== c.warn_buyer || disclose !== c.disclose_identity;
  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved('');
    const ok = await act.run(() =>
      put(`/api/v1/orgs/${org}/telemetry/consents/${c.relationship_id}`, { warn_buyer: warn, disclose_identity: warn && disclose }),
    );
    if (ok !== undefined) {
      await onSaved();
      setSaved(t('consent.saved', { name: buyer }));
    }
  };
  return (
    <form class="form consent-form field-group" onSubmit={submit} data-relationship={c.relationship_id}>
      <fieldset>
        <legend>{buyer}</legend>
        <label class="check">
          <input
            type="checkbox"
            checked={warn}
            disabled={!admin}
            onChange={(e) => {
              const on = (e.target as HTMLInputElement).checked;
              setWarn(on);
              if (!on) setDisclose(false); // naming without warning is refused by the API
            }}
          />
          {t('consent.warn')}
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={warn && disclose}
            disabled={!admin || !warn}
            aria-describedby={`${base}-hint`}
            onChange={(e) => setDisclose((e.target as HTMLInputElement).checked)}
          />
          {t('consent.disclose')}
        </label>
        <p class="hint" id={`${base}-hint`}>
          {t('consent.disclose_needs_warn')}
        </p>
        <p class="muted small" data-testid="consent-state">
          {t(c.warn_buyer ? 'consent.state_on' : 'consent.state_off')}
          {c.warn_buyer && ` ・ ${t(c.disclose_identity ? 'consent.state_named' : 'consent.state_anon')}`}
          {c.updated_at && ` ・ ${t('consent.updated', { date: fmtDateTime(c.updated_at) })}`}
        </p>
      </fieldset>
      <ErrorBox error={act.error} />
      {admin && (
        <button type="submit" class="btn btn-primary btn-small" disabled={act.busy || !changed}>
          {t('consent.save')}
          <span class="visually-hidden"> — {buyer}</span>
        </button>
      )}
      <p class="small" role="status">
        {saved}
      </p>
    </form>
  );
}
