// SPDX-License-Identifier: Apache-2.0
// One SBOM's findings: open first, known exploited first, CVSS and severity, why each matched,
// VEX suppression, the SCS 4-4-4-2 overdue flag (open, in scope, > 14 days since publication),
// lead time, and the SARIF / CycloneDX VDR reports. Paged: 100 findings a page, or `?page_size=`
// (1–1000) in the page's URL.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { get, type Finding, type SbomFindings } from '../api';
import { Empty, ErrorBox, Loading, Notice, PageTitle } from '../components';
import { useLoad } from '../hooks';
import { daysSince, fmtDate, fmtDateTime, fmtDuration, fmtNumber, hasKey, t } from '../i18n';
import { Link, useLocation } from '../router';
import type { Key } from '../strings';
import { FindingSummary } from './sboms';
import { FindingStateChip, SeverityBadge, matchText } from './vuln';

/** SCS requirement 4-4-4-2: handle a vulnerability in scope within 14 days of publication. */
const OVERDUE_DAYS = 14;
/** Findings per page, unless the URL says `?page_size=` (1–MAX_PAGE_SIZE). */
const PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

function pageSizeParam(value: string | null): number {
  if (!value || !/^\d{1,4}$/.test(value)) return PAGE_SIZE;
  const n = Number(value);
  return n >= 1 && n <= MAX_PAGE_SIZE ? n : PAGE_SIZE;
}

interface FindingsView {
  /** The API's page: `total` and `next_offset` count the filtered list, `summary` all findings. */
  page: SbomFindings;
  /** Whether `page` is the overdue-only list (for the empty message). */
  onlyOverdue: boolean;
}

/**
 * One page of the SBOM's findings, in the API's order (open, known exploited, higher score first,
 * over all findings). The overdue-only filter is the API's `?overdue=true`, so every page is one
 * request with `limit` and `offset`.
 */
async function loadFindings(id: string, resolved: boolean, onlyOverdue: boolean, offset: number, size: number): Promise<FindingsView> {
  const query = new URLSearchParams({ limit: String(size), offset: String(offset) });
  if (resolved) query.set('resolved', 'true');
  if (onlyOverdue) query.set('overdue', 'true');
  const page = await get<SbomFindings>(`/api/v1/sboms/${encodeURIComponent(id)}/findings?${query}`);
  return { page, onlyOverdue };
}

export function SbomPage({ id }: { id: string }) {
  const size = pageSizeParam(useLocation().search.get('page_size'));
  const [resolved, setResolved] = useState(false);
  const [onlyOverdue, setOnlyOverdue] = useState(false);
  // The offset belongs to one list: another SBOM or page size, or a changed filter, starts at the top.
  const list = `${id}|${resolved}|${onlyOverdue}|${size}`;
  const [pos, setPos] = useState({ list, offset: 0 });
  const offset = pos.list === list ? pos.offset : 0;
  const filter = (set: (on: boolean) => void) => (e: Event) => {
    setPos({ list: '', offset: 0 });
    set((e.target as HTMLInputElement).checked);
  };
  const { data: view, error, loading } = useLoad(
    () => loadFindings(id, resolved, onlyOverdue, offset, size),
    [id, resolved, onlyOverdue, offset, size],
  );
  const data = view?.page;
  const base = `/api/v1/sboms/${encodeURIComponent(id)}/findings`;
  const fileBase = data ? `${data.sbom.product}-${data.sbom.product_version || 'sbom'}`.replace(/[\\/:*?"<>|\s]+/g, '_') : 'sbom';
  // The API's page of the (filtered) list.
  const count = data?.total ?? 0;
  const from = data?.offset ?? 0;
  const rows = data?.findings ?? [];
  const to = from + rows.length;
  const goTo = (o: number) => setPos({ list, offset: Math.max(0, o) });
  return (
    <section>
      <p>
        <Link href="/sboms">{t('finding.back')}</Link>
      </p>
      {!data && (
        <PageTitle>{t('finding.list')}</PageTitle>
      )}
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <PageTitle sub={t('finding.sub')}>
            {t('finding.title', { product: data.sbom.product, version: data.sbom.product_version })}
          </PageTitle>
          <dl class="facts">
            <div>
              <dt>{t('finding.format')}</dt>
              <dd>
                {data.sbom.format} {data.sbom.spec_version}
              </dd>
            </div>
            <div>
              <dt>{t('finding.components')}</dt>
              <dd>{fmtNumber(data.sbom.components)}</dd>
            </div>
            <div>
              <dt>{t('finding.uploaded')}</dt>
              <dd>{fmtDateTime(data.sbom.uploaded_at)}</dd>
            </div>
            <div>
              <dt>SHA-256</dt>
              <dd>
                <code class="break">{data.sbom.sha256.slice(0, 16)}…</code>
              </dd>
            </div>
          </dl>
          {data.sbom.superseded_by && (
            <Notice kind="info">
              <p>
                {t('finding.superseded')} <Link href={`/sboms/${data.sbom.superseded_by}`}>{t('sbom.open_findings')}</Link>
              </p>
            </Notice>
          )}
          <FindingSummary counts={data.summary} />
          <section class="card" aria-labelledby="findings-title">
            <h2 id="findings-title">{t('finding.list')}</h2>
            <div class="row actions">
              <span class="label-inline">{t('finding.downloads')}:</span>
              <a class="btn btn-secondary btn-small" href={`${base}?format=sarif`} download={`${fileBase}.sarif.json`} data-testid="download-sarif">
                {t('finding.sarif')}
              </a>
              <a class="btn btn-secondary btn-small" href={`${base}?format=cyclonedx`} download={`${fileBase}.vdr.cdx.json`} data-testid="download-vdr">
                {t('finding.vdr')}
              </a>
            </div>
            <div class="filters">
              <label class="check">
                <input type="checkbox" checked={resolved} onChange={filter(setResolved)} />
                {t('finding.show_resolved')}
              </label>
              <label class="check">
                <input type="checkbox" checked={onlyOverdue} onChange={filter(setOnlyOverdue)} />
                {t('finding.only_overdue')}
              </label>
            </div>
            <p class="muted" aria-live="polite" data-testid="findings-range">
              {count <= size && from === 0
                ? t('finding.showing', { n: fmtNumber(rows.length), total: fmtNumber(count) })
                : to - from === 1
                  ? t('finding.range_one', { from: fmtNumber(from + 1), total: fmtNumber(count) })
                  : t('finding.range', { from: fmtNumber(Math.min(from + 1, to)), to: fmtNumber(to), total: fmtNumber(count) })}
            </p>
            {count === 0 ? <Empty>{t(view?.onlyOverdue ? 'finding.none_overdue' : 'finding.none')}</Empty> : <FindingTable findings={rows} />}
            {(count > size || from > 0) && (
              <Pager>
                <button type="button" class="btn btn-secondary btn-small" disabled={loading || from === 0} onClick={() => goTo(from - size)}>
                  {t('finding.prev')}
                </button>
                <button type="button" class="btn btn-secondary btn-small" disabled={loading || to >= count} onClick={() => goTo(from + size)}>
                  {t('finding.next')}
                </button>
              </Pager>
            )}
          </section>
        </>
      )}
    </section>
  );
}

