// SPDX-License-Identifier: Apache-2.0
// SBOMs of the organisation: the list with open and overdue findings, uploading a new SBOM (raw
// bytes with progress), adding VEX, and sharing the findings with buyers (every member sees the
// state; org admins start and stop it).
import { useRef, useState } from 'preact/hooks';
import {
  del,
  get,
  post,
  put,
  uploadRaw,
  ApiError,
  type FindingCounts,
  type SbomListed,
  type SbomShare,
  type SbomUploadResult,
} from '../api';
import { Empty, ErrorBox, Loading, Notice, PageTitle, Progress } from '../components';
import { useAction, useLoad } from '../hooks';
import { fmtBytes, fmtDateTime, fmtNumber, orgName, t } from '../i18n';
import { Link } from '../router';
import { isAdmin, useSession } from '../session';

interface SbomList {
  sboms: SbomListed[];
  /** The organisation's counts: the sum over its current SBOMs. */
  summary: FindingCounts;
}

/**
 * The SBOMs, each with its counts (`findings`), in one request. The organisation's counts are
 * their sum over the current SBOMs: every finding that is not resolved belongs to a current SBOM
 * (a superseded SBOM's findings are resolved), so it equals the organisation findings' `summary`.
 */
async function loadSboms(org: string, all: boolean): Promise<SbomList> {
  const list = await get<{ sboms: SbomListed[] }>(`/api/v1/orgs/${org}/sboms${all ? '?all=true' : ''}`);
  const summary: FindingCounts = { open: 0, suppressed: 0, overdue: 0, known_exploited: 0 };
  for (const b of list.sboms) {
    if (b.superseded_by) continue;
    summary.open += b.findings.open;
    summary.suppressed += b.findings.suppressed;
    summary.overdue += b.findings.overdue;
    summary.known_exploited += b.findings.known_exploited;
  }
  return { sboms: list.sboms, summary };
}

export function SbomsPage() {
  const s = useSession();
  const org = s.membership.organization_id;
  const [all, setAll] = useState(false);
  const { data, error, loading, reload } = useLoad(() => loadSboms(org, all), [org, all]);
  return (
    <section>
      <PageTitle sub={t('sbom.sub')}>{t('sbom.title')}</PageTitle>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <FindingSummary counts={data.summary} />
          <section class="card" aria-labelledby="sbom-list-title">
            <h2 id="sbom-list-title">{t('sbom.list')}</h2>
            <label class="check">
              <input type="checkbox" checked={all} onChange={(e) => setAll((e.target as HTMLInputElement).checked)} />
              {t('sbom.show_all')}
            </label>
            {data.sboms.length === 0 ? <Empty>{t('sbom.empty')}</Empty> : <SbomTable sboms={data.sboms} />}
          </section>
        </>
      )}
      <div class="grid-2 sbom-forms">
        <UploadSbom org={org} onUploaded={reload} />
        <AddVex org={org} onAdded={reload} />
      </div>
      <ShareFindings org={org} admin={isAdmin(s.membership)} />
    </section>
  );
}

/** Open, overdue (SCS 4-4-4-2), known exploited and suppressed counts as summary cards. */
export function FindingSummary({ counts }: { counts: FindingCounts }) {
  return (
    <div class="summary-grid" data-testid="finding-summary">
      <div class={`summary-card ${counts.open ? 'tone-warn' : 'tone-ok'}`}>
        <span class="summary-value" data-testid="count-open">{fmtNumber(counts.open)}</span>
        <span class="summary-label">{t('sbom.summary_open')}</span>
      </div>
      <div class={`summary-card ${counts.overdue ? 'tone-bad' : ''}`}>
        <span class="summary-value" data-testid="count-overdue">{fmtNumber(counts.overdue)}</span>
        <span class="summary-label">{t('sbom.summary_overdue')}</span>
      </div>
      <div class={`summary-card ${counts.known_exploited ? 'tone-bad' : ''}`}>
        <span class="summary-value" data-testid="count-kev">{fmtNumber(counts.known_exploited)}</span>
        <span class="summary-label">{t('sbom.summary_kev')}</span>
      </div>
      <div class="summary-card">
        <span class="summary-value" data-testid="count-suppressed">{fmtNumber(counts.suppressed)}</span>
        <span class="summary-label">{t('sbom.summary_suppressed')}</span>
      </div>
    </div>
  );
}

