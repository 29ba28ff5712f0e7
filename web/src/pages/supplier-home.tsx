// SPDX-License-Identifier: Apache-2.0
// A company's home: the one next step, the ★ ladder, requests from buyers, certificates, and —
// when the company is also a buyer — a short summary of its suppliers.
import { useState } from 'preact/hooks';
import {
  get,
  post,
  put,
  type Assessment,
  type AssessmentSummary,
  type Certification,
  type Evaluation,
  type Portfolio,
  type RequestRec,
} from '../api';
import { Chip, Empty, ErrorBox, Loading, PageTitle, Progress, StandingChip, Star } from '../components';
import { useAction, useLoad } from '../hooks';
import { fmtDate, L, orgName, t } from '../i18n';
import { Link, navigate } from '../router';
import { isAdmin, useSession } from '../session';
import { RespondToRequest } from './requests';

const OPEN_STATES = ['draft', 'returned', 'submitted', 'in_review', 'confirmed'];

interface HomeData {
  assessments: AssessmentSummary[];
  certifications: Certification[];
  incoming: RequestRec[];
  portfolio: Portfolio | null;
  active: { a: Assessment; ev: Evaluation } | null;
}

async function loadHome(org: string): Promise<HomeData> {
  const [as, cs, rq, pf] = await Promise.all([
    get<{ assessments: AssessmentSummary[] }>(`/api/v1/orgs/${org}/assessments`),
    get<{ certifications: Certification[] }>(`/api/v1/orgs/${org}/certifications`),
    get<{ incoming: RequestRec[]; outgoing: RequestRec[] }>(`/api/v1/orgs/${org}/requests`),
    get<Portfolio>(`/api/v1/orgs/${org}/portfolio`).catch(() => null),
  ]);
  const open = as.assessments
    .filter((a) => OPEN_STATES.includes(a.state))
    .sort((x, y) => y.updated_at.localeCompare(x.updated_at))[0];
  let active: HomeData['active'] = null;
  if (open) {
    const [a, ev] = await Promise.all([
      get<Assessment>(`/api/v1/assessments/${open.id}`),
      get<Evaluation>(`/api/v1/assessments/${open.id}/evaluation`),
    ]);
    active = { a, ev };
  }
  return {
    assessments: as.assessments,
    certifications: cs.certifications,
    incoming: rq.incoming,
    portfolio: pf,
    active,
  };
}

export function CompanyHome() {
  const s = useSession();
  const org = s.membership.organization;
  const { data, error, loading, reload } = useLoad(() => loadHome(org.id), [org.id]);

  return (
    <section>
      <PageTitle sub={t('home.sub', { corp: org.corporate_number })}>{orgName(org)}</PageTitle>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && (
        <div class="home-grid">
          <NextStep data={data} reload={reload} />
          <Ladder data={data} />
          <IncomingRequests incoming={data.incoming} reload={reload} />
          <Certificates certs={data.certifications} />
          <Buyers org={org.id} />
          {data.portfolio && data.portfolio.summary.total > 0 && <BuyerSummary p={data.portfolio} />}
        </div>
      )}
    </section>
  );
}

function bestValid(certs: Certification[]): Certification | undefined {
  return certs.filter((c) => c.status === 'valid').sort((a, b) => b.level - a.level)[0];
}

