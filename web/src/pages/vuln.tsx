// SPDX-License-Identifier: Apache-2.0
// Small pieces shared by the SBOM pages and the buyer's advisory lookup: severity with the CVSS
// score, the finding state, and why a component matched, in the UI language.
import type { FindingMatch, Severity } from '../api';
import { fmtDecimal, hasKey, t } from '../i18n';
import type { Key } from '../strings';

const SEVERITY_TONE: Record<string, string> = {
  critical: 'bad',
  high: 'bad',
  medium: 'warn',
  low: 'info',
  none: 'muted',
  unknown: 'muted',
};

/** "9.8 緊急" — the CVSS base score (when rated) and the severity band. */
export function SeverityBadge({ score, severity }: { score: number | null; severity: Severity | string }) {
  const key = `severity.${severity}`;
  return (
    <span class="severity">
      {score !== null && <strong class="severity-score">{fmtDecimal(score, 1)}</strong>}{' '}
      <span class={`chip chip-${SEVERITY_TONE[severity] ?? 'muted'}`}>{hasKey(key) ? t(key as Key) : severity}</span>
    </span>
  );
}

const STATE_TONE: Record<string, string> = { open: 'bad', suppressed: 'muted', resolved: 'ok' };

export function FindingStateChip({ state }: { state: string }) {
  const key = `finding.state.${state}`;
  return <span class={`chip chip-${STATE_TONE[state] ?? 'muted'}`}>{hasKey(key) ? t(key as Key) : state}</span>;
}

/** Why the component's version matched: the affected range or the listed version, in words. */
export function matchText(version: string, m: FindingMatch): string {
  if (m.via === 'listed_version') return t('match.listed', { version });
  const from = !m.introduced || m.introduced === '0' ? t('match.from_start') : t('match.from', { v: m.introduced });
  let until = t('match.open_end');
  if (m.until) {
    const key = `match.${m.until.event}`;
    until = hasKey(key) ? t(key as Key, { v: m.until.version }) : `${m.until.event} ${m.until.version}`;
  }
  return t('match.range', { version, range: `${from}${t('match.sep')}${until}` });
}
