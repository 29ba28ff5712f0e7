// SPDX-License-Identifier: Apache-2.0
// Per-criterion review by the assigned expert (★3) or evaluator (★4): start, comment, return with
// a reason or confirm; for ★4 also the document / on-site results and the technical report.
import { useMemo, useState } from 'preact/hooks';
import { get, post, uploadRaw, type Comment, type ReviewItem, type Upload } from '../api';
import { Chip, ErrorBox, Loading, Notice, PageTitle, Progress } from '../components';
import { useAction, useLoad } from '../hooks';
import { fmtBytes, fmtDate, fmtDateTime, getLang, L, orgName, t } from '../i18n';
import { Link } from '../router';
import { loadAssessment, ParaphraseNote, sectionsFor } from './assessment';

export function ReviewPage({ id }: { id: string }) {
  const { data, error, loading, reload } = useLoad(async () => {
    const [l, q] = await Promise.all([loadAssessment(id), get<{ reviews: ReviewItem[] }>('/api/v1/reviews')]);
    return { ...l, item: q.reviews.find((r) => r.id === id) ?? null };
  }, [id]);
  const [filter, setFilter] = useState<'all' | 'gaps' | 'evidence' | 'commented'>('all');
  const sections = useMemo(() => (data ? sectionsFor(data.cat, data.a.level) : []), [data]);

  if (!data) {
    return (
      <section>
        <PageTitle>{t('review.title_generic')}</PageTitle>
        <ErrorBox error={error} />
        {loading && <Loading />}
      </section>
    );
  }
  const { a, cat, ev, comments, item } = data;
  const company = item ? orgName(item.organization) : '';
  const gapIds = new Set(ev.gaps.map((g) => g.criterion));
  const inReview = a.state === 'in_review';
  const visible = (cid: string) =>
    filter === 'all' ||
    (filter === 'gaps' && gapIds.has(cid)) ||
    (filter === 'evidence' && (a.answers[cid]?.evidence?.length ?? 0) > 0) ||
    (filter === 'commented' && comments.some((c) => c.criterion_id === cid));

  return (
    <section class="review">
      <PageTitle
        sub={
          <>
            {item?.organization.corporate_number && `${t('col.corp')} ${item.organization.corporate_number} ・ `}
            <Chip status={a.state}>{L(a.state_label)}</Chip>
          </>
        }
      >
        {t(a.level >= 4 ? 'review.title4' : 'review.title3', { company, level: a.level })}
      </PageTitle>
      <p>
        <Link href="/">{t('review.back')}</Link>
      </p>
      <Actions a={a} reload={reload} />
      <section class="card">
        <dl class="facts">
          <div>
            <dt>{t('assess.answered')}</dt>
            <dd>
              {ev.criteria_at_level - (ev.counts.unanswered ?? 0)} / {ev.criteria_at_level}
            </dd>
          </div>
          <div>
            <dt>{t('assess.gaps')}</dt>
            <dd data-testid="review-gaps">{ev.gaps.length}</dd>
          </div>
          <div>
            <dt>{t('review.requirements')}</dt>
            <dd>
              {ev.requirements_conformant} / {ev.requirements_at_level}
            </dd>
          </div>
          <div>
            <dt>{t('assess.verdict')}</dt>
            <dd>{ev.level_met ? t('assess.met') : t('assess.not_met')}</dd>
          </div>
          <div>
            <dt>{t('review.overdue')}</dt>
            <dd>{ev.overdue_checks.length}</dd>
          </div>
        </dl>
        <fieldset class="inline-radios">
          <legend>{t('assess.show')}</legend>
          {(['all', 'gaps', 'evidence', 'commented'] as const).map((f) => (
            <label key={f}>
              <input type="radio" name="rev-filter" checked={filter === f} onChange={() => setFilter(f)} />
              {t(`review.filter.${f}`)}
            </label>
          ))}
        </fieldset>
      </section>
      {a.level >= 4 && <Star4Panel id={a.id} results={a.review_results} uploads={a.uploads} inReview={inReview} reload={reload} />}
      <ParaphraseNote cat={cat} />
      {comments.filter((c) => !c.criterion_id).length > 0 && (
        <Notice kind="info" title={t('review.general_comments')}>
          {comments
            .filter((c) => !c.criterion_id)
            .map((c) => (
              <p key={c.id}>
                {c.body} <span class="muted">（{fmtDateTime(c.created_at)}）</span>
              </p>
            ))}
        </Notice>
      )}
      {sections.map((sc) => {
        const reqs = sc.requirements.filter((r) => r.at.some((c) => visible(c.id)));
        if (!reqs.length) return null;
        return (
          <section key={sc.id} class="category" aria-labelledby={`rc-${sc.id}`}>
            <h2 id={`rc-${sc.id}`}>{sc.title}</h2>
            {reqs.map((r) => (
              <section key={r.id} class="requirement" aria-labelledby={`rr-${r.id}`}>
                <h3 id={`rr-${r.id}`}>
                  <code>{r.id}</code> <span lang="ja">{r.title_ja}</span>
                  {getLang() === 'en' && r.title_en && <span class="muted"> ({r.title_en})</span>}
                </h3>
                {r.at
                  .filter((c) => visible(c.id))
                  .map((c) => {
                    const ans = a.answers[c.id];
                    const status = ans?.status ?? 'unanswered';
                    const files = a.uploads.filter((u) => u.kind === 'evidence' && u.criterion_id === c.id);
                    return (
                      <article key={c.id} class={`criterion ${gapIds.has(c.id) ? 'criterion-gap' : ''}`} data-criterion={c.id}>
                        <h4>
                          <code>{c.id}</code> {L(c.guidance)}
                        </h4>
                        <p>
                          <Chip status={status === 'implemented' ? 'valid' : status === 'not_applicable' ? 'none' : 'pending'}>
                            {t(`status.${status}`)}
                          </Chip>
                          {ans?.last_checked && <span class="muted"> ・ {t('assess.last_checked')}: {fmtDate(ans.last_checked)}</span>}
                        </p>
                        {ans?.reason && (
                          <p>
                            <span class="label-inline">{t('assess.reason')}</span> {ans.reason}
                          </p>
                        )}
                        {ans?.note && (
                          <p>
                            <span class="label-inline">{t('assess.note')}</span> {ans.note}
                          </p>
                        )}
                        <p class="hint">
                          <span class="label-inline">{t('assess.evidence_hint')}</span> {L(c.evidence_hint)}
                        </p>
                        {files.length > 0 && (
                          <ul class="evidence-list">
                            {files.map((u) => (
                              <li key={u.sha256}>
                                <a href={`/api/v1/assessments/${a.id}/evidence/${u.sha256}`} download={u.filename}>
                                  {u.filename}
                                </a>{' '}
                                <span class="muted">({fmtBytes(u.size)})</span>
                                {ans?.evidence?.includes(u.sha256) && <span class="chip chip-ok">{t('assess.cited')}</span>}
                              </li>
                            ))}
                          </ul>
                        )}
                        <CriterionComments assessmentId={a.id} criterion={c.id} comments={comments.filter((x) => x.criterion_id === c.id)} canComment={inReview} reload={reload} />
                      </article>
                    );
                  })}
              </section>
            ))}
          </section>
        );
      })}
    </section>
  );
}