function NextStep({ data, reload }: { data: HomeData; reload: () => void }) {
  const s = useSession();
  const admin = isAdmin(s.membership);
  const pending = data.incoming.filter((r) => r.state === 'sent').sort((a, b) => a.due_on.localeCompare(b.due_on));
  const held = bestValid(data.certifications);
  const accepted = data.incoming
    .filter((r) => r.state === 'accepted' && (!held || held.level < r.level))
    .sort((a, b) => a.due_on.localeCompare(b.due_on))[0];

  let body: preact.ComponentChildren;
  if (data.active) {
    body = (
      <>
        {pending.length > 0 && (
          <div class="next-pending">
            <p>
              <strong>
                {t('next.request_pending', { buyer: orgName(pending[0].buyer), level: pending[0].level, due: fmtDate(pending[0].due_on) })}
              </strong>{' '}
              <a href="#incoming">{t('next.request_go')}</a>
            </p>
          </div>
        )}
        <ActiveStep a={data.active.a} ev={data.active.ev} request={accepted} />
      </>
    );
  } else if (pending.length) {
    const r = pending[0];
    body = (
      <>
        <p class="next-lead">
          {t('next.request_pending', { buyer: orgName(r.buyer), level: r.level, due: fmtDate(r.due_on) })}
        </p>
        {r.message && <blockquote class="quote">{r.message}</blockquote>}
        <p>{admin ? t('next.request_answer') : t('next.request_answer_admin')}</p>
        <p>
          <a href="#incoming" class="btn btn-primary">
            {t('next.request_go')}
          </a>
        </p>
      </>
    );
  } else if (accepted) {
    body = (
      <>
        <p class="next-lead">
          {t('next.start_for_request', { buyer: orgName(accepted.buyer), level: accepted.level, due: fmtDate(accepted.due_on) })}
        </p>
        <StartAssessment level={accepted.level} onDone={reload} />
      </>
    );
  } else if (held) {
    body = (
      <>
        <p class="next-lead">{t('next.held', { level: held.level, until: fmtDate(held.expires_on) })}</p>
        {held.expiring_soon && <p class="warn-text">{t('next.expiring')}</p>}
        <p>
          <Link class="btn btn-secondary" href={`/certificates/${held.id}`}>
            {t('next.show_certificate')}
          </Link>
        </p>
        {held.level < 4 && (
          <details>
            <summary>{t('next.start_other')}</summary>
            <StartAssessment level={4} onDone={reload} />
          </details>
        )}
      </>
    );
  } else if (data.portfolio && data.portfolio.summary.total > 0 && data.assessments.length === 0) {
    const sm = data.portfolio.summary;
    body = (
      <>
        <p class="next-lead">{t('next.buyer', { total: sm.total, below: sm.total - sm.meeting_requirement })}</p>
        <p>
          <Link class="btn btn-primary" href="/portfolio">
            {t('home.to_portfolio')}
          </Link>
        </p>
        <details>
          <summary>{t('next.start_own')}</summary>
          <StartAssessment level={3} chooser onDone={reload} />
        </details>
      </>
    );
  } else {
    body = (
      <>
        <p class="next-lead">{t('next.start_first')}</p>
        <p>{t('next.start_first_help')}</p>
        <StartAssessment level={3} chooser onDone={reload} />
      </>
    );
  }
  return (
    <section class="card card-next" aria-labelledby="next-title">
      <h2 id="next-title">{t('next.title')}</h2>
      {body}
    </section>
  );
}

function ActiveStep({ a, ev, request }: { a: Assessment; ev: Evaluation; request?: RequestRec }) {
  const s = useSession();
  const admin = isAdmin(s.membership);
  const unanswered = ev.counts.unanswered ?? 0;
  const answered = ev.criteria_at_level - unanswered;
  const gaps = ev.gaps.filter((g) => g.status !== 'unanswered').length;
  const reviewer = a.level >= 4 ? a.assigned?.evaluator : a.assigned?.expert;
  const href = `/assessments/${a.id}`;
  let lead: string;
  let action: preact.ComponentChildren = null;
  switch (a.state) {
    case 'draft':
    case 'returned':
      if (unanswered > 0) {
        lead = t('next.answer', { level: a.level, n: unanswered });
        action = (
          <Link class="btn btn-primary" href={href}>
            {t('next.continue')}
          </Link>
        );
      } else if (gaps > 0) {
        lead = t('next.gaps', { n: gaps });
        action = (
          <Link class="btn btn-primary" href={href}>
            {t('next.fix_gaps')}
          </Link>
        );
      } else if (!reviewer) {
        lead = a.level >= 4 ? t('next.choose_evaluator') : t('next.choose_expert');
        action = (
          <Link class="btn btn-primary" href={`${href}#submit`}>
            {admin ? t('next.choose_go') : t('next.open')}
          </Link>
        );
      } else {
        lead = t('next.submit', { who: reviewer.display_name ?? '' });
        action = (
          <Link class="btn btn-primary" href={`${href}#submit`}>
            {t('next.submit_go')}
          </Link>
        );
      }
      if (a.state === 'returned') lead = `${t('next.returned')} ${lead}`;
      break;
    case 'submitted':
      lead = t('next.wait_start', { who: reviewer?.display_name ?? '' });
      break;
    case 'in_review':
      lead = t('next.wait_review', { who: reviewer?.display_name ?? '' });
      break;
    case 'confirmed':
      if (a.level === 3 && !a.declaration) {
        lead = admin ? t('next.declare') : t('next.declare_admin');
        action = (
          <Link class="btn btn-primary" href={`${href}#declaration`}>
            {t('next.declare_go')}
          </Link>
        );
      } else {
        lead = t('next.wait_certify');
      }
      break;
    default:
      lead = L(a.state_label);
  }
  return (
    <>
      {request && (
        <p class="muted">
          {t('next.for_request', { buyer: orgName(request.buyer), level: request.level, due: fmtDate(request.due_on) })}
        </p>
      )}
      <p class="next-lead" data-testid="next-step">
        {lead}
      </p>
      <dl class="facts">
        <div>
          <dt>{t('home.assessment')}</dt>
          <dd>
            <Star level={a.level} /> <Chip status={a.state}>{L(a.state_label)}</Chip>
          </dd>
        </div>
        <div>
          <dt>{t('home.answered')}</dt>
          <dd>
            {answered} / {ev.criteria_at_level}
            <Progress value={answered} max={ev.criteria_at_level} label={t('home.answered')} />
          </dd>
        </div>
        <div>
          <dt>{t('home.gaps')}</dt>
          <dd>{gaps}</dd>
        </div>
      </dl>
      {ev.gaps.filter((g) => g.status !== 'unanswered').length > 0 && (
        <details>
          <summary>{t('home.gap_list')}</summary>
          <ul class="gap-list">
            {ev.gaps
              .filter((g) => g.status !== 'unanswered')
              .slice(0, 10)
              .map((g) => (
                <li key={g.criterion}>
                  <code>{g.criterion}</code> {g.requirement_title_ja} — {L(g.guidance)}
                </li>
              ))}
          </ul>
        </details>
      )}
      {action && <p>{action}</p>}
    </>
  );
}