function SbomTable({ sboms }: { sboms: SbomListed[] }) {
  return (
    <div class="table-wrap">
      <table data-testid="sbom-table">
        <caption class="visually-hidden">{t('sbom.list')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('sbom.col_product')}</th>
            <th scope="col">{t('sbom.col_format')}</th>
            <th scope="col">{t('sbom.col_components')}</th>
            <th scope="col">{t('sbom.col_findings')}</th>
            <th scope="col">{t('sbom.col_uploaded')}</th>
            <th scope="col">{t('sbom.col_status')}</th>
          </tr>
        </thead>
        <tbody>
          {sboms.map((b) => {
            const c = b.findings;
            return (
              <tr key={b.id} data-sbom={b.id}>
                <th scope="row">
                  <Link href={`/sboms/${b.id}`}>
                    {b.product} {b.product_version}
                  </Link>
                </th>
                <td>
                  {b.format} {b.spec_version}
                  <div class="muted small">{fmtBytes(b.size)}</div>
                </td>
                <td>{fmtNumber(b.components)}</td>
                <td data-testid="sbom-open">
                  {b.superseded_by ? '—' : t('sbom.n_items', { n: fmtNumber(c.open) })}
                  {!b.superseded_by && c.overdue > 0 && <span class="chip chip-bad">{t('sbom.overdue_n', { n: fmtNumber(c.overdue) })}</span>}
                </td>
                <td>{fmtDateTime(b.uploaded_at)}</td>
                <td>
                  {b.superseded_by ? (
                    <span class="chip chip-muted">{t('sbom.superseded')}</span>
                  ) : (
                    <span class="chip chip-ok">{t('sbom.current')}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function UploadSbom({ org, onUploaded }: { org: string; onUploaded: () => void }) {
  const [product, setProduct] = useState('');
  const [version, setVersion] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<SbomUploadResult | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const act = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setResult(null);
    setProgress(0);
    const query = `product=${encodeURIComponent(product.trim())}&version=${encodeURIComponent(version.trim())}`;
    const res = await act.run(() => uploadRaw<SbomUploadResult>(`/api/v1/orgs/${org}/sboms?${query}`, file, setProgress));
    setProgress(null);
    if (res) {
      setResult(res);
      setProduct('');
      setVersion('');
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      onUploaded();
    }
  };
  return (
    <section class="card" aria-labelledby="sbom-upload-title">
      <h2 id="sbom-upload-title">{t('sbom.upload_title')}</h2>
      <p class="hint">{t('sbom.upload_help')}</p>
      <form class="form" onSubmit={submit} data-testid="sbom-upload">
        <div class="field">
          <label for="sbom-product">{t('sbom.product')}</label>
          <input id="sbom-product" type="text" required maxLength={100} value={product} onInput={(e) => setProduct((e.target as HTMLInputElement).value)} />
          <p class="hint">{t('sbom.product_hint')}</p>
        </div>
        <div class="field">
          <label for="sbom-version">{t('sbom.version')}</label>
          <input id="sbom-version" type="text" maxLength={100} value={version} onInput={(e) => setVersion((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="sbom-file">{t('sbom.file')}</label>
          <input
            id="sbom-file"
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            required
            disabled={progress !== null}
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </div>
        {progress !== null && (
          <div class="upload-progress" aria-live="polite">
            <Progress value={Math.round(progress * 100)} max={100} label={t('sbom.uploading')} />
            <span>{t('sbom.uploading')}</span>
          </div>
        )}
        <ErrorBox error={act.error} title={t('sbom.upload_failed')} />
        <button type="submit" class="btn btn-primary" disabled={act.busy || !file || !product.trim()}>
          {t('sbom.upload')}
        </button>
      </form>
      {result && (
        <Notice kind="success">
          <p data-testid="sbom-uploaded">
            {t('sbom.uploaded', { product: `${result.sbom.product} ${result.sbom.product_version}`.trim(), n: fmtNumber(result.sbom.components) })}{' '}
            {t('sbom.uploaded_counts', {
              open: fmtNumber(result.findings.open),
              overdue: fmtNumber(result.findings.overdue),
              kev: fmtNumber(result.findings.known_exploited),
              suppressed: fmtNumber(result.findings.suppressed),
            })}
          </p>
          {result.invalid_purls > 0 && <p class="warn-text">{t('sbom.invalid_purls', { n: fmtNumber(result.invalid_purls) })}</p>}
          <p>
            <Link href={`/sboms/${result.sbom.id}`}>{t('sbom.open_findings')}</Link>
          </p>
        </Notice>
      )}
    </section>
  );
}

/** A VEX document (CycloneDX VEX, OpenVEX, CSAF) sent as JSON; it suppresses matching findings. */
function AddVex({ org, onAdded }: { org: string; onAdded: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<{ statements: number; suppressed: number } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const act = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setResult(null);
    const res = await act.run(async () => {
      let doc: unknown;
      try {
        doc = JSON.parse(await file.text());
      } catch {
        throw new ApiError(0, 'client', 'client.vex_json', t('vex.not_json'), '');
      }
      return post<{ statements: number; suppressed: number }>(`/api/v1/orgs/${org}/vex`, doc);
    });
    if (res) {
      setResult(res);
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      onAdded();
    }
  };
  return (
    <section class="card" aria-labelledby="vex-title">
      <h2 id="vex-title">{t('vex.title')}</h2>
      <p class="hint">{t('vex.help')}</p>
      <form class="form" onSubmit={submit} data-testid="vex-upload">
        <div class="field">
          <label for="vex-file">{t('vex.file')}</label>
          <input
            id="vex-file"
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            required
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </div>
        <ErrorBox error={act.error} title={t('vex.failed')} />
        <button type="submit" class="btn btn-secondary" disabled={act.busy || !file}>
          {t('vex.upload')}
        </button>
      </form>
      {result && (
        <Notice kind="success">
          <p data-testid="vex-added">
            {t('vex.done', { statements: fmtNumber(result.statements), suppressed: fmtNumber(result.suppressed) })}
          </p>
        </Notice>
      )}
    </section>
  );
}

/** The buyers and whether the findings are shared with each: every member sees it, org admins change it. */
function ShareFindings({ org, admin }: { org: string; admin: boolean }) {
  const { data, error, reload } = useLoad(() => get<{ shares: SbomShare[] }>(`/api/v1/orgs/${org}/sbom-shares`), [org]);
  const act = useAction();
  const [done, setDone] = useState('');
  const change = async (row: SbomShare, share: boolean) => {
    setDone('');
    const path = `/api/v1/orgs/${org}/sbom-shares/${row.buyer.id}`;
    const ok = await act.run(async () => {
      await (share ? put(path, {}) : del(path));
      return true;
    });
    if (ok) {
      await reload();
      setDone(t(share ? 'fshare.done_on' : 'fshare.done_off', { name: orgName(row.buyer) }));
    }
  };
  return (
    <section class="card" aria-labelledby="fshare-title" data-testid="fshare">
      <h2 id="fshare-title">{t('fshare.title')}</h2>
      <p class="hint">{t('fshare.help')}</p>
      {!admin && <p class="muted">{t('fshare.admin_only')}</p>}
      <ErrorBox error={error ?? act.error} />
      {data && data.shares.length === 0 && <Empty>{t('fshare.none')}</Empty>}
      {data && data.shares.length > 0 && (
        <ul class="plain">
          {data.shares.map((row) => (
            <li key={row.buyer.id} class="row share-row" data-buyer={row.buyer.corporate_number}>
              <strong class="grow">{orgName(row.buyer)}</strong>
              <span data-testid="share-state">
                <span class={`chip ${row.shared ? 'chip-ok' : 'chip-muted'}`}>{t(row.shared ? 'fshare.on' : 'fshare.off')}</span>
              </span>
              {admin && (
                <button
                  type="button"
                  class={`btn btn-small ${row.shared ? 'btn-ghost' : 'btn-secondary'}`}
                  disabled={act.busy}
                  onClick={() => change(row, !row.shared)}
                >
                  {t(row.shared ? 'fshare.stop' : 'fshare.give')}
                  <span class="visually-hidden"> — {orgName(row.buyer)}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <p class="small" role="status" data-testid="share-done">
        {done}
      </p>
    </section>
  );
}