function Actions({ a, reload }: { a: { id: string; state: string; level: number; next_events: string[] }; reload: () => Promise<void> }) {
  const act = useAction();
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const doPost = async (path: string, body?: unknown) => {
    const ok = await act.run(async () => {
      await post(`/api/v1/assessments/${a.id}/${path}`, body);
      return true;
    });
    if (ok) {
      setReason('');
      setConfirming(false);
      await reload();
    }
  };
  const can = (e: string) => a.next_events.includes(e);
  return (
    <section class="card card-next" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('review.actions')}</h2>
      {a.state === 'submitted' && (
        <>
          <p>{t('review.start_help')}</p>
          <button type="button" class="btn btn-primary" disabled={act.busy || !can('start_review')} onClick={() => doPost('review/start')} data-testid="start-review">
            {t('review.start')}
          </button>
        </>
      )}
      {a.state === 'in_review' && (
        <div class="review-actions">
          <div class="field-group">
            <h3>{t('review.confirm_title')}</h3>
            <p>{a.level >= 4 ? t('review.confirm_help4') : t('review.confirm_help3')}</p>
            {!confirming ? (
              <button type="button" class="btn btn-primary" disabled={act.busy || !can('confirm')} onClick={() => setConfirming(true)} data-testid="confirm">
                {t('review.confirm')}
              </button>
            ) : (
              <div class="confirm-box" role="group" aria-label={t('review.confirm_title')}>
                <p>
                  <strong>{t('review.confirm_sure')}</strong>
                </p>
                <button type="button" class="btn btn-primary" disabled={act.busy} onClick={() => doPost('confirm')} data-testid="confirm-yes">
                  {t('review.confirm_yes')}
                </button>{' '}
                <button type="button" class="btn btn-ghost" onClick={() => setConfirming(false)}>
                  {t('common.cancel')}
                </button>
              </div>
            )}
          </div>
          <form
            class="field-group form"
            onSubmit={(e) => {
              e.preventDefault();
              void doPost('return', { reason: reason.trim() });
            }}
          >
            <h3>{t('review.return_title')}</h3>
            <div class="field">
              <label for="return-reason">{t('review.return_reason')}</label>
              <textarea id="return-reason" rows={3} maxLength={4000} required value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
              <p class="hint">{t('review.return_hint')}</p>
            </div>
            <button type="submit" class="btn btn-secondary" disabled={act.busy || !reason.trim() || !can('return')}>
              {t('review.return')}
            </button>
          </form>
        </div>
      )}
      {a.state === 'confirmed' && <Notice kind="success">{t('review.confirmed')}</Notice>}
      {a.state === 'returned' && <Notice kind="info">{t('review.returned')}</Notice>}
      {['draft', 'certified', 'expired'].includes(a.state) && <p>{t('review.nothing')}</p>}
      <ErrorBox error={act.error} />
    </section>
  );
}

