// SPDX-License-Identifier: Apache-2.0
// Adding a supplier with the scheme's model decision tree: three questions, additional factors,
// the reason → ★3 or ★4; then the request can be sent at once.
import { useRef, useState, useEffect } from 'preact/hooks';
import { post, type Decision, type Org } from '../api';
import { ErrorBox, Notice, PageTitle, Star } from '../components';
import { useAction } from '../hooks';
import { orgName, t } from '../i18n';
import { Link } from '../router';
import { isAdmin, useSession } from '../session';
import { SendRequest } from './portfolio';
import type { Key } from '../strings';

const QUESTIONS: { field: keyof Pick<Decision, 'confidential_info_on_supplier_it' | 'stop_causes_unacceptable_delay' | 'supplier_reaches_internal_systems'>; key: Key; help: Key }[] = [
  { field: 'confidential_info_on_supplier_it', key: 'wizard.q1', help: 'wizard.q1_help' },
  { field: 'stop_causes_unacceptable_delay', key: 'wizard.q2', help: 'wizard.q2_help' },
  { field: 'supplier_reaches_internal_systems', key: 'wizard.q3', help: 'wizard.q3_help' },
];

/** The scheme's rule: any "yes" → ★4; else ★3, raised to ★4 only with at least one additional factor. */
export function requiredLevel(d: Decision): number {
  if (d.confidential_info_on_supplier_it || d.stop_causes_unacceptable_delay || d.supplier_reaches_internal_systems) return 4;
  if (d.raise_to_four && d.additional_factors.length > 0) return 4;
  return 3;
}

interface Added {
  id: string;
  required_level: number;
  supplier?: Org;
}

