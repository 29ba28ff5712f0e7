// SPDX-License-Identifier: Apache-2.0
// The HTTP API client: JSON calls with the session cookie, the CSRF token on every
// state-changing call, Accept-Language matching the UI language, and raw-byte uploads with
// progress (XMLHttpRequest, because fetch has no upload progress).

import { getLang } from './i18n';

const CSRF_KEY = 'hoshi.csrf';

let csrfToken: string | null = sessionStorage.getItem(CSRF_KEY);

export function setCsrf(token: string | null): void {
  csrfToken = token;
  if (token) sessionStorage.setItem(CSRF_KEY, token);
  else sessionStorage.removeItem(CSRF_KEY);
}

export function hasCsrf(): boolean {
  return !!csrfToken;
}

/** An error answer of the API ({"error": {code, reason, message, request_id}}) or a network failure. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    public reason: string,
    message: string,
    public requestId: string,
  ) {
    super(message);
  }
}

/** Called on every 401 so the app can go back to the login page. */
let onUnauthenticated: (() => void) | null = null;
export function setUnauthenticatedHandler(f: () => void): void {
  onUnauthenticated = f;
}

async function toError(res: Response): Promise<ApiError> {
  let body: any = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  const e = body?.error ?? {};
  return new ApiError(
    res.status,
    e.code ?? 'http',
    e.reason ?? '',
    e.message ?? `HTTP ${res.status}`,
    e.request_id ?? res.headers.get('X-Request-Id') ?? '',
  );
}

function networkError(): ApiError {
  return new ApiError(0, 'network', 'network', '', '');
}

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'Accept-Language': getLang(), Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw networkError();
  }
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401 && err.reason === 'api.login_required' && onUnauthenticated) onUnauthenticated();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T = any>(path: string) => api<T>('GET', path);
export const post = <T = any>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T = any>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = <T = any>(path: string) => api<T>('DELETE', path);

/** Fetches a file as it is (no JSON parsing), e.g. a credential that must keep every byte. */
export async function getBlob(path: string): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { 'Accept-Language': getLang() }, credentials: 'same-origin' });
  } catch {
    throw networkError();
  }
  if (!res.ok) throw await toError(res);
  return res.blob();
}

/** POSTs a file's raw bytes; onProgress gets 0..1. */
export function uploadRaw<T = any>(path: string, file: Blob, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept-Language', getLang());
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable && ev.total > 0) onProgress(ev.loaded / ev.total);
    };
    xhr.onerror = () => reject(networkError());
    xhr.onload = () => {
      let body: any = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
      } else {
        const e = body?.error ?? {};
        reject(
          new ApiError(
            xhr.status,
            e.code ?? 'http',
            e.reason ?? '',
            e.message ?? `HTTP ${xhr.status}`,
            e.request_id ?? xhr.getResponseHeader('X-Request-Id') ?? '',
          ),
        );
      }
    };
    xhr.send(file);
  });
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---- Types of the answers we use (only the fields the UI reads) ----

export type Lang = 'ja' | 'en';
export type Label = { ja: string; en: string };

export interface Org {
  id: string;
  corporate_number: string;
  name: string;
  name_en?: string;
  kind: 'company' | 'expert_firm' | 'evaluation_body' | 'operator';
}

export interface Membership {
  organization_id: string;
  role: 'org_admin' | 'member' | 'expert' | 'evaluator' | 'operator';
  role_label: Label;
  organization: Org;
}

export interface User {
  id: string;
  email: string;
  display_name: string;
  lang: string;
}

export interface Me {
  user: User;
  memberships: Membership[];
}

export type AnswerStatus = 'implemented' | 'partial' | 'not_implemented' | 'not_applicable' | 'unanswered';

export interface Answer {
  status: AnswerStatus;
  reason?: string;
  note?: string;
  evidence?: string[];
  last_checked?: string;
}

export interface Upload {
  kind: string;
  criterion_id?: string;
  sha256: string;
  filename: string;
  media_type: string;
  size: number;
  uploaded_at: string;
}

export interface AssessmentSummary {
  id: string;
  catalog: string;
  level: number;
  organization_id: string;
  state: string;
  state_label: Label;
  created_at: string;
  updated_at: string;
}

export interface Assessment extends AssessmentSummary {
  answers: Record<string, Answer>;
  assigned?: {
    expert?: { user_id: string; display_name?: string; assigned_at: string };
    evaluator?: { user_id: string; display_name?: string; assigned_at: string };
  };
  uploads: Upload[];
  review_results: { kind: 'document' | 'onsite'; result: 'pass' | 'fail'; note: string; recorded_at: string }[];
  declaration?: { signer_name: string; signer_title: string; statement: string; declared_at: string };
  shared_with?: string[];
  certification_id?: string;
  next_events: string[];
}