function CriterionComments({
  assessmentId,
  criterion,
  comments,
  canComment,
  reload,
}: {
  assessmentId: string;
  criterion: string;
  comments: Comment[];
  canComment: boolean;
  reload: () => Promise<void>;
}) {
  const [body, setBody] = useState('');
  const [open, setOpen] = useState(false);
  const act = useAction();
  const id = `cm-${criterion}`;
  const send = async (e: Event) => {
    e.preventDefault();
    const ok = await act.run(async () => {
      await post(`/api/v1/assessments/${assessmentId}/comments`, { criterion_id: criterion, body: body.trim() });
      return true;
    });
    if (ok) {
      setBody('');
      setOpen(false);
      await reload();
    }
  };
  return (
    <div class="comments">
      {comments.length > 0 && (
        <ul>
          {comments.map((c) => (
            <li key={c.id}>
              {c.body} <span class="muted">（{fmtDateTime(c.created_at)}）</span>
            </li>
          ))}
        </ul>
      )}
      {canComment &&
        (open ? (
          <form class="form" onSubmit={send}>
            <div class="field">
              <label for={id}>{t('review.comment_label', { id: criterion })}</label>
              <textarea id={id} rows={2} maxLength={4000} value={body} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
            </div>
            <button type="submit" class="btn btn-secondary btn-small" disabled={act.busy || !body.trim()}>
              {t('review.comment_send')}
            </button>{' '}
            <button type="button" class="btn btn-ghost btn-small" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
            <ErrorBox error={act.error} />
          </form>
        ) : (
          <button type="button" class="btn btn-link" onClick={() => setOpen(true)}>
            {t('review.comment_add')}
            <span class="visually-hidden"> {criterion}</span>
          </button>
        ))}
    </div>
  );
}

