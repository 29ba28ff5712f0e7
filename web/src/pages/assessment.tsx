// SPDX-License-Identifier: Apache-2.0
// The supplier's criterion-by-criterion self-assessment: guidance and the paraphrase note from the
// catalog, answers saved as the whole set (PUT), evidence uploads with progress, the expert or
// evaluator, submit, sharing with buyers and the management self-declaration (★3).
import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  ApiError,
  del,
  get,
  post,
  put,
  uploadRaw,
  type Answer,
  type AnswerStatus,
  type Assessment,
  type Catalog,
  type Comment,
  type Criterion,
  type Evaluation,
  type Requirement,
  type Reviewer,
  type Upload,
} from '../api';
import { Chip, ErrorBox, Loading, Notice, PageTitle, Progress } from '../components';
import { useAction, useLoad } from '../hooks';
import { fmtBytes, fmtDate, fmtDateTime, getLang, L, orgName, t } from '../i18n';
import { Link } from '../router';
import { isAdmin, useSession } from '../session';

export const STATUSES: Exclude<AnswerStatus, 'unanswered'>[] = ['implemented', 'partial', 'not_implemented', 'not_applicable'];
const EDITABLE = ['draft', 'returned'];

export interface Loaded {
  a: Assessment;
  cat: Catalog;
  ev: Evaluation;
  comments: Comment[];
}

export async function loadAssessment(id: string): Promise<Loaded> {
  const a = await get<Assessment>(`/api/v1/assessments/${id}`);
  const [cat, ev, comments] = await Promise.all([
    get<Catalog>(`/api/v1/catalogs/${encodeURIComponent(a.catalog)}`),
    get<Evaluation>(`/api/v1/assessments/${id}/evaluation`),
    get<{ comments: Comment[] }>(`/api/v1/assessments/${id}/comments`)
      .then((c) => c.comments)
      .catch(() => [] as Comment[]),
  ]);
  return { a, cat, ev, comments };
}

export interface Section {
  id: string;
  title: string;
  requirements: (Requirement & { at: Criterion[] })[];
}

/** The catalog's categories with only the criteria of the assessment's level. */
export function sectionsFor(cat: Catalog, level: number): Section[] {
  const en = getLang() === 'en';
  return cat.categories
    .map((c) => ({
      id: c.id,
      title: `${c.id}. ${c.title_ja}${en && c.title_en ? ` (${c.title_en})` : ''}`,
      requirements: c.subcategories
        .flatMap((sc) => sc.requirements)
        .map((r) => ({ ...r, at: r.criteria.filter((cr) => cr.level <= level) }))
        .filter((r) => r.at.length > 0),
    }))
    .filter((c) => c.requirements.length > 0);
}

/** The official scheme title stays Japanese; the paraphrase note is shown prominently. */
export function ParaphraseNote({ cat }: { cat: Catalog }) {
  return (
    <aside class="alert alert-note" aria-labelledby="paraphrase-title" data-testid="paraphrase-note">
      <p class="alert-title" id="paraphrase-title">
        {t('assess.note_title')}
      </p>
      <p lang="ja" class="official-title">
        {cat.official_title_ja}（{cat.title.ja}）
      </p>
      <p>{L(cat.paraphrase_note)}</p>
      {cat.sources?.[0] && (
        <p class="small">
          {t('assess.official_source')}: <span class="break">{cat.sources[0]}</span>
        </p>
      )}
    </aside>
  );
}

function cleanAnswers(answers: Record<string, Answer>): Record<string, Answer> {
  const out: Record<string, Answer> = {};
  for (const [id, a] of Object.entries(answers)) {
    if (!a.status || a.status === 'unanswered') continue;
    const c: Answer = { status: a.status };
    if (a.reason?.trim()) c.reason = a.reason.trim();
    if (a.note?.trim()) c.note = a.note.trim();
    if (a.last_checked) c.last_checked = a.last_checked;
    if (a.evidence?.length) c.evidence = a.evidence;
    out[id] = c;
  }
  return out;
}