export interface Gap {
  category: string;
  criterion: string;
  requirement: string;
  requirement_title_ja: string;
  status: AnswerStatus;
  guidance: Label;
  evidence_hint: Label;
}

export interface Evaluation {
  level: number;
  level_met: boolean;
  counts: Record<string, number>;
  criteria_at_level: number;
  requirements_at_level: number;
  requirements_conformant: number;
  gaps: Gap[];
  overdue_checks: { criterion: string; days_overdue: number; last_checked: string | null }[];
  paraphrase_note: Label;
  catalog_title: string;
  categories: { id: string; title_ja: string; title_en: string; percent: number; applicable: number; met: number }[];
}

export interface Criterion {
  id: string;
  level: number;
  guidance: Label;
  evidence_hint: Label;
  recurrence: 'none' | 'yearly' | 'monthly' | string;
}

export interface Requirement {
  id: string;
  title_ja: string;
  title_en: string;
  summary: Label;
  criteria: Criterion[];
}

export interface Catalog {
  catalog_id: string;
  version: string;
  official_title_ja: string;
  title: Label;
  paraphrase_note: Label;
  text_source: string;
  sources: string[];
  categories: {
    id: string;
    title_ja: string;
    title_en: string;
    subcategories: { id: string; title_ja: string; title_en: string; requirements: Requirement[] }[];
  }[];
}

export interface Certification {
  id: string;
  assessment_id: string;
  organization_id: string;
  catalog: string;
  level: number;
  scope: string;
  issued_on: string;
  expires_on: string;
  expiring_soon: boolean;
  annual_overdue: number;
  next_annual_due?: string;
  status: 'valid' | 'expired' | 'revoked';
  status_label: Label;
}

export interface RequestRec {
  id: string;
  relationship_id: string;
  buyer_organization_id: string;
  supplier_organization_id: string;
  level: number;
  due_on: string;
  message: string;
  state: 'sent' | 'accepted' | 'declined' | string;
  state_label: Label;
  created_at: string;
  responded_at?: string;
  response_note?: string;
  decline_reason?: string;
  supplier?: Org;
  buyer?: Org;
}

export interface Standing {
  level: number;
  status: 'valid' | 'expired' | 'revoked' | 'none';
  expires_on: string;
  expiring_soon: boolean;
  annual_overdue: number;
}

export interface PortfolioRow {
  relationship_id: string;
  supplier: Org;
  required_level: number;
  current: Standing;
  meets_requirement: boolean;
  request?: RequestRec;
  shared_assessment?: { id: string; level: number; state: string; level_met: boolean; open_gaps: number; unanswered: number };
  tier2?: {
    suppliers: number;
    counts: Record<string, number>;
    named: { name: string; required_level: number; current: Standing }[];
  };
}

export interface Portfolio {
  summary: {
    total: number;
    meeting_requirement: number;
    expiring_within_90_days: number;
    annual_overdue: number;
    coverage_by_level: Record<string, number>;
  };
  suppliers: PortfolioRow[];
}

export interface Decision {
  confidential_info_on_supplier_it: boolean;
  stop_causes_unacceptable_delay: boolean;
  supplier_reaches_internal_systems: boolean;
  additional_factors: string[];
  raise_to_four: boolean;
  reason: string;
}

export interface Reviewer {
  id: string;
  display_name: string;
}

export interface ReviewItem extends AssessmentSummary {
  organization: Org;
  role: 'expert' | 'evaluator';
  assigned_at: string;
}

export interface Comment {
  id: string;
  criterion_id: string;
  author_user_id: string;
  body: string;
  created_at: string;
}

export interface Stats {
  holders: number;
  valid_by_level: Record<string, number>;
  issued_by_month: { month: string; issued: Record<string, number> }[];
  targets: { holders: number; year: number }[];
}

export interface RegistryOrg extends Org {
  certifications: Certification[];
}

// ---- SBOMs, findings and advisories (docs/api.md "SBOM and advisories") ----

export interface Sbom {
  id: string;
  organization_id: string;
  product: string;
  product_version: string;
  format: string;
  spec_version: string;
  sha256: string;
  size: number;
  components: number;
  uploaded_at: string;
  /** The id of the newer SBOM of the same product; "" while current. */
  superseded_by: string;
}

/** An SBOM in `GET /orgs/{org}/sboms`, with the counts of its findings (resolved ones aside). */
export interface SbomListed extends Sbom {
  /** All 0 once superseded: a superseded SBOM's findings are resolved. */
  findings: FindingCounts;
}