function Pager({ children }: { children: ComponentChildren }) {
  return (
    <nav class="row actions pager" aria-label={t('finding.pages')} data-testid="findings-pager">
      {children}
    </nav>
  );
}

function FindingTable({ findings }: { findings: Finding[] }) {
  return (
    <div class="table-wrap">
      <table class="findings-table" data-testid="findings-table">
        <caption class="visually-hidden">{t('finding.list')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('finding.col_advisory')}</th>
            <th scope="col">{t('finding.col_state')}</th>
            <th scope="col">{t('finding.col_severity')}</th>
            <th scope="col">{t('finding.col_component')}</th>
            <th scope="col">{t('finding.col_reason')}</th>
            <th scope="col">{t('finding.col_found')}</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((f) => (
            <FindingRow key={`${f.component_ref}/${f.advisory}`} f={f} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FindingRow({ f }: { f: Finding }) {
  const days = daysSince(f.published);
  const vexKey = f.suppressed_by ? `vex.status.${f.suppressed_by.status}` : '';
  const triggerKey = `finding.trigger.${f.trigger}`;
  return (
    <tr class={f.overdue_4_4_4_2 ? 'finding-overdue' : undefined} data-advisory={f.advisory} data-component={f.component}>
      <th scope="row">
        <code>{f.advisory}</code>
        {f.known_exploited && <span class="chip chip-bad">{t('finding.kev')}</span>}
        {f.summary && <div class="finding-summary">{f.summary}</div>}
        {f.aliases.length > 0 && <div class="muted small">{t('finding.aliases', { list: f.aliases.join(', ') })}</div>}
      </th>
      <td data-testid="finding-state">
        <FindingStateChip state={f.state} />
        {f.overdue_4_4_4_2 && (
          <>
            <span class="chip chip-bad">{t('finding.overdue')}</span>
            <div class="overdue-line">{t('finding.overdue_line', { days: fmtNumber(days), over: fmtNumber(Math.max(0, days - OVERDUE_DAYS)) })}</div>
          </>
        )}
        {f.suppressed_by && (
          <div class="small">
            {t('finding.vex', { status: hasKey(vexKey) ? t(vexKey as Key) : f.suppressed_by.status })}
            {f.suppressed_by.justification && <> ・ <code>{f.suppressed_by.justification}</code></>}
            {f.suppressed_by.detail && <div class="muted">{f.suppressed_by.detail}</div>}
          </div>
        )}
        {f.state === 'resolved' && f.resolved_at && <div class="muted small">{t('finding.resolved_at', { date: fmtDate(f.resolved_at) })}</div>}
      </td>
      <td>
        <SeverityBadge score={f.base_score} severity={f.severity} />
        {f.cvss_vector && <div class="muted small break">{f.cvss_vector}</div>}
      </td>
      <td>
        <strong>{f.component}</strong> {f.version}
        <div class="muted small break">{f.purl || f.ecosystem}</div>
      </td>
      <td>
        {matchText(f.version, f.match)}
        <div class="muted small">
          <code>{f.explanation}</code>
        </div>
      </td>
      <td>
        {t('finding.identified', { date: fmtDateTime(f.identified_at) })}
        <div class="muted small">
          {hasKey(triggerKey) ? t(triggerKey as Key) : f.trigger}
          {f.published && <div>{t('finding.published', { date: fmtDate(f.published) })}</div>}
          {f.lead_time_ms !== null && <div data-testid="lead-time">{t('finding.lead_time', { d: fmtDuration(f.lead_time_ms) })}</div>}
        </div>
      </td>
    </tr>
  );
}
