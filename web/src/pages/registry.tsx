// SPDX-License-Identifier: Apache-2.0
// The operator's registry: search by name or 法人番号, certify confirmed assessments, revoke.
import { useState } from 'preact/hooks';
import { get, post, type AssessmentSummary, type Certification, type RegistryOrg } from '../api';
import { Chip, Empty, ErrorBox, Loading, Notice, PageTitle, StandingChip, Star } from '../components';
import { useAction, useLoad } from '../hooks';
import { fmtDate, fmtDateTime, L, orgName, t } from '../i18n';
import type { Key } from '../strings';

interface Pending {
  org: RegistryOrg;
  a: AssessmentSummary;
}

async function search(q: string) {
  const r = await get<{ organizations: RegistryOrg[] }>(`/api/v1/registry?q=${encodeURIComponent(q)}`);
  const companies = r.organizations.filter((o) => o.kind === 'company').slice(0, 100);
  const lists = await Promise.all(
    companies.map((o) =>
      get<{ assessments: AssessmentSummary[] }>(`/api/v1/orgs/${o.id}/assessments`)
        .then((x) => x.assessments.filter((a) => a.state === 'confirmed').map((a) => ({ org: o, a })))
        .catch(() => [] as Pending[]),
    ),
  );
  return { orgs: r.organizations, pending: lists.flat() };
}

export function RegistryPage() {
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const { data, error, loading, reload } = useLoad(() => search(q), [q]);
  // The last certification or revocation, kept here because the list it came from reloads.
  const [flash, setFlash] = useState<string | null>(null);
  const onDone = (message: string) => {
    setFlash(message);
    void reload();
  };
  return (
    <section>
      <PageTitle sub={t('registry.sub')}>{t('registry.title')}</PageTitle>
      <form
        class="card form search-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(input.trim());
        }}
      >
        <div class="row">
          <div class="field grow">
            <label for="reg-q">{t('registry.q')}</label>
            <input id="reg-q" type="search" value={input} onInput={(e) => setInput((e.target as HTMLInputElement).value)} />
          </div>
          <button type="submit" class="btn btn-primary">
            {t('registry.search')}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {flash && (
        <Notice kind="success">
          <p data-testid="registry-flash">{flash}</p>
        </Notice>
      )}
      {loading && !data && <Loading />}
      {data && data.pending.length > 0 && (
        <section class="card card-next" aria-labelledby="pending-title">
          <h2 id="pending-title">{t('registry.pending', { n: data.pending.length })}</h2>
          <ul class="plain">
            {data.pending.map((p) => (
              <li key={p.a.id}>
                <CertifyForm p={p} onDone={onDone} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {data && (
        <section class="card" aria-labelledby="reg-results">
          <h2 id="reg-results">{t('registry.results', { n: data.orgs.length })}</h2>
          {data.orgs.length === 0 ? (
            <Empty>{t('registry.none')}</Empty>
          ) : (
            <div class="table-wrap">
              <table data-testid="registry-table">
                <caption class="visually-hidden">{t('registry.results', { n: data.orgs.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('col.company')}</th>
                    <th scope="col">{t('col.corp')}</th>
                    <th scope="col">{t('col.kind')}</th>
                    <th scope="col">{t('col.certs')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.orgs.map((o) => (
                    <tr key={o.id}>
                      <th scope="row">
                        {o.name}
                        {o.name_en && <div class="muted small">{o.name_en}</div>}
                      </th>
                      <td>{o.corporate_number}</td>
                      <td>{t(`kind.${o.kind}` as Key)}</td>
                      <td>
                        {o.certifications.length === 0 ? (
                          <span class="muted">—</span>
                        ) : (
                          <ul class="plain">
                            {o.certifications.map((c) => (
                              <li key={c.id}>
                                <CertRow c={c} orgLabel={orgName(o)} onDone={onDone} />
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </section>
  );
}

function CertRow({ c, orgLabel, onDone }: { c: Certification; orgLabel: string; onDone: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const act = useAction();
  const id = `rv-${c.id}`;
  const revoke = async (e: Event) => {
    e.preventDefault();
    const ok = await act.run(async () => {
      await post(`/api/v1/certifications/${c.id}/revoke`, { reason: reason.trim() });
      return true;
    });
    if (ok) {
      setOpen(false);
      onDone(t('registry.revoked', { name: orgLabel, level: c.level }));
    }
  };
  return (
    <div class="cert-row">
      <Star level={c.level} /> <StandingChip status={c.status} /> {fmtDate(c.issued_on)} – {fmtDate(c.expires_on)}
      {c.scope && <span class="muted small"> ・ {c.scope}</span>}
      {c.status === 'valid' && !open && (
        <button type="button" class="btn btn-link danger" onClick={() => setOpen(true)}>
          {t('registry.revoke')}
          <span class="visually-hidden"> — {orgLabel} ★{c.level}</span>
        </button>
      )}
      {open && (
        <form class="form revoke-form" onSubmit={revoke}>
          <div class="field">
            <label for={id}>{t('registry.revoke_reason', { name: orgLabel, level: c.level })}</label>
            <textarea id={id} rows={2} required maxLength={2000} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
            <p class="hint">{t('registry.revoke_hint')}</p>
          </div>
          <ErrorBox error={act.error} />
          <button type="submit" class="btn btn-danger" disabled={act.busy || !reason.trim()}>
            {t('registry.revoke_confirm')}
          </button>{' '}
          <button type="button" class="btn btn-ghost" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
    </div>
  );
}

function CertifyForm({ p, onDone }: { p: Pending; onDone: (message: string) => void }) {
  const [scope, setScope] = useState('全社');
  const act = useAction();
  const detail = useLoad(() => get<{ declaration?: { signer_name: string; signer_title: string; declared_at: string } }>(`/api/v1/assessments/${p.a.id}`), [p.a.id]);
  const id = `cf-${p.a.id}`;
  const needsDecl = p.a.level === 3 && detail.data && !detail.data.declaration;
  const certify = async (e: Event) => {
    e.preventDefault();
    const ok = await act.run(async () => {
      await post(`/api/v1/assessments/${p.a.id}/certify`, { scope: scope.trim() || '全社' });
      return true;
    });
    if (ok) onDone(t('registry.certified', { name: orgName(p.org), level: p.a.level }));
  };
  return (
    <form class="form certify-form" onSubmit={certify} data-corp={p.org.corporate_number}>
      <p>
        <strong>{orgName(p.org)}</strong> ({p.org.corporate_number}) — <Star level={p.a.level} />{' '}
        <Chip status={p.a.state}>{L(p.a.state_label)}</Chip> <span class="muted small">{fmtDateTime(p.a.updated_at)}</span>
      </p>
      {p.a.level === 3 && detail.data?.declaration && (
        <p class="small">
          {t('registry.declared', {
            who: `${detail.data.declaration.signer_title} ${detail.data.declaration.signer_name}`,
            when: fmtDate(detail.data.declaration.declared_at),
          })}
        </p>
      )}
      {needsDecl && <p class="warn-text">{t('registry.no_declaration')}</p>}
      <div class="row">
        <div class="field grow">
          <label for={id}>{t('registry.scope')}</label>
          <input id={id} type="text" maxLength={200} value={scope} onInput={(e) => setScope((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit" class="btn btn-primary" disabled={act.busy || !!needsDecl}>
          {t('registry.certify', { level: p.a.level })}
        </button>
      </div>
      <ErrorBox error={act.error} />
    </form>
  );
}
