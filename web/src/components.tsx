// SPDX-License-Identifier: Apache-2.0
// Small shared pieces: errors in plain language, ★ badges, status chips, loading states.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiError } from './api';
import { hasKey, t } from './i18n';
import type { Key } from './strings';

/** What to do next, by the API's reason (finer), its family (`sbom.parse_json` → `sbom.parse`) or code. */
function nextStep(e: ApiError): string {
  const byReason = `fix.${e.reason}`;
  if (e.reason && hasKey(byReason)) return t(byReason);
  const byFamily = `fix.${e.reason.replace(/_.*$/, '')}`;
  if (e.reason && hasKey(byFamily)) return t(byFamily);
  const byCode = `fix.code.${e.code}`;
  if (hasKey(byCode)) return t(byCode);
  return t('fix.default');
}

/** An API error: the server's localised message, what to do next, and the request id to quote. */
export function ErrorBox({ error, title }: { error: ApiError | null | undefined; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [error]);
  if (!error) return null;
  const message = error.code === 'network' ? t('error.network') : error.message || t('error.unknown');
  return (
    <div class="alert alert-error" role="alert" ref={ref} data-reason={error.reason || error.code}>
      <p class="alert-title">{title ?? t('error.title')}</p>
      <p class="alert-message">{message}</p>
      <p class="alert-next">
        <strong>{t('error.next')}</strong> {nextStep(error)}
      </p>
      {error.requestId && (
        <p class="alert-meta">
          {t('error.request_id')}: <code>{error.requestId}</code>
        </p>
      )}
    </div>
  );
}

export function Notice({ kind = 'info', children, title }: { kind?: 'info' | 'success' | 'warn'; children: ComponentChildren; title?: string }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'success' ? 'status' : undefined}>
      {title && <p class="alert-title">{title}</p>}
      {children}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </p>
  );
}

/** "★3" with an accessible name ("レベル★3"). level 0 → "なし". */
export function Star({ level, prefix }: { level: number; prefix?: string }) {
  if (!level)
    return (
      <span class="star star-none" aria-label={t('common.none')}>
        —
      </span>
    );
  return (
    <span class={`star star-${level}`} aria-label={t('common.star_aria', { level })}>
      {prefix ? `${prefix} ` : ''}★{level}
    </span>
  );
}

const STATUS_CLASS: Record<string, string> = {
  valid: 'ok',
  certified: 'ok',
  confirmed: 'ok',
  accepted: 'ok',
  pass: 'ok',
  expired: 'bad',
  revoked: 'bad',
  declined: 'bad',
  fail: 'bad',
  returned: 'warn',
  pending: 'warn',
  sent: 'warn',
  none: 'muted',
  draft: 'muted',
  submitted: 'info',
  in_review: 'info',
};

export function Chip({ status, children }: { status: string; children: ComponentChildren }) {
  return <span class={`chip chip-${STATUS_CLASS[status] ?? 'muted'}`}>{children}</span>;
}

/** The certification standing status (valid / expired / revoked / none) in the UI language. */
export function StandingChip({ status }: { status: string }) {
  const key = `standing.${status}`;
  return <Chip status={status}>{hasKey(key) ? t(key as Key) : status}</Chip>;
}

export function Progress({ value, max, label }: { value: number; max: number; label: string }) {
  const pct = max > 0 ? Math.round((value / max) * 100) : 0;
  return (
    <div class="progress-wrap">
      <progress value={value} max={max || 1} aria-label={label}>
        {pct}%
      </progress>
      <span class="progress-text">{pct}%</span>
    </div>
  );
}

/** A page heading that takes focus after navigation (for screen readers and keyboard users). */
export function PageTitle({ children, sub }: { children: ComponentChildren; sub?: ComponentChildren }) {
  return (
    <header class="page-head">
      <h1 tabIndex={-1} id="page-title">
        {children}
      </h1>
      {sub && <p class="page-sub">{sub}</p>}
    </header>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}