export function AddSupplierPage() {
  const s = useSession();
  const [step, setStep] = useState(0);
  const [corp, setCorp] = useState('');
  const [answers, setAnswers] = useState<Record<string, boolean | null>>({
    confidential_info_on_supplier_it: null,
    stop_causes_unacceptable_delay: null,
    supplier_reaches_internal_systems: null,
  });
  const [factors, setFactors] = useState<string[]>([]);
  const [factor, setFactor] = useState('');
  const [raise, setRaise] = useState(false);
  const [reason, setReason] = useState('');
  const [added, setAdded] = useState<Added | null>(null);
  const act = useAction();
  const stepRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    stepRef.current?.focus();
  }, [step]);

  if (!isAdmin(s.membership)) {
    return (
      <section>
        <PageTitle>{t('wizard.title')}</PageTitle>
        <p>{t('wizard.admin_only')}</p>
      </section>
    );
  }

  const decision: Decision = {
    confidential_info_on_supplier_it: !!answers.confidential_info_on_supplier_it,
    stop_causes_unacceptable_delay: !!answers.stop_causes_unacceptable_delay,
    supplier_reaches_internal_systems: !!answers.supplier_reaches_internal_systems,
    additional_factors: factors,
    raise_to_four: raise && factors.length > 0,
    reason: reason.trim(),
  };
  const level = requiredLevel(decision);
  const corpOk = /^\d{13}$/.test(corp);
  const questionsOk = QUESTIONS.every((q) => answers[q.field] !== null);
  const steps: Key[] = ['wizard.step_company', 'wizard.step_questions', 'wizard.step_factors', 'wizard.step_reason', 'wizard.step_result'];

  const submit = async () => {
    const res = await act.run(() =>
      post<Added>(`/api/v1/orgs/${s.membership.organization_id}/suppliers`, {
        supplier_corporate_number: corp,
        decision,
      }),
    );
    if (res) setAdded(res);
  };

  if (added) {
    return (
      <section>
        <PageTitle>{t('wizard.done_title')}</PageTitle>
        <Notice kind="success">
          <p data-testid="wizard-done">
            {t('wizard.done', { name: added.supplier ? orgName(added.supplier) : corp, level: added.required_level })}
          </p>
        </Notice>
        <section class="card" aria-labelledby="wz-rq">
          <h2 id="wz-rq">{t('wizard.send_now')}</h2>
          <SendRequest org={s.membership.organization_id} relationshipId={added.id} defaultLevel={added.required_level} onSent={() => undefined} />
        </section>
        <p>
          <Link href="/portfolio">{t('home.to_portfolio')}</Link>
        </p>
      </section>
    );
  }

  return (
    <section class="wizard">
      <PageTitle sub={t('wizard.sub')}>{t('wizard.title')}</PageTitle>
      <ol class="wizard-steps" aria-label={t('wizard.progress')}>
        {steps.map((k, i) => (
          <li key={k} class={i === step ? 'current' : i < step ? 'done' : ''} aria-current={i === step ? 'step' : undefined}>
            <span class="step-no">{i + 1}</span> {t(k)}
          </li>
        ))}
      </ol>
      <form
        class="card form"
        onSubmit={(e) => {
          e.preventDefault();
          if (step < 4) setStep(step + 1);
          else void submit();
        }}
      >
        <h2 tabIndex={-1} ref={stepRef} class="step-title">
          {t('wizard.step_of', { n: step + 1, total: steps.length })} {t(steps[step])}
        </h2>
        {step === 0 && (
          <div class="field">
            <label for="wz-corp">{t('wizard.corp')}</label>
            <input
              id="wz-corp"
              inputMode="numeric"
              autoComplete="off"
              maxLength={13}
              pattern="\d{13}"
              required
              value={corp}
              aria-describedby="wz-corp-hint"
              onInput={(e) => setCorp((e.target as HTMLInputElement).value.replace(/[^\d]/g, ''))}
            />
            <p class="hint" id="wz-corp-hint">
              {t('wizard.corp_hint')}
            </p>
          </div>
        )}
        {step === 1 &&
          QUESTIONS.map((q, i) => (
            <fieldset key={q.field} class="question">
              <legend>
                {t('wizard.q_no', { n: i + 1 })} {t(q.key)}
              </legend>
              <p class="hint">{t(q.help)}</p>
              <div class="inline-radios">
                {[true, false].map((v) => (
                  <label key={String(v)}>
                    <input
                      type="radio"
                      name={`wz-${q.field}`}
                      required
                      checked={answers[q.field] === v}
                      onChange={() => setAnswers({ ...answers, [q.field]: v })}
                    />
                    {v ? t('common.yes') : t('common.no')}
                  </label>
                ))}
              </div>
            </fieldset>
          ))}
        {step === 2 && (
          <>
            <p>{t('wizard.factors_help')}</p>
            {factors.length > 0 && (
              <ul class="plain factor-list">
                {factors.map((f, i) => (
                  <li key={i} class="row">
                    <span>{f}</span>
                    <button type="button" class="btn btn-link" onClick={() => setFactors(factors.filter((_, j) => j !== i))}>
                      {t('common.remove')}
                      <span class="visually-hidden"> {f}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <div class="row">
              <div class="field grow">
                <label for="wz-factor">{t('wizard.factor')}</label>
                <input id="wz-factor" type="text" maxLength={200} value={factor} onInput={(e) => setFactor((e.target as HTMLInputElement).value)} />
              </div>
              <button
                type="button"
                class="btn btn-secondary"
                disabled={!factor.trim() || factors.length >= 20}
                onClick={() => {
                  setFactors([...factors, factor.trim()]);
                  setFactor('');
                }}
              >
                {t('wizard.add_factor')}
              </button>
            </div>
            <label class="check">
              <input type="checkbox" checked={raise} disabled={factors.length === 0} onChange={(e) => setRaise((e.target as HTMLInputElement).checked)} />
              {t('wizard.raise')}
            </label>
            {factors.length === 0 && <p class="hint">{t('wizard.raise_needs_factor')}</p>}
          </>
        )}
        {step === 3 && (
          <div class="field">
            <label for="wz-reason">{t('wizard.reason')}</label>
            <textarea id="wz-reason" rows={4} maxLength={2000} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
            <p class="hint">{t('wizard.reason_hint')}</p>
          </div>
        )}
        {step === 4 && (
          <div class="wizard-result" aria-live="polite">
            <p class="result-level" data-testid="wizard-level">
              {t('wizard.result')} <Star level={level} />
            </p>
            <p>{explain(decision)}</p>
            <dl class="facts">
              <div>
                <dt>{t('wizard.corp')}</dt>
                <dd>{corp}</dd>
              </div>
              {QUESTIONS.map((q, i) => (
                <div key={q.field}>
                  <dt>{t('wizard.q_no', { n: i + 1 })}</dt>
                  <dd>{decision[q.field] ? t('common.yes') : t('common.no')}</dd>
                </div>
              ))}
              <div>
                <dt>{t('wizard.step_factors')}</dt>
                <dd>{factors.length ? factors.join('、') : t('common.none')}</dd>
              </div>
              <div>
                <dt>{t('wizard.reason')}</dt>
                <dd>{reason.trim() || '—'}</dd>
              </div>
            </dl>
            <ErrorBox error={act.error} />
          </div>
        )}
        <div class="row wizard-nav">
          {step > 0 && (
            <button type="button" class="btn btn-ghost" onClick={() => setStep(step - 1)}>
              {t('common.back')}
            </button>
          )}
          <button
            type="submit"
            class="btn btn-primary"
            disabled={(step === 0 && !corpOk) || (step === 1 && !questionsOk) || act.busy}
            data-testid="wizard-next"
          >
            {step < 4 ? t('common.next') : t('wizard.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

function explain(d: Decision): string {
  const yes = QUESTIONS.map((q, i) => (d[q.field] ? i + 1 : 0)).filter(Boolean);
  if (yes.length) return t('wizard.why4_q', { qs: yes.join(', ') });
  if (d.raise_to_four) return t('wizard.why4_factor');
  return t('wizard.why3');
}