export interface FindingCounts {
  open: number;
  suppressed: number;
  overdue: number;
  known_exploited: number;
}

export interface SbomUploadResult {
  sbom: Sbom;
  invalid_purls: number;
  findings: FindingCounts;
}

export interface VexStatement {
  vulnerability: string;
  status: 'not_affected' | 'affected' | 'fixed' | 'under_investigation' | string;
  justification: string;
  detail: string;
  source: string;
}

/** Why a component matched: a version range (introduced … until) or a listed version. */
export interface FindingMatch {
  via: 'range' | 'listed_version';
  introduced?: string;
  until?: { event: 'fixed' | 'last_affected' | 'limit' | string; version: string };
  version?: string;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'none' | 'unknown';

export interface Finding {
  sbom_id: string;
  product: string;
  component: string;
  component_ref: string;
  version: string;
  purl: string;
  ecosystem: string;
  package: string;
  advisory: string;
  aliases: string[];
  summary: string;
  match: FindingMatch;
  explanation: string;
  severity: Severity;
  cvss_vector: string;
  base_score: number | null;
  known_exploited: boolean;
  published: string;
  modified: string;
  suppressed_by: VexStatement | null;
  state: 'open' | 'suppressed' | 'resolved';
  trigger: 'sbom_upload' | 'advisory_new' | 'advisory_modified' | string;
  identified_at: string;
  disclosed_at: string;
  lead_time_ms: number | null;
  resolved_at: string;
  overdue_4_4_4_2: boolean;
}

/**
 * One page of findings (`?limit=` 1–10,000, `?offset=`; `?limit=0` is refused with 400). `summary`
 * counts all findings; `total` and `next_offset` count the list after `?overdue=true`, if given.
 */
export interface FindingsPage {
  summary: FindingCounts;
  findings: Finding[];
  /** How many findings the list has (only the overdue ones with `?overdue=true`). */
  total: number;
  limit: number;
  offset: number;
  /** The next page's offset; null on the last page. */
  next_offset: number | null;
}

export interface SbomFindings extends FindingsPage {
  sbom: Sbom;
}

export interface Advisory {
  id: string;
  aliases: string[];
  summary: string;
  published: string;
  modified: string;
  withdrawn: string;
  base_score: number | null;
  severity: Severity;
  cvss_vector: string;
  known_exploited: boolean;
  packages: { ecosystem: string; name: string }[];
}

export interface AffectedSupplier {
  supplier: Org;
  product: string;
  sbom_id: string;
  component: string;
  version: string;
  state: 'open' | 'suppressed' | string;
  identified_at: string;
}

/** One buyer of the supplier and whether its findings are shared with it (GET /orgs/{org}/sbom-shares). */
export interface SbomShare {
  buyer: Org;
  shared: boolean;
}

// ---- Collective-defense telemetry (docs/api.md "Collective-defense telemetry") ----

export interface Campaign {
  id: string;
  target: string;
  target_type?: string;
  target_value?: string;
  kind: string;
  max_score: number;
  organizations: number;
  first_seen: string;
  last_seen: string;
  created_at: string;
  updated_at: string;
}

export interface EarlyWarning {
  id: string;
  relation: 'self' | 'supplier';
  identity_disclosed: boolean;
  /** null unless the supplier agreed to be named. */
  subject_organization: { id: string; name: string; name_en: string } | null;
  campaign: Campaign;
  summary: string;
  created_at: string;
  acknowledged_at: string | null;
}

export const DETECTION_KINDS = ['beacon', 'strobe', 'long_connection', 'dns_entropy', 'c2_over_dns', 'indicator_hit'] as const;

export interface Detection {
  id: string;
  batch_id: string;
  kind: string;
  score: number;
  src: string;
  dst: string;
  name: string;
  targets: string[];
  events: number;
  first_seen: string;
  last_seen: string;
  evidence: Record<string, unknown>;
  created_at: string;
}

export interface TelemetryBatch {
  id: string;
  source: string;
  received_at: string;
  processed_at: string;
  bytes: number;
  lines: number;
  events: number;
  skipped: number;
  malformed: number;
  detections: number;
  first_event_at: string | null;
  last_event_at: string | null;
}

export interface TelemetryBatches {
  totals: { batches: number; events: number; malformed: number; detections: number };
  batches: TelemetryBatch[];
}

export interface TelemetryConsent {
  relationship_id: string;
  buyer_organization_id: string;
  buyer_organization_name: string;
  buyer_organization_name_en: string;
  warn_buyer: boolean;
  disclose_identity: boolean;
  updated_at: string | null;
}