function StartAssessment({ level, chooser, onDone }: { level: number; chooser?: boolean; onDone: () => void }) {
  const s = useSession();
  const [lv, setLv] = useState(level);
  const { busy, error, run } = useAction();
  const start = async () => {
    const res = await run(() =>
      post<AssessmentSummary>(`/api/v1/orgs/${s.membership.organization_id}/assessments`, { level: lv }),
    );
    if (res) {
      onDone();
      navigate(`/assessments/${res.id}`);
    }
  };
  return (
    <div class="start">
      <ErrorBox error={error} />
      {chooser && (
        <fieldset class="inline-radios">
          <legend>{t('start.level')}</legend>
          {[3, 4].map((n) => (
            <label key={n}>
              <input type="radio" name="start-level" checked={lv === n} onChange={() => setLv(n)} />★{n}
              <span class="muted"> {n === 3 ? t('start.level3') : t('start.level4')}</span>
            </label>
          ))}
        </fieldset>
      )}
      <button type="button" class="btn btn-primary" onClick={start} disabled={busy}>
        {t('start.button', { level: lv })}
      </button>
    </div>
  );
}

/** SECURITY ACTION ★1 → ★2 → SCS ★3 → ★4, with where the company stands. */
function Ladder({ data }: { data: HomeData }) {
  const held = bestValid(data.certifications);
  const heldLevel = held?.level ?? 0;
  const activeLevel = data.active?.a.level ?? 0;
  const requested = Math.max(0, ...data.incoming.filter((r) => r.state !== 'declined').map((r) => r.level));
  const steps = [
    { level: 1, scheme: 'SECURITY ACTION', desc: t('ladder.sa1') },
    { level: 2, scheme: 'SECURITY ACTION', desc: t('ladder.sa2') },
    { level: 3, scheme: 'SCS', desc: t('ladder.scs3') },
    { level: 4, scheme: 'SCS', desc: t('ladder.scs4') },
  ];
  const currentLevel = activeLevel || (heldLevel ? heldLevel : 1);
  return (
    <section class="card" aria-labelledby="ladder-title">
      <h2 id="ladder-title">{t('ladder.title')}</h2>
      <ol class="ladder">
        {steps.map((st) => {
          let state: string;
          if (st.level <= 2) state = heldLevel >= 3 ? 'passed' : 'self';
          else if (heldLevel >= st.level) state = 'held';
          else if (activeLevel === st.level) state = 'working';
          else state = 'todo';
          const isCurrent = st.level === currentLevel;
          return (
            <li key={st.level} class={`ladder-step ladder-${state}`} aria-current={isCurrent ? 'step' : undefined}>
              <span class="ladder-star">
                {st.scheme} ★{st.level}
              </span>
              <span class="ladder-desc">{st.desc}</span>
              <span class="ladder-state">
                {t(`ladder.state.${state}` as 'ladder.state.held')}
                {requested === st.level && <strong class="ladder-req"> {t('ladder.requested')}</strong>}
              </span>
            </li>
          );
        })}
      </ol>
      <p class="muted small">{t('ladder.note')}</p>
    </section>
  );
}