function Star4Panel({
  id,
  results,
  uploads,
  inReview,
  reload,
}: {
  id: string;
  results: { kind: 'document' | 'onsite'; result: 'pass' | 'fail'; note: string; recorded_at: string }[];
  uploads: Upload[];
  inReview: boolean;
  reload: () => Promise<void>;
}) {
  const reports = uploads.filter((u) => u.kind !== 'evidence');
  const [progress, setProgress] = useState<number | null>(null);
  const up = useAction();
  const onFile = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setProgress(0);
    const res = await up.run(() => uploadRaw(`/api/v1/assessments/${id}/report?filename=${encodeURIComponent(file.name)}`, file, setProgress));
    setProgress(null);
    input.value = '';
    if (res) await reload();
  };
  return (
    <section class="card" aria-labelledby="s4-title">
      <h2 id="s4-title">{t('review4.title')}</h2>
      <div class="grid-2">
        {(['document', 'onsite'] as const).map((kind) => (
          <ResultForm key={kind} id={id} kind={kind} latest={results.filter((r) => r.kind === kind).at(-1)} canRecord={inReview} reload={reload} />
        ))}
      </div>
      <div class="field-group">
        <h3>{t('submit.report')}</h3>
        {reports.length === 0 ? (
          <p>{t('submit.no_report')}</p>
        ) : (
          <ul class="evidence-list">
            {reports.map((u) => (
              <li key={u.sha256}>
                <a href={`/api/v1/assessments/${id}/evidence/${u.sha256}`} download={u.filename}>
                  {u.filename}
                </a>{' '}
                <span class="muted">
                  ({fmtBytes(u.size)}, {fmtDate(u.uploaded_at)})
                </span>
              </li>
            ))}
          </ul>
        )}
        <div class="field field-inline">
          <label for="eval-report">{t('submit.report_file')}</label>
          <input id="eval-report" type="file" onChange={onFile} disabled={progress !== null} />
        </div>
        {progress !== null && <Progress value={Math.round(progress * 100)} max={100} label={t('assess.uploading')} />}
        <ErrorBox error={up.error} />
      </div>
    </section>
  );
}

function ResultForm({
  id,
  kind,
  latest,
  canRecord,
  reload,
}: {
  id: string;
  kind: 'document' | 'onsite';
  latest?: { result: 'pass' | 'fail'; note: string; recorded_at: string };
  canRecord: boolean;
  reload: () => Promise<void>;
}) {
  const [result, setResult] = useState<'pass' | 'fail'>('pass');
  const [note, setNote] = useState('');
  const act = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await act.run(async () => {
      await post(`/api/v1/assessments/${id}/reviews/${kind}`, { result, note: note.trim() });
      return true;
    });
    if (ok) {
      setNote('');
      await reload();
    }
  };
  return (
    <form class="field-group form" onSubmit={submit}>
      <h3>{t(`review4.${kind}`)}</h3>
      <p>
        {latest ? (
          <>
            <Chip status={latest.result}>{t(`review4.${latest.result}`)}</Chip> {latest.note}{' '}
            <span class="muted">（{fmtDateTime(latest.recorded_at)}）</span>
          </>
        ) : (
          t('review4.none')
        )}
      </p>
      {canRecord && (
        <>
          <fieldset class="inline-radios">
            <legend>{t('review4.result')}</legend>
            {(['pass', 'fail'] as const).map((r) => (
              <label key={r}>
                <input type="radio" name={`${kind}-result`} checked={result === r} onChange={() => setResult(r)} />
                {t(`review4.${r}`)}
              </label>
            ))}
          </fieldset>
          <div class="field">
            <label for={`${kind}-note`}>{t('review4.note')}</label>
            <textarea id={`${kind}-note`} rows={2} maxLength={4000} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
          </div>
          <button type="submit" class="btn btn-secondary" disabled={act.busy}>
            {t('review4.record')}
          </button>
          <ErrorBox error={act.error} />
        </>
      )}
    </form>
  );
}