export function AssessmentPage({ id }: { id: string }) {
  const s = useSession();
  const { data, error, loading, reload } = useLoad(() => loadAssessment(id), [id]);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [filter, setFilter] = useState<'all' | 'open' | 'gaps'>('all');
  const [ev, setEv] = useState<Evaluation | null>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  // The filter works on the last saved answers, so a criterion does not vanish while it is edited.
  const [saved, setSaved] = useState<Record<string, Answer>>({});
  const save = useAction();

  useEffect(() => {
    if (data) {
      setAnswers(structuredClone(data.a.answers ?? {}));
      setSaved(data.a.answers ?? {});
      setEv(data.ev);
      setUploads(data.a.uploads ?? []);
      setDirty(false);
    }
  }, [data]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  // Jump to #submit / #declaration once the page is there.
  useEffect(() => {
    if (data && location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  }, [data]);

  const sections = useMemo(() => (data ? sectionsFor(data.cat, data.a.level) : []), [data]);
  const allCriteria = useMemo(() => sections.flatMap((sc) => sc.requirements.flatMap((r) => r.at)), [sections]);

  if (!data) {
    return (
      <section>
        <PageTitle>{t('assess.title_generic')}</PageTitle>
        <ErrorBox error={error} />
        {loading && <Loading />}
      </section>
    );
  }

  const { a, cat, comments } = data;
  const owner = s.membership.organization_id === a.organization_id;
  const editable = owner && EDITABLE.includes(a.state);
  const unanswered = allCriteria.filter((c) => !answers[c.id]?.status || answers[c.id].status === 'unanswered').length;
  const gapIds = new Set((ev?.gaps ?? []).filter((g) => g.status !== 'unanswered').map((g) => g.criterion));
  const problems = allCriteria.filter((c) => answers[c.id]?.status === 'not_applicable' && !answers[c.id]?.reason?.trim());

  const update = (cid: string, patch: Partial<Answer>) => {
    setAnswers((prev) => ({ ...prev, [cid]: { ...(prev[cid] ?? { status: 'unanswered' }), ...patch } }));
    setDirty(true);
  };

  const doSave = async (): Promise<boolean> => {
    if (problems.length) {
      save.setError(new ApiError(0, 'validation', 'validation', t('assess.need_reason', { ids: problems.map((p) => p.id).join(', ') }), ''));
      return false;
    }
    const ok = await save.run(async () => {
      await put(`/api/v1/assessments/${a.id}/answers`, { answers: cleanAnswers(answers) });
      const e = await get<Evaluation>(`/api/v1/assessments/${a.id}/evaluation`);
      setEv(e);
      return true;
    });
    if (ok) {
      setDirty(false);
      setSaved(answers);
      setSavedAt(new Date().toISOString());
      return true;
    }
    return false;
  };

  const generalComments = comments.filter((c) => !c.criterion_id);
  const visible = (c: Criterion) =>
    filter === 'all' ||
    (filter === 'open' && (!saved[c.id]?.status || saved[c.id].status === 'unanswered')) ||
    (filter === 'gaps' && gapIds.has(c.id));

  return (
    <section class="assessment">
      <PageTitle
        sub={
          <>
            {orgName(s.membership.organization)} ・ <Chip status={a.state}>{L(a.state_label)}</Chip> ・{' '}
            {t('assess.updated', { date: fmtDateTime(a.updated_at) })}
          </>
        }
      >
        {t('assess.title', { level: a.level })}
      </PageTitle>

      <ParaphraseNote cat={cat} />

      {a.state === 'returned' && generalComments.length > 0 && (
        <Notice kind="warn" title={t('assess.returned_title')}>
          {generalComments.map((c) => (
            <p key={c.id}>
              {c.body} <span class="muted">（{fmtDateTime(c.created_at)}）</span>
            </p>
          ))}
          <p>{t('assess.returned_help')}</p>
        </Notice>
      )}
      {!editable && owner && (
        <Notice kind="info">{t('assess.readonly', { state: L(a.state_label) })}</Notice>
      )}

      <div class="assess-summary card">
        <dl class="facts">
          <div>
            <dt>{t('assess.answered')}</dt>
            <dd data-testid="answered-count">
              {allCriteria.length - unanswered} / {allCriteria.length}
              <Progress value={allCriteria.length - unanswered} max={allCriteria.length} label={t('assess.answered')} />
            </dd>
          </div>
          <div>
            <dt>{t('assess.unanswered')}</dt>
            <dd data-testid="unanswered-count">{unanswered}</dd>
          </div>
          <div>
            <dt>{t('assess.gaps')}</dt>
            <dd>{gapIds.size}</dd>
          </div>
          <div>
            <dt>{t('assess.verdict')}</dt>
            <dd>{ev?.level_met ? t('assess.met') : t('assess.not_met')}</dd>
          </div>
        </dl>
        <fieldset class="inline-radios">
          <legend>{t('assess.show')}</legend>
          {(['all', 'open', 'gaps'] as const).map((f) => (
            <label key={f}>
              <input type="radio" name="crit-filter" checked={filter === f} onChange={() => setFilter(f)} />
              {t(`assess.filter.${f}`)}
            </label>
          ))}
        </fieldset>
        <nav aria-label={t('assess.categories')} class="cat-nav">
          <ul>
            {sections.map((sc) => (
              <li key={sc.id}>
                <a href={`#cat-${sc.id}`}>{sc.title}</a>
              </li>
            ))}
            <li>
              <a href="#submit">{t('assess.to_submit')}</a>
            </li>
          </ul>
        </nav>
      </div>

      {sections.map((sc) => {
        const reqs = sc.requirements.filter((r) => r.at.some(visible));
        if (!reqs.length) return null;
        return (
          <section key={sc.id} class="category" id={`cat-${sc.id}`} aria-labelledby={`cat-h-${sc.id}`}>
            <h2 id={`cat-h-${sc.id}`}>{sc.title}</h2>
            {reqs.map((r) => (
              <section key={r.id} class="requirement" aria-labelledby={`req-${r.id}`}>
                <h3 id={`req-${r.id}`}>
                  <code>{r.id}</code> <span lang="ja">{r.title_ja}</span>
                  {getLang() === 'en' && r.title_en && <span class="muted"> ({r.title_en})</span>}
                </h3>
                <p class="req-summary">{L(r.summary)}</p>
                {r.at.filter(visible).map((c) => (
                  <CriterionEditor
                    key={c.id}
                    assessmentId={a.id}
                    c={c}
                    answer={answers[c.id]}
                    uploads={uploads.filter((u) => u.kind === 'evidence' && u.criterion_id === c.id)}
                    comments={comments.filter((x) => x.criterion_id === c.id)}
                    gap={gapIds.has(c.id)}
                    editable={editable}
                    onChange={(patch) => update(c.id, patch)}
                    onUploaded={(u) => {
                      setUploads((prev) => [...prev.filter((x) => x.sha256 !== u.sha256 || x.criterion_id !== u.criterion_id), u]);
                      const cur = answers[c.id];
                      update(c.id, { evidence: [...new Set([...(cur?.evidence ?? []), u.sha256])] });
                    }}
                  />
                ))}
              </section>
            ))}
          </section>
        );
      })}

      {editable && (
        <div class="save-bar" role="region" aria-label={t('assess.save_region')}>
          <span class="save-state" aria-live="polite" data-testid="save-state">
            {save.busy
              ? t('assess.saving')
              : dirty
                ? t('assess.unsaved')
                : savedAt
                  ? t('assess.saved_at', { time: fmtDateTime(savedAt) })
                  : t('assess.all_saved')}
          </span>
          <button type="button" class="btn btn-primary" onClick={doSave} disabled={save.busy || !dirty} data-testid="save">
            {t('assess.save')}
          </button>
        </div>
      )}
      <ErrorBox error={save.error} title={t('assess.save_failed')} />

      <SubmitPanel
        a={a}
        unanswered={unanswered}
        gaps={gapIds.size}
        dirty={dirty}
        save={doSave}
        reload={reload}
        uploads={uploads}
        setUploads={setUploads}
      />
      {a.level === 3 && <Declaration a={a} reload={reload} />}
      {owner && isAdmin(s.membership) && <Shares a={a} reload={reload} />}
      {a.certification_id && (
        <Notice kind="success" title={t('assess.certified_title')}>
          <p>
            <Link href={`/certificates/${a.certification_id}`}>{t('next.show_certificate')}</Link>
          </p>
        </Notice>
      )}
    </section>
  );
}

function CriterionEditor({
  assessmentId,
  c,
  answer,
  uploads,
  comments,
  gap,
  editable,
  onChange,
  onUploaded,
}: {
  assessmentId: string;
  c: Criterion;
  answer: Answer | undefined;
  uploads: Upload[];
  comments: Comment[];
  gap: boolean;
  editable: boolean;
  onChange: (patch: Partial<Answer>) => void;
  onUploaded: (u: Upload) => void;
}) {
  const status = answer?.status ?? 'unanswered';
  const [progress, setProgress] = useState<number | null>(null);
  const upload = useAction();
  const base = `c-${c.id}`;
  const cited = new Set(answer?.evidence ?? []);

  const onFile = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setProgress(0);
    const res = await upload.run(() =>
      uploadRaw<Upload>(
        `/api/v1/assessments/${assessmentId}/evidence?criterion=${encodeURIComponent(c.id)}&filename=${encodeURIComponent(file.name)}`,
        file,
        setProgress,
      ),
    );
    setProgress(null);
    input.value = '';
    if (res) onUploaded(res);
  };

  return (
    <fieldset class={`criterion ${gap ? 'criterion-gap' : ''} ${status === 'unanswered' ? 'criterion-open' : ''}`} data-criterion={c.id}>
      <legend>
        <code>{c.id}</code> {L(c.guidance)}
      </legend>
      <p class="hint">
        <span class="label-inline">{t('assess.evidence_hint')}</span> {L(c.evidence_hint)}
        {c.recurrence !== 'none' && (
          <span class="recurs"> ・ {c.recurrence === 'monthly' ? t('assess.recur_monthly') : t('assess.recur_yearly')}</span>
        )}
      </p>
      <div class="status-radios">
        {STATUSES.map((st) => (
          <label key={st} class={`status-opt status-${st}`}>
            <input
              type="radio"
              name={`${base}-status`}
              value={st}
              checked={status === st}
              disabled={!editable}
              onChange={() => onChange({ status: st })}
            />
            {t(`status.${st}`)}
          </label>
        ))}
        {status === 'unanswered' && <span class="chip chip-warn">{t('status.unanswered')}</span>}
        {gap && <span class="chip chip-bad">{t('assess.gap')}</span>}
      </div>
      {status === 'not_applicable' && (
        <div class="field">
          <label for={`${base}-reason`}>{t('assess.reason')}</label>
          <textarea
            id={`${base}-reason`}
            rows={2}
            required
            aria-invalid={!answer?.reason?.trim()}
            disabled={!editable}
            value={answer?.reason ?? ''}
            onInput={(e) => onChange({ reason: (e.target as HTMLTextAreaElement).value })}
          />
        </div>
      )}
      {c.recurrence !== 'none' && status !== 'not_applicable' && status !== 'unanswered' && (
        <div class="field field-inline">
          <label for={`${base}-checked`}>{t('assess.last_checked')}</label>
          <input
            id={`${base}-checked`}
            type="date"
            disabled={!editable}
            value={answer?.last_checked ?? ''}
            onInput={(e) => onChange({ last_checked: (e.target as HTMLInputElement).value || undefined })}
          />
        </div>
      )}
      {status !== 'unanswered' && (
        <div class="field field-inline field-note">
          <label for={`${base}-note`}>{t('assess.note')}</label>
          <input
            id={`${base}-note`}
            type="text"
            maxLength={4000}
            disabled={!editable}
            value={answer?.note ?? ''}
            onInput={(e) => onChange({ note: (e.target as HTMLInputElement).value })}
          />
        </div>
      )}
      <div class="evidence">
        {uploads.length > 0 && (
          <ul class="evidence-list">
            {uploads.map((u) => (
              <li key={u.sha256}>
                <a href={`/api/v1/assessments/${assessmentId}/evidence/${u.sha256}`} download={u.filename}>
                  {u.filename}
                </a>{' '}
                <span class="muted">({fmtBytes(u.size)})</span>{' '}
                {cited.has(u.sha256) ? (
                  <>
                    <span class="chip chip-ok">{t('assess.cited')}</span>
                    {editable && (
                      <button
                        type="button"
                        class="btn btn-link"
                        onClick={() => onChange({ evidence: [...cited].filter((x) => x !== u.sha256) })}
                      >
                        {t('assess.uncite')}
                      </button>
                    )}
                  </>
                ) : (
                  editable && (
                    <button type="button" class="btn btn-link" onClick={() => onChange({ evidence: [...cited, u.sha256] })}>
                      {t('assess.cite')}
                    </button>
                  )
                )}
              </li>
            ))}
          </ul>
        )}
        {editable && (
          <div class="field field-inline">
            <label for={`${base}-file`}>{t('assess.add_evidence')}</label>
            <input id={`${base}-file`} type="file" onChange={onFile} disabled={progress !== null} />
          </div>
        )}
        {progress !== null && (
          <div class="upload-progress" aria-live="polite">
            <Progress value={Math.round(progress * 100)} max={100} label={t('assess.uploading')} />
            <span>{t('assess.uploading')}</span>
          </div>
        )}
        <ErrorBox error={upload.error} title={t('assess.upload_failed')} />
      </div>
      {comments.length > 0 && (
        <div class="comments">
          <p class="label-inline">{t('assess.reviewer_comments')}</p>
          <ul>
            {comments.map((cm) => (
              <li key={cm.id}>
                {cm.body} <span class="muted">（{fmtDateTime(cm.created_at)}）</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </fieldset>
  );
}

function SubmitPanel({
  a,
  unanswered,
  gaps,
  dirty,
  save,
  reload,
  uploads,
  setUploads,
}: {
  a: Assessment;
  unanswered: number;
  gaps: number;
  dirty: boolean;
  save: () => Promise<boolean>;
  reload: () => Promise<void>;
  uploads: Upload[];
  setUploads: (u: Upload[]) => void;
}) {
  const s = useSession();
  const admin = isAdmin(s.membership);
  const role = a.level >= 4 ? 'evaluator' : 'expert';
  const reviewers = useLoad(() => get<{ reviewers: Reviewer[] }>(`/api/v1/reviewers?role=${role}`), [role]);
  const assigned = a.assigned?.[role];
  const [choice, setChoice] = useState('');
  const assign = useAction();
  const submit = useAction();
  const report = useAction();
  const [reportProgress, setReportProgress] = useState<number | null>(null);
  const owner = s.membership.organization_id === a.organization_id;
  const canSubmit = owner && a.next_events.includes('submit');
  const reports = uploads.filter((u) => u.kind !== 'evidence');

  useEffect(() => {
    if (!choice && reviewers.data?.reviewers.length) setChoice(assigned?.user_id ?? reviewers.data.reviewers[0].id);
  }, [reviewers.data, assigned?.user_id]);

  if (!owner) return null;

  const doAssign = async () => {
    const ok = await assign.run(() => post(`/api/v1/assessments/${a.id}/assign`, { user_id: choice }));
    if (ok !== undefined) await reload();
  };
  const doSubmit = async () => {
    if (dirty && !(await save())) return;
    const ok = await submit.run(() => post(`/api/v1/assessments/${a.id}/submit`));
    if (ok !== undefined) await reload();
  };
  const onReport = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setReportProgress(0);
    const res = await report.run(() =>
      uploadRaw<Upload>(`/api/v1/assessments/${a.id}/report?filename=${encodeURIComponent(file.name)}`, file, setReportProgress),
    );
    setReportProgress(null);
    input.value = '';
    if (res) setUploads([...uploads, res]);
  };

  return (
    <section class="card" id="submit" aria-labelledby="submit-title">
      <h2 id="submit-title">{t('submit.title')}</h2>
      <ol class="checklist">
        <li class={unanswered === 0 ? 'done' : 'todo'}>
          {unanswered === 0 ? t('submit.all_answered') : t('submit.unanswered', { n: unanswered })}
        </li>
        <li class={gaps === 0 ? 'done' : 'warn'}>{gaps === 0 ? t('submit.no_gaps') : t('submit.gaps', { n: gaps })}</li>
        <li class={assigned ? 'done' : 'todo'}>
          {assigned
            ? t(role === 'expert' ? 'submit.expert_assigned' : 'submit.evaluator_assigned', { name: assigned.display_name ?? '' })
            : t(role === 'expert' ? 'submit.no_expert' : 'submit.no_evaluator')}
        </li>
        {a.level >= 4 && (
          <li class={reports.length ? 'done' : 'todo'}>{reports.length ? t('submit.report_on_file') : t('submit.no_report')}</li>
        )}
      </ol>

      {(a.state === 'draft' || a.state === 'returned') && (
        <div class="field-group">
          <h3>{role === 'expert' ? t('submit.choose_expert') : t('submit.choose_evaluator')}</h3>
          <p class="hint">{role === 'expert' ? t('submit.expert_help') : t('submit.evaluator_help')}</p>
          <ErrorBox error={reviewers.error} />
          {reviewers.data && reviewers.data.reviewers.length === 0 && <p>{t('submit.no_reviewers')}</p>}
          {reviewers.data && reviewers.data.reviewers.length > 0 && (
            <div class="row">
              <label for="reviewer-select">{role === 'expert' ? t('submit.expert') : t('submit.evaluator')}</label>
              <select id="reviewer-select" value={choice} onChange={(e) => setChoice((e.target as HTMLSelectElement).value)} disabled={!admin}>
                {reviewers.data.reviewers.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.display_name}
                  </option>
                ))}
              </select>
              <button
                type="button"
                class="btn btn-secondary"
                onClick={doAssign}
                disabled={!admin || assign.busy || !choice || choice === assigned?.user_id}
                data-testid="assign"
              >
                {t('submit.assign')}
              </button>
            </div>
          )}
          {!admin && <p class="hint">{t('submit.admin_only')}</p>}
          <ErrorBox error={assign.error} />
        </div>
      )}

      {a.level >= 4 && ['draft', 'submitted', 'in_review', 'returned'].includes(a.state) && (
        <div class="field-group">
          <h3>{t('submit.report')}</h3>
          <p class="hint">{t('submit.report_help')}</p>
          {reports.map((u) => (
            <p key={u.sha256}>
              {u.filename} <span class="muted">({fmtBytes(u.size)}, {fmtDate(u.uploaded_at)})</span>
            </p>
          ))}
          <div class="field field-inline">
            <label for="report-file">{t('submit.report_file')}</label>
            <input id="report-file" type="file" onChange={onReport} disabled={reportProgress !== null} />
          </div>
          {reportProgress !== null && <Progress value={Math.round(reportProgress * 100)} max={100} label={t('assess.uploading')} />}
          <ErrorBox error={report.error} />
        </div>
      )}

      {canSubmit && (
        <div class="field-group">
          <p>{t('submit.explain')}</p>
          <button
            type="button"
            class="btn btn-primary btn-large"
            onClick={doSubmit}
            disabled={submit.busy || unanswered > 0}
            data-testid="submit"
          >
            {t('submit.button')}
          </button>
          {unanswered > 0 && <p class="hint">{t('submit.blocked', { n: unanswered })}</p>}
          <ErrorBox error={submit.error} title={t('submit.failed')} />
        </div>
      )}
      {a.state === 'submitted' && <Notice kind="success">{t('submit.done', { name: assigned?.display_name ?? '' })}</Notice>}
      {a.state === 'in_review' && <Notice kind="info">{t('submit.in_review', { name: assigned?.display_name ?? '' })}</Notice>}
      {a.state === 'confirmed' && <Notice kind="success">{t('submit.confirmed')}</Notice>}
    </section>
  );
}

export const DECLARATION_STATEMENT =
  '当社は、サプライチェーン強化に向けたセキュリティ対策評価制度の★3の要求事項を満たしていることを、経営者として自己適合宣誓します。';

function Declaration({ a, reload }: { a: Assessment; reload: () => Promise<void> }) {
  const s = useSession();
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [agree, setAgree] = useState(false);
  const act = useAction();
  const owner = s.membership.organization_id === a.organization_id;
  if (!owner) return null;
  if (a.declaration) {
    return (
      <section class="card" id="declaration" aria-labelledby="decl-title">
        <h2 id="decl-title">{t('decl.title')}</h2>
        <blockquote class="quote" lang="ja">
          {a.declaration.statement}
        </blockquote>
        <p>
          {a.declaration.signer_title} {a.declaration.signer_name} ・ {fmtDateTime(a.declaration.declared_at)}
        </p>
      </section>
    );
  }
  if (a.state !== 'confirmed') return null;
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await act.run(() =>
      post(`/api/v1/assessments/${a.id}/declaration`, { signer_name: name.trim(), signer_title: title.trim() }),
    );
    if (ok !== undefined) await reload();
  };
  return (
    <section class="card" id="declaration" aria-labelledby="decl-title">
      <h2 id="decl-title">{t('decl.title')}</h2>
      <p>{t('decl.help')}</p>
      <blockquote class="quote" lang="ja">
        {DECLARATION_STATEMENT}
      </blockquote>
      {!isAdmin(s.membership) ? (
        <p>{t('decl.admin_only')}</p>
      ) : (
        <form class="form" onSubmit={submit}>
          <div class="field">
            <label for="decl-name">{t('decl.name')}</label>
            <input id="decl-name" type="text" required maxLength={200} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="decl-title-in">{t('decl.signer_title')}</label>
            <input
              id="decl-title-in"
              type="text"
              required
              maxLength={200}
              placeholder={t('decl.signer_title_ph')}
              value={title}
              onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
            />
          </div>
          <label class="check">
            <input type="checkbox" checked={agree} onChange={(e) => setAgree((e.target as HTMLInputElement).checked)} />
            {t('decl.agree')}
          </label>
          <ErrorBox error={act.error} />
          <button type="submit" class="btn btn-primary" disabled={act.busy || !agree || !name.trim() || !title.trim()}>
            {t('decl.button')}
          </button>
        </form>
      )}
    </section>
  );
}

function Shares({ a, reload }: { a: Assessment; reload: () => Promise<void> }) {
  const buyers = useLoad(
    () => get<{ buyers: { buyer: { id: string; name: string; name_en?: string }; buyer_organization_id: string }[] }>(
      `/api/v1/orgs/${a.organization_id}/buyers`,
    ),
    [a.organization_id],
  );
  const act = useAction();
  if (!buyers.data || buyers.data.buyers.length === 0) return null;
  const shared = new Set(a.shared_with ?? []);
  const toggle = async (buyerId: string) => {
    const ok = await act.run(async () => {
      if (shared.has(buyerId)) await del(`/api/v1/assessments/${a.id}/shares/${buyerId}`);
      else await post(`/api/v1/assessments/${a.id}/shares`, { buyer_organization_id: buyerId });
      return true;
    });
    if (ok) await reload();
  };
  return (
    <section class="card" aria-labelledby="share-title">
      <h2 id="share-title">{t('share.title')}</h2>
      <p class="hint">{t('share.help')}</p>
      <ul class="plain">
        {buyers.data.buyers.map((b) => (
          <li key={b.buyer_organization_id} class="row">
            <span>{orgName(b.buyer)}</span>
            {shared.has(b.buyer_organization_id) ? <span class="chip chip-ok">{t('share.shared')}</span> : <span class="chip chip-muted">{t('share.not_shared')}</span>}
            <button type="button" class="btn btn-secondary btn-small" disabled={act.busy} onClick={() => toggle(b.buyer_organization_id)}>
              {shared.has(b.buyer_organization_id) ? t('share.stop') : t('share.start')}
            </button>
          </li>
        ))}
      </ul>
      <ErrorBox error={act.error} />
    </section>
  );
}
