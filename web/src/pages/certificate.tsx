// SPDX-License-Identifier: Apache-2.0
// A printable certificate with a QR code to the public lookup, and the signed credential (JSON)
// downloaded byte for byte (any change makes it invalid).
import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';
import { get, getBlob, saveBlob, type Certification } from '../api';
import { ErrorBox, Loading, PageTitle, StandingChip, Star } from '../components';
import { useAction, useLoad } from '../hooks';
import { fmtDate, getLang, t } from '../i18n';
import { useSession } from '../session';

const OFFICIAL_TITLE = 'サプライチェーン強化に向けたセキュリティ対策評価制度';

export function lookupUrl(corporateNumber: string): string {
  return `${location.origin}/api/v1/public/lookup/${corporateNumber}`;
}

export function CertificatePage({ id }: { id: string }) {
  const s = useSession();
  const org = s.membership.organization;
  const { data, error, loading } = useLoad(async () => {
    const [certs, issuer] = await Promise.all([
      get<{ certifications: Certification[] }>(`/api/v1/orgs/${org.id}/certifications`),
      get<{ id: string; name: string }>('/api/v1/public/issuer').catch(() => null),
    ]);
    return { cert: certs.certifications.find((c) => c.id === id) ?? null, issuer };
  }, [org.id, id]);
  const [qr, setQr] = useState<string | null>(null);
  const dl = useAction();
  const url = lookupUrl(org.corporate_number);

  useEffect(() => {
    QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 1, width: 220 })
      .then(setQr)
      .catch(() => setQr(null));
  }, [url]);

  const download = () =>
    dl.run(async () => {
      const blob = await getBlob(`/api/v1/certifications/${id}/credential`);
      saveBlob(blob, `scs-star-credential-${org.corporate_number}-${id}.json`);
      return true;
    });

  if (!data) {
    return (
      <section>
        <PageTitle>{t('cert.title')}</PageTitle>
        <ErrorBox error={error} />
        {loading && <Loading />}
      </section>
    );
  }
  const c = data.cert;
  if (!c) {
    return (
      <section>
        <PageTitle>{t('cert.title')}</PageTitle>
        <p>{t('cert.not_found')}</p>
      </section>
    );
  }
  return (
    <section class="certificate-page">
      <div class="no-print">
        <PageTitle sub={t('cert.sub')}>{t('cert.title')}</PageTitle>
        <div class="row actions">
          <button type="button" class="btn btn-primary" onClick={() => window.print()}>
            {t('cert.print')}
          </button>
          <button type="button" class="btn btn-secondary" onClick={download} disabled={dl.busy} data-testid="download-credential">
            {t('cert.download')}
          </button>
        </div>
        <p class="hint">{t('cert.download_help')}</p>
        <ErrorBox error={dl.error} />
      </div>
      <article class="certificate" aria-label={t('cert.title')}>
        <p class="cert-scheme" lang="ja">
          {OFFICIAL_TITLE}
        </p>
        <h2 class="cert-heading">
          <Star level={c.level} /> <span lang="ja">認定証</span>
          {getLang() === 'en' ? ' (Certificate)' : ''}
        </h2>
        <p class="cert-holder">{org.name}</p>
        {org.name_en && <p class="cert-holder-en">{org.name_en}</p>}
        <dl class="cert-facts">
          <div>
            <dt>{t('cert.corp')}</dt>
            <dd>{org.corporate_number}</dd>
          </div>
          <div>
            <dt>{t('cert.level')}</dt>
            <dd>
              ★{c.level} {c.level === 3 ? '（Basic）' : '（Standard）'}
            </dd>
          </div>
          <div>
            <dt>{t('cert.scope')}</dt>
            <dd>{c.scope}</dd>
          </div>
          <div>
            <dt>{t('cert.validity')}</dt>
            <dd>
              {fmtDate(c.issued_on)} – {fmtDate(c.expires_on)}
            </dd>
          </div>
          <div>
            <dt>{t('cert.status')}</dt>
            <dd>
              <StandingChip status={c.status} />
            </dd>
          </div>
          <div>
            <dt>{t('cert.catalog')}</dt>
            <dd>{c.catalog}</dd>
          </div>
          <div>
            <dt>{t('cert.id')}</dt>
            <dd class="break">{c.id}</dd>
          </div>
          {data.issuer && (
            <div>
              <dt>{t('cert.issuer')}</dt>
              <dd>
                {data.issuer.name}
                <br />
                <span class="break small">{data.issuer.id}</span>
              </dd>
            </div>
          )}
        </dl>
        <div class="cert-qr">
          {qr && <img src={qr} width={180} height={180} alt={t('cert.qr_alt', { url })} />}
          <p class="small">
            {t('cert.qr_text')}
            <br />
            <span class="break">{url}</span>
          </p>
        </div>
        <p class="small muted">{t('cert.verify_note')}</p>
      </article>
    </section>
  );
}