function IncomingRequests({ incoming, reload }: { incoming: RequestRec[]; reload: () => void }) {
  const s = useSession();
  return (
    <section class="card" id="incoming" aria-labelledby="incoming-title">
      <h2 id="incoming-title">{t('home.requests')}</h2>
      {incoming.length === 0 ? (
        <Empty>{t('home.no_requests')}</Empty>
      ) : (
        <ul class="request-list">
          {incoming.map((r) => (
            <li key={r.id}>
              <p>
                <strong>{orgName(r.buyer)}</strong> — <Star level={r.level} /> {t('home.due', { date: fmtDate(r.due_on) })}{' '}
                <Chip status={r.state}>{L(r.state_label)}</Chip>
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
  );
}

function Certificates({ certs }: { certs: Certification[] }) {
  return (
    <section class="card" aria-labelledby="certs-title">
      <h2 id="certs-title">{t('home.certs')}</h2>
      {certs.length === 0 ? (
        <Empty>{t('home.no_certs')}</Empty>
      ) : (
        <ul class="cert-list">
          {certs.map((c) => (
            <li key={c.id}>
              <Star level={c.level} /> <StandingChip status={c.status} />{' '}
              {t('home.valid_until', { date: fmtDate(c.expires_on) })}{' '}
              <Link href={`/certificates/${c.id}`}>{t('home.open_cert')}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function BuyerSummary({ p }: { p: Portfolio }) {
  return (
    <section class="card" aria-labelledby="buyer-title">
      <h2 id="buyer-title">{t('home.as_buyer')}</h2>
      <p>
        {t('home.buyer_line', { meet: p.summary.meeting_requirement, total: p.summary.total })}
      </p>
      <p>
        <Link href="/portfolio">{t('home.to_portfolio')}</Link>
      </p>
    </section>
  );
}

interface BuyerRel {
  id: string;
  buyer: { id: string; name: string; name_en?: string };
  required_level: number;
  name_consent: boolean;
  decision?: { reason?: string };
}

/** The buyers that added this company, the level each requires, and consent to name disclosure upstream. */
function Buyers({ org }: { org: string }) {
  const s = useSession();
  const { data, reload } = useLoad(() => get<{ buyers: BuyerRel[] }>(`/api/v1/orgs/${org}/buyers`), [org]);
  const act = useAction();
  if (!data || data.buyers.length === 0) return null;
  const toggle = async (b: BuyerRel) => {
    const ok = await act.run(async () => {
      await put(`/api/v1/relationships/${b.id}/consent`, { consent: !b.name_consent });
      return true;
    });
    if (ok) await reload();
  };
  return (
    <section class="card" aria-labelledby="buyers-title">
      <h2 id="buyers-title">{t('buyers.title')}</h2>
      <ul class="plain">
        {data.buyers.map((b) => (
          <li key={b.id}>
            <p>
              <strong>{orgName(b.buyer)}</strong> — {t('buyers.requires')} <Star level={b.required_level} />
            </p>
            {b.decision?.reason && <p class="muted small">{t('buyers.reason', { reason: b.decision.reason })}</p>}
            <p class="row">
              <span class={`chip ${b.name_consent ? 'chip-ok' : 'chip-muted'}`}>
                {b.name_consent ? t('buyers.consent_on') : t('buyers.consent_off')}
              </span>
              {isAdmin(s.membership) && (
                <button type="button" class="btn btn-secondary btn-small" disabled={act.busy} onClick={() => toggle(b)}>
                  {b.name_consent ? t('buyers.consent_stop') : t('buyers.consent_give')}
                  <span class="visually-hidden"> — {orgName(b.buyer)}</span>
                </button>
              )}
            </p>
          </li>
        ))}
      </ul>
      <p class="hint">{t('buyers.help')}</p>
      <ErrorBox error={act.error} />
    </section>
  );
}
