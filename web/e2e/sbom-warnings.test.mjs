// SPDX-License-Identifier: Apache-2.0
// End-to-end browser test of the SBOM / vulnerability pages and the collective-defense early
// warnings against the real `hoshitori serve --demo` binary.
//
// The supplier (星取精機) sees its demo SBOM with the overdue Django finding (SCS 4-4-4-2) — the
// counts from the SBOM list's answer alone, no findings request per SBOM —, filters overdue-only
// (the API's `?overdue=true`), downloads the SARIF and CycloneDX VDR reports, and pages through the
// findings one at a time (`?page_size=1`: the API's limit and offset, one request a page); uploads a second SBOM, a broken one (the
// localised error, in Japanese and English), adds VEX, and stops and restarts sharing with its
// buyer (the state from GET …/sbom-shares, never from the audit log); a member who is not an admin
// sees the sharing state read-only. The buyer (大和重機工業) looks up HOSHI-DEMO-2026-0001/0002 and
// sees 星取精機's affected products; sees its early warnings (one supplier named — by its English
// name in English —, one 「非開示の取引先」) and acknowledges one. The supplier acknowledges its own
// warning, filters its detections and agrees to be named, after which the buyer sees the name. The operator sees the campaign and imports an advisory, whose
// new findings show their lead time to the supplier. Screenshots (sw-*.png) go
// to $HOSHI_TEST_OUTPUT (default web/e2e/output). Browser, server and helpers: ./support.mjs.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PASSWORD, assertLabelled, assertNoOverflow, baseUrl, done, loginAs, shot, tmpRoot, useServer } from './support.mjs';

const HOSHITORI_CORP = '7010001999990';
const BUYER = '大和重機工業株式会社';
const BUYER_EN = 'Yamato Heavy Machinery (demo)';
/** A member of 星取精機 who is not an org admin (added by the test; the demo has none). */
const STAFF = 'hoshitori-staff';

useServer({ log: 'server-sbom-warnings.log' });

/** A second product of 星取精機: Django 4.1.0 (HOSHI-DEMO-2026-0001), PyYAML 5.1 (…-0002). */
const FIRMWARE_SBOM = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  version: 1,
  metadata: { component: { type: 'application', name: '検査装置ファームウェア', version: '1.0' } },
  components: [
    { type: 'library', 'bom-ref': 'django', name: 'Django', version: '4.1.0', purl: 'pkg:pypi/django@4.1.0' },
    { type: 'library', 'bom-ref': 'yaml', name: 'PyYAML', version: '5.1', purl: 'pkg:pypi/pyyaml@5.1' },
    { type: 'library', 'bom-ref': 'requests', name: 'requests', version: '2.31.0', purl: 'pkg:pypi/requests@2.31.0' },
  ],
});

/** OpenVEX: PyYAML 5.1 in the firmware is not affected by HOSHI-DEMO-2026-0002. */
const VEX = JSON.stringify({
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://example.com/vex/hoshitori-firmware-1',
  author: '星取精機株式会社',
  timestamp: '2026-11-22T00:00:00Z',
  version: 1,
  statements: [
    {
      vulnerability: { name: 'HOSHI-DEMO-2026-0002' },
      products: [{ '@id': 'pkg:pypi/pyyaml@5.1' }],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
    },
  ],
});

const jsonFile = (name, text) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });

/** Downloads what clicking `locator` offers and parses it as JSON. */
async function downloadJson(page, locator, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  const file = path.join(tmpRoot, name);
  await download.saveAs(file);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

describe('web UI: SBOM findings, sharing with the buyer, advisory lookup, early warnings', { concurrency: false }, () => {
  test('supplier sees its SBOM, the overdue Django finding first, and downloads SARIF and VDR', async () => {
    const s = await loginAs('hoshitori');
    const { page } = s;
    const calls = watchApi(page);
    const findingCalls = watchFindings(page);
    await page.getByRole('link', { name: 'SBOM・脆弱性' }).click();
    await page.getByRole('heading', { name: 'SBOM・脆弱性管理', level: 1 }).waitFor();
    const row = page.getByTestId('sbom-table').getByRole('row', { name: /生産管理 3\.2/ });
    assert.match(await row.getByTestId('sbom-open').innerText(), /2 件[\s\S]*期限超過 1 件/);
    assert.equal(await page.getByTestId('count-open').innerText(), '2');
    assert.equal(await page.getByTestId('count-overdue').innerText(), '1');
    assert.equal(await page.getByTestId('count-kev').innerText(), '0');
    assert.equal(await page.getByTestId('count-suppressed').innerText(), '0');
    assert.match(await row.innerText(), /CycloneDX 1\.6/);
    // The list's answer carries each SBOM's counts: one request, no findings request at all.
    assert.equal(calls.filter((c) => /^GET \/api\/v1\/orgs\/[^/]+\/sboms$/.test(c)).length, 1, calls.join('\n'));
    assert.deepEqual(findingCalls, [], 'no findings requests for the SBOM list');
    await assertLabelled(page);
    await shot(page, 'sw-01-sboms');

    await row.getByRole('link', { name: '生産管理 3.2' }).click();
    await page.getByRole('heading', { name: '生産管理 3.2 の検出結果', level: 1 }).waitFor();
    const rows = page.getByTestId('findings-table').locator('tbody tr');
    assert.equal(await rows.count(), 2);
    // Open, then the higher score: the CVSS 9.8 Django advisory, 20 days old, past 4-4-4-2's 14 days.
    const django = rows.nth(0);
    assert.equal(await django.getAttribute('data-advisory'), 'HOSHI-DEMO-2026-0001');
    assert.match((await django.getAttribute('class')) ?? '', /finding-overdue/);
    const text = await django.innerText();
    assert.match(text, /django 4\.2\.0/);
    assert.match(text, /9\.8\s*緊急/);
    assert.match(text, /4\.2\.0 は影響範囲（最初の版から、4\.2\.8 未満、4\.2\.8 で修正）に入っています。/);
    assert.match(text, /introduced 0, fixed 4\.2\.8/);
    assert.match(await django.getByTestId('finding-state').innerText(), /未対応[\s\S]*4-4-4-2 期限超過[\s\S]*公開から 20 日経過（対応の期限 14 日を 6 日超過）/);
    assert.match(text, /SBOM の登録時/);
    // The unrated PyYAML advisory: open, not in 4-4-4-2's scope.
    const yaml = rows.nth(1);
    assert.equal(await yaml.getAttribute('data-advisory'), 'HOSHI-DEMO-2026-0002');
    assert.doesNotMatch((await yaml.getAttribute('class')) ?? '', /finding-overdue/);
    assert.match(await yaml.innerText(), /未評価/);
    const range = page.getByTestId('findings-range');
    await range.filter({ hasText: '2 件中 2 件を表示' }).waitFor();
    // Overdue-only is the API's filter: `total` counts the overdue findings, the summary all of them.
    await page.getByLabel('4-4-4-2 の期限超過のみ').check();
    await range.filter({ hasText: '1 件中 1 件を表示' }).waitFor();
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.first().getAttribute('data-advisory'), 'HOSHI-DEMO-2026-0001');
    assert.equal(await page.getByTestId('count-open').innerText(), '2', 'the summary counts all findings, not the filter');
    assert.equal(await page.getByTestId('count-overdue').innerText(), '1');
    await page.getByLabel('4-4-4-2 の期限超過のみ').uncheck();
    await range.filter({ hasText: '2 件中 2 件を表示' }).waitFor();
    assert.equal(await page.getByTestId('findings-pager').count(), 0, 'no page controls when everything fits');
    const sbomId = new URL(page.url()).pathname.split('/').pop();
    assert.ok(findingCalls.every((c) => c.startsWith(`/api/v1/sboms/${sbomId}/findings?`)), findingCalls.join('\n'));
    assert.deepEqual(queries(findingCalls), ['?limit=100&offset=0', '?limit=100&offset=0&overdue=true', '?limit=100&offset=0']);
    await assertLabelled(page);
    await shot(page, 'sw-02-findings');

    // Paging, one finding a page (`?page_size=1`): each page is the API's `limit` and `offset`.
    const findingsPath = new URL(page.url()).pathname;
    findingCalls.length = 0;
    await page.goto(`${baseUrl}${findingsPath}?page_size=1`);
    await range.filter({ hasText: '2 件中 1 件目' }).waitFor();
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.first().getAttribute('data-advisory'), 'HOSHI-DEMO-2026-0001');
    assert.equal(await page.getByTestId('count-open').innerText(), '2', 'the summary counts all findings, not the page');
    const pager = page.getByRole('navigation', { name: '検出結果のページ' });
    const prev = pager.getByRole('button', { name: '← 前のページ' });
    const next = pager.getByRole('button', { name: '次のページ →' });
    assert.ok(await prev.isDisabled(), 'no previous page on the first');
    await next.click();
    await range.filter({ hasText: '2 件中 2 件目' }).waitFor();
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.first().getAttribute('data-advisory'), 'HOSHI-DEMO-2026-0002');
    assert.ok(await next.isDisabled(), 'no next page on the last');
    assert.deepEqual(queries(findingCalls), ['?limit=1&offset=0', '?limit=1&offset=1']);
    await assertLabelled(page);
    await shot(page, 'sw-02b-findings-paged');
    // A filter starts at the top again: the overdue finding alone fits on the page, read with one
    // request (the API's `?overdue=true` with limit and offset, not the page the filter left).
    await page.getByLabel('4-4-4-2 の期限超過のみ').check();
    await range.filter({ hasText: '1 件中 1 件を表示' }).waitFor();
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.first().getAttribute('data-advisory'), 'HOSHI-DEMO-2026-0001');
    assert.equal(await page.getByTestId('count-open').innerText(), '2', 'the summary counts all findings, not the filter');
    assert.equal(await pager.count(), 0);
    assert.deepEqual(queries(findingCalls).slice(2), ['?limit=1&offset=0&overdue=true'], 'one request for the overdue-only page');
    await page.getByLabel('4-4-4-2 の期限超過のみ').uncheck();
    await range.filter({ hasText: '2 件中 1 件目' }).waitFor();
    assert.ok(await prev.isDisabled());
    await next.click();
    await range.filter({ hasText: '2 件中 2 件目' }).waitFor();
    // In English, on the same page.
    await page.getByTestId('lang-switch').click();
    await range.filter({ hasText: /^2 of 2$/ }).waitFor();
    await page.getByRole('navigation', { name: 'Pages of findings' }).getByRole('button', { name: '← Previous page' }).click();
    await range.filter({ hasText: /^1 of 2$/ }).waitFor();
    assert.equal(await rows.first().getAttribute('data-advisory'), 'HOSHI-DEMO-2026-0001');
    await page.getByTestId('lang-switch').click();
    await range.filter({ hasText: '2 件中 1 件目' }).waitFor();
    assert.deepEqual(queries(findingCalls).slice(3), ['?limit=1&offset=0', '?limit=1&offset=1', '?limit=1&offset=0'], 'one request a page');
    // Out of range or not a number: the default page of 100.
    await page.goto(`${baseUrl}${findingsPath}?page_size=0`);
    await range.filter({ hasText: '2 件中 2 件を表示' }).waitFor();
    assert.equal(await rows.count(), 2);

    const sarif = await downloadJson(page, page.getByTestId('download-sarif'), 'findings.sarif.json');
    assert.equal(sarif.version, '2.1.0');
    assert.deepEqual(sarif.runs[0].results.map((r) => r.ruleId).sort(), ['HOSHI-DEMO-2026-0001', 'HOSHI-DEMO-2026-0002']);
    const vdr = await downloadJson(page, page.getByTestId('download-vdr'), 'findings.vdr.cdx.json');
    assert.equal(vdr.bomFormat, 'CycloneDX');
    assert.deepEqual(vdr.vulnerabilities.map((v) => v.id).sort(), ['HOSHI-DEMO-2026-0001', 'HOSHI-DEMO-2026-0002']);
    await done(s);
  });

  test('supplier uploads a second SBOM and a broken one, adds VEX, and re-shares with the buyer', async () => {
    const s = await loginAs('hoshitori');
    const { page } = s;
    const calls = watchApi(page);
    await page.getByRole('link', { name: 'SBOM・脆弱性' }).click();
    const form = page.getByTestId('sbom-upload');
    await form.getByLabel('製品名').fill('検査装置ファームウェア');
    await form.getByLabel('製品のバージョン（任意）').fill('1.0');
    await form.getByLabel('SBOM ファイル').setInputFiles(jsonFile('firmware.cdx.json', FIRMWARE_SBOM));
    await form.getByRole('button', { name: 'アップロードして照合する' }).click();
    const uploaded = page.getByTestId('sbom-uploaded');
    await uploaded.waitFor();
    assert.equal(
      await uploaded.innerText(),
      '「検査装置ファームウェア 1.0」を登録しました（構成要素 3 件）。 未対応の検出 2 件（うち 4-4-4-2 の期限超過 1 件、既知の悪用 0 件）、VEX で抑制 0 件。',
    );
    await page.getByTestId('sbom-table').getByRole('row', { name: /検査装置ファームウェア 1\.0/ }).waitFor();
    await page.getByTestId('count-open').filter({ hasText: '4' }).waitFor();
    assert.equal(await page.getByTestId('count-overdue').innerText(), '2');

    // A broken document: the API's 422 in plain language, what to do next, and nothing stored.
    await form.getByLabel('製品名').fill('壊れたSBOM');
    await form.getByLabel('SBOM ファイル').setInputFiles(jsonFile('broken.json', '{"bomFormat": "CycloneDX", "specVersion": '));
    await form.getByRole('button', { name: 'アップロードして照合する' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    const error = await alert.innerText();
    assert.match(error, /SBOM を登録できませんでした/);
    assert.match(error, /JSONのオブジェクトか配列が閉じられていません（1行43列）/);
    assert.match(error, /次にすること:\s*CycloneDX（1\.2〜1\.6）または SPDX（2\.2・2\.3）の JSON 形式/);
    assert.equal(await alert.getAttribute('data-reason'), 'sbom.parse_truncated');
    await shot(page, 'sw-03-upload-error');
    // The same in English.
    await page.getByTestId('lang-switch').click();
    await form.getByRole('button', { name: 'Upload and match' }).click();
    await alert.filter({ hasText: 'The JSON ends before an object or array is closed' }).waitFor();
    assert.match(await alert.innerText(), /The SBOM could not be uploaded[\s\S]*Choose an SBOM in CycloneDX \(1\.2–1\.6\)/);
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: 'SBOM・脆弱性管理', level: 1 }).waitFor();
    const stored = await page.evaluate(async (org) => (await fetch(`/api/v1/orgs/${org}/sboms?all=true`)).json(), await orgId(page));
    assert.deepEqual(stored.sboms.map((b) => b.product).sort(), ['検査装置ファームウェア', '生産管理'], 'the broken SBOM left no trace');

    // VEX: PyYAML 5.1 in the firmware is not affected.
    const vex = page.getByTestId('vex-upload');
    await vex.getByLabel('VEX ファイル').setInputFiles(jsonFile('firmware.openvex.json', VEX));
    await vex.getByRole('button', { name: 'VEX を登録する' }).click();
    await page.getByTestId('vex-added').filter({ hasText: '1 件の記述を登録し、1 件の検出を抑制しました。' }).waitFor();
    await page.getByTestId('count-suppressed').filter({ hasText: '1' }).waitFor();
    assert.equal(await page.getByTestId('count-open').innerText(), '3');

    // Sharing with the buyer: on in the demo; stop, then share again.
    const share = page.locator(`[data-buyer="6010001999991"]`);
    assert.match(await share.getByTestId('share-state').innerText(), /共有中/);
    await share.getByRole('button', { name: /共有をやめる/ }).click();
    await share.getByTestId('share-state').filter({ hasText: '共有していません' }).waitFor();
    assert.equal(await page.getByTestId('share-done').innerText(), `${BUYER} との共有をやめました。`);
    await share.getByRole('button', { name: /共有する/ }).click();
    await share.getByTestId('share-state').filter({ hasText: '共有中' }).waitFor();
    assert.equal(await page.getByTestId('share-done').innerText(), `${BUYER} と検出結果を共有しました。`);
    assert.equal(await share.getByRole('button').count(), 1, 'one button: the change the state allows');
    await share.getByRole('button', { name: /共有をやめる/ }).waitFor();
    // Each SBOM's counts after the upload and the VEX, from the list's answer alone.
    const firmware = page.getByTestId('sbom-table').getByRole('row', { name: /検査装置ファームウェア 1\.0/ });
    assert.match(await firmware.getByTestId('sbom-open').innerText(), /^1 件[\s\S]*期限超過 1 件$/);
    assert.match(await page.getByTestId('sbom-table').getByRole('row', { name: /生産管理 3\.2/ }).getByTestId('sbom-open').innerText(), /^2 件[\s\S]*期限超過 1 件$/);
    assert.deepEqual(findingsOf(calls), [], 'no findings requests for the SBOM list (loaded three times)');
    await assertLabelled(page);
    await shot(page, 'sw-04-sboms-after');
    // After a reload the state comes from GET …/sbom-shares again, and nothing reads the audit log.
    calls.length = 0;
    await page.reload();
    await share.getByTestId('share-state').filter({ hasText: '共有中' }).waitFor();
    assert.ok(calls.some((c) => /^GET \/api\/v1\/orgs\/[^/]+\/sbom-shares$/.test(c)), calls.join('\n'));
    assert.deepEqual(auditCalls(calls), [], 'no audit log requests');
    await firmware.getByTestId('sbom-open').filter({ hasText: '期限超過 1 件' }).waitFor();
    assert.deepEqual(findingsOf(calls), [], 'no findings requests for the SBOM list');

    // The firmware's findings: Django open and overdue, PyYAML suppressed by the VEX statement.
    await page.getByRole('link', { name: '検査装置ファームウェア 1.0' }).click();
    const yaml = page.locator('tr[data-advisory="HOSHI-DEMO-2026-0002"]');
    await yaml.waitFor();
    assert.match(await yaml.getByTestId('finding-state').innerText(), /VEX で抑制[\s\S]*VEX: 影響なし/);
    assert.match(await page.locator('tr[data-advisory="HOSHI-DEMO-2026-0001"]').innerText(), /未対応[\s\S]*4-4-4-2 期限超過[\s\S]*django 4\.1\.0/);
    assert.deepEqual(auditCalls(calls), [], 'no audit log requests');
    await done(s);
  });

  test('a member who is not an admin sees the sharing state, read-only', async () => {
    // The org admin adds the member through the API (the demo has only admins).
    const admin = await loginAs('hoshitori');
    const added = await admin.page.evaluate(
      async ({ org, email, password }) => {
        const res = await fetch(`/api/v1/orgs/${org}/members`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': sessionStorage.getItem('hoshi.csrf') },
          body: JSON.stringify({ email, display_name: '星取 三郎', password, role: 'member', lang: 'ja' }),
        });
        return { status: res.status, body: await res.json() };
      },
      { org: await orgId(admin.page), email: `${STAFF}@demo.hoshitori.jp`, password: PASSWORD },
    );
    assert.equal(added.status, 201, JSON.stringify(added.body));
    await done(admin);

    const s = await loginAs(STAFF);
    const { page } = s;
    const calls = watchApi(page);
    await page.getByRole('link', { name: 'SBOM・脆弱性' }).click();
    const section = page.getByTestId('fshare');
    const share = section.locator('[data-buyer="6010001999991"]');
    await share.getByTestId('share-state').filter({ hasText: '共有中' }).waitFor();
    assert.match(await share.innerText(), new RegExp(BUYER));
    assert.equal(await section.getByRole('button').count(), 0, 'no share / stop buttons for a member');
    await section.getByText('共有の開始・停止は組織管理者が行います。').waitFor();
    // The counts per SBOM come from the SBOM list's answer, with no findings request.
    const row = page.getByTestId('sbom-table').getByRole('row', { name: /生産管理 3\.2/ });
    assert.match(await row.getByTestId('sbom-open').innerText(), /2 件[\s\S]*期限超過 1 件/);
    assert.deepEqual(findingsOf(calls), [], 'no findings requests for the SBOM list');
    assert.ok(calls.some((c) => /\/sbom-shares$/.test(c)), calls.join('\n'));
    assert.deepEqual(auditCalls(calls), [], 'no audit log requests');
    // In English the buyer's English name.
    await page.getByTestId('lang-switch').click();
    await share.filter({ hasText: BUYER_EN }).getByTestId('share-state').filter({ hasText: 'Shared' }).waitFor();
    await page.getByTestId('lang-switch').click();
    // The audit log the old workaround replayed is not even readable for a member.
    const audit = await page.evaluate(async (org) => (await fetch(`/api/v1/orgs/${org}/audit`)).status, await orgId(page));
    assert.ok(audit === 403 || audit === 404, `audit log for a member: ${audit}`);
    await assertLabelled(page);
    await shot(page, 'sw-04b-sboms-member');
    await done(s);
  });

  test('buyer looks up the advisories and sees 星取精機 with both products', async () => {
    const s = await loginAs('buyer');
    const { page } = s;
    await page.getByRole('link', { name: 'アドバイザリ照会' }).click();
    await page.getByRole('heading', { name: 'アドバイザリの影響を受ける取引先', level: 1 }).waitFor();
    await page.getByLabel('アドバイザリ ID（CVE・GHSA・OSV）').fill('HOSHI-DEMO-2026-0001');
    await page.getByRole('button', { name: '照会する' }).click();
    const advisory = page.getByTestId('advisory');
    await advisory.waitFor();
    assert.match(await advisory.innerText(), /Django のSQLインジェクション[\s\S]*9\.8\s*緊急[\s\S]*Django \(PyPI\)/);
    assert.match(page.url(), /\/advisories\?id=HOSHI-DEMO-2026-0001$/);
    const rows = page.getByTestId('affected-table').locator(`tbody tr[data-corp="${HOSHITORI_CORP}"]`);
    await rows.first().waitFor();
    const found = (await rows.allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    assert.equal(found.length, 2);
    assert.match(found.join('\n'), /星取精機株式会社 7010001999990 生産管理 django 4\.2\.0 未対応/);
    assert.match(found.join('\n'), /星取精機株式会社 7010001999990 検査装置ファームウェア django 4\.1\.0 未対応/);
    assert.match(await page.getByTestId('affected').getByRole('heading').innerText(), /1 社・2 件/);
    await assertLabelled(page);
    await shot(page, 'sw-05-advisory');

    // The PyYAML advisory: the firmware's finding is suppressed by the supplier's VEX.
    await page.getByLabel('アドバイザリ ID（CVE・GHSA・OSV）').fill('HOSHI-DEMO-2026-0002');
    await page.getByRole('button', { name: '照会する' }).click();
    await page.getByTestId('affected-table').getByRole('row', { name: /検査装置ファームウェア/ }).filter({ hasText: 'VEX で抑制' }).waitFor();
    assert.match(await page.getByTestId('advisory').innerText(), /未評価/);

    // An id the platform does not hold.
    await page.getByLabel('アドバイザリ ID（CVE・GHSA・OSV）').fill('cve-2099-0001');
    await page.getByRole('button', { name: '照会する' }).click();
    await page.getByText('この ID のアドバイザリはプラットフォームに登録されていません。').waitFor();
    assert.match(page.url(), /id=CVE-2099-0001$/);
    await page.getByText('検出結果を共有している取引先には、このアドバイザリの影響を受ける構成要素はありません。').waitFor();
    await done(s);
  });

  test('buyer sees the early warnings (one supplier named, one undisclosed) and acknowledges one', async () => {
    const s = await loginAs('buyer');
    const { page } = s;
    await page.getByRole('link', { name: '早期警戒' }).click();
    await page.getByRole('heading', { name: '早期警戒（集団防御）', level: 1 }).waitFor();
    assert.equal(await page.getByTestId('warn-open').innerText(), '未確認 2 件');
    const warnings = page.locator('article.warning');
    assert.equal(await warnings.count(), 2);
    const named = warnings.filter({ has: page.getByTestId('warn-subject').filter({ hasText: '北辰電子工業株式会社' }) });
    const hidden = warnings.filter({ has: page.getByTestId('warn-subject').filter({ hasText: '非開示の取引先' }) });
    assert.match(await named.innerText(), /取引先で検知[\s\S]*取引先（北辰電子工業株式会社）を含む3組織/);
    const hiddenText = await hidden.innerText();
    assert.match(hiddenText, /203\.0\.113\.10（IPv4 アドレス）への不審な通信/);
    assert.match(hiddenText, /取引先（非開示の取引先）を含む3組織で、同じ攻撃側の宛先（ipv4:203\.0\.113\.10）/);
    assert.match(hiddenText, /取引先が社名の開示に同意していないため、社名は表示されません。/);
    assert.match(hiddenText, /ビーコン（定期的な通信）[\s\S]*3 組織[\s\S]*0\.77/);
    assert.doesNotMatch(hiddenText, /星取精機/);
    await shot(page, 'sw-06-warnings-buyer');

    // In English: the named supplier by its English name, the summary in English.
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: 'Early warnings (collective defense)', level: 1 }).waitFor();
    const namedEn = warnings.filter({ has: page.getByTestId('warn-subject').filter({ hasText: 'Hokushin Denshi (demo)' }) });
    await namedEn.getByTestId('warn-summary').filter({ hasText: 'among them your supplier (Hokushin Denshi (demo))' }).waitFor();
    assert.equal(await page.getByTestId('warn-subject').filter({ hasText: '北辰電子工業株式会社' }).count(), 0);
    assert.doesNotMatch(await warnings.allInnerTexts().then((t) => t.join('\n')), /北辰/);
    await shot(page, 'sw-06b-warnings-buyer-en');
    await page.getByTestId('lang-switch').click();
    await named.getByTestId('warn-summary').filter({ hasText: '取引先（北辰電子工業株式会社）を含む3組織' }).waitFor();

    const id = await hidden.getAttribute('data-warning');
    await hidden.getByRole('button', { name: /確認済みにする/ }).click();
    await page.locator(`article[data-warning="${id}"]`).getByText(/確認済み（\d{4}年\d+月\d+日 \d\d:\d\d）/).waitFor();
    assert.equal(await page.getByTestId('warn-open').innerText(), '未確認 1 件');
    const api = await page.evaluate(async (org) => (await fetch(`/api/v1/orgs/${org}/early-warnings`)).json(), await orgId(page));
    assert.ok(api.warnings.find((w) => w.id === id).acknowledged_at, 'acknowledged on the server');
    // The buyer has no telemetry of its own and is nobody's supplier: no consent section.
    await page.getByText('条件に合う検知はありません。').waitFor();
    assert.equal(await page.getByRole('heading', { name: '発注者への早期警戒の同意' }).count(), 0);
    await assertLabelled(page);
    await done(s);
  });

  test('supplier acknowledges its own warning, filters its detections and agrees to be named', async () => {
    const s = await loginAs('hoshitori');
    const { page } = s;
    await page.getByRole('link', { name: '早期警戒' }).click();
    const own = page.locator('article.warning');
    await own.first().waitFor();
    assert.equal(await own.count(), 1);
    assert.match(await own.innerText(), /自社で検知[\s\S]*貴社を含む3組織/);
    await own.getByRole('button', { name: /確認済みにする/ }).click();
    await page.getByTestId('warn-open').filter({ hasText: '未確認 0 件' }).waitFor();

    // Detections: the demo beacon, and the kind / minimum score filters.
    const det = page.getByTestId('det-table');
    const beacon = det.getByRole('row', { name: /ビーコン（定期的な通信）/ });
    assert.match(await beacon.innerText(), /0\.77[\s\S]*→ 203\.0\.113\.10[\s\S]*203\.0\.113\.10（IPv4 アドレス）/);
    const none = page.getByText('条件に合う検知はありません。');
    await page.getByTestId('det-kind').selectOption('dns_entropy');
    await none.waitFor();
    await page.getByTestId('det-kind').selectOption('beacon');
    await beacon.waitFor();
    await page.getByTestId('det-min-score').selectOption('0.8');
    await none.waitFor();
    await page.getByTestId('det-min-score').selectOption('0.7');
    await beacon.waitFor();
    assert.equal(await page.getByTestId('det-count').innerText(), '1 件を表示');
    assert.match(await page.getByTestId('batch-totals').innerText(), /^バッチ 1 件・イベント \d{1,3}(,\d{3})+ 件・不正な行 0 件・検知 1 件$/);

    // Consent: warning on and anonymous in the demo; naming needs warning (the UI disables it).
    const consent = page.getByRole('group', { name: BUYER });
    const warn = consent.getByLabel('早期警戒を送る');
    const disclose = consent.getByLabel('社名を開示する');
    assert.ok(await warn.isChecked());
    assert.ok(!(await disclose.isChecked()));
    await warn.uncheck();
    assert.ok(await disclose.isDisabled(), 'naming without warning cannot be chosen');
    await warn.check();
    await disclose.check();
    await page.getByRole('button', { name: /保存する/ }).click();
    await page.getByText(`${BUYER} への設定を保存しました。`).waitFor();
    await consent.getByTestId('consent-state').filter({ hasText: /^警戒を送る ・ 社名を開示 ・ 最終更新/ }).waitFor();
    const consents = await page.evaluate(async (org) => (await fetch(`/api/v1/orgs/${org}/telemetry/consents`)).json(), await orgId(page));
    assert.deepEqual(
      consents.consents.map((c) => [c.buyer_organization_name, c.buyer_organization_name_en, c.warn_buyer, c.disclose_identity]),
      [[BUYER, BUYER_EN, true, true]],
    );
    await assertLabelled(page);
    await shot(page, 'sw-07-warnings-supplier');
    // In English the consent names the buyer in English.
    await page.getByTestId('lang-switch').click();
    const consentEn = page.getByRole('group', { name: BUYER_EN });
    await consentEn.waitFor();
    assert.ok(await consentEn.getByLabel('Warn this buyer').isChecked());
    assert.equal(await page.getByRole('group', { name: BUYER }).count(), 0);
    await page.getByTestId('lang-switch').click();
    await consent.waitFor();
    await done(s);

    // The buyer now sees 星取精機's name in the warning it already acknowledged.
    const b = await loginAs('buyer');
    await b.page.getByRole('link', { name: '早期警戒' }).click();
    await b.page.getByTestId('warn-subject').filter({ hasText: '星取精機株式会社' }).waitFor();
    assert.equal(await b.page.getByText('非開示の取引先', { exact: true }).count(), 0);
    const named = b.page.locator('article.warning').filter({ hasText: '取引先（星取精機株式会社）を含む3組織' });
    assert.match(await named.innerText(), /確認済み（/);
    assert.equal(await named.getByRole('button', { name: /確認済みにする/ }).count(), 0);
    await done(b);
  });

  test('operator sees the campaign and imports an advisory; the supplier sees the lead time (tablet width)', async () => {
    const op = await loginAs('operator');
    await op.page.getByRole('link', { name: '攻撃キャンペーン' }).click();
    await op.page.getByText('3 組織以上が 7 日以内に同じ攻撃側の宛先を観測したものです。', { exact: false }).waitFor();
    const row = op.page.getByTestId('campaign-table').getByRole('row', { name: /203\.0\.113\.10（IPv4 アドレス）/ });
    assert.match(await row.innerText(), /ビーコン（定期的な通信）[\s\S]*3 組織[\s\S]*0\.77/);
    await shot(op.page, 'sw-08-campaigns');
    // A new advisory (published two hours ago) re-matches the stored SBOMs: findings with a lead time.
    const published = new Date(Date.now() - 2 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const imported = await op.page.evaluate(async (published) => {
      const res = await fetch('/api/v1/advisories', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': sessionStorage.getItem('hoshi.csrf') },
        body: JSON.stringify({
          schema_version: '1.6.0',
          id: 'HOSHI-E2E-2026-0003',
          summary: 'E2E用アドバイザリ: requests の証明書検証の不備（架空）',
          published,
          modified: published,
          affected: [{ package: { ecosystem: 'PyPI', name: 'requests' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.32.0' }] }] }],
          severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N' }],
        }),
      });
      return { status: res.status, body: await res.json() };
    }, published);
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    assert.equal(imported.body.new_findings, 2);
    await done(op);

    const s = await loginAs('hoshitori', { width: 820, height: 1180 });
    const { page } = s;
    await page.getByRole('link', { name: 'SBOM・脆弱性' }).click();
    // The new findings (two hours old: not overdue) are in the list's counts and the summary.
    const table = page.getByTestId('sbom-table');
    assert.match(await table.getByRole('row', { name: /生産管理 3\.2/ }).getByTestId('sbom-open').innerText(), /^3 件[\s\S]*期限超過 1 件$/);
    assert.match(await table.getByRole('row', { name: /検査装置ファームウェア 1\.0/ }).getByTestId('sbom-open').innerText(), /^2 件[\s\S]*期限超過 1 件$/);
    assert.equal(await page.getByTestId('count-open').innerText(), '5');
    assert.equal(await page.getByTestId('count-overdue').innerText(), '2');
    await page.getByRole('link', { name: '生産管理 3.2' }).click();
    const requests = page.locator('tr[data-advisory="HOSHI-E2E-2026-0003"]');
    await requests.waitFor();
    const text = await requests.innerText();
    assert.match(text, /requests 2\.31\.0/);
    assert.match(text, /新しいアドバイザリの取込み時/);
    assert.match(await requests.getByTestId('lead-time').innerText(), /^公開から 2時間(\d+分)? 後に検出$/);
    assert.doesNotMatch((await requests.getAttribute('class')) ?? '', /finding-overdue/, 'two hours old: within 14 days');
    await assertNoOverflow(page, 'SBOM findings at tablet width');
    await shot(page, 'sw-09-findings-tablet');
    await page.getByRole('link', { name: '早期警戒' }).click();
    await page.getByTestId('det-table').waitFor();
    await assertNoOverflow(page, 'early warnings at tablet width');
    await done(s);
  });
});

/** Records every API call of the page as "METHOD /path" (without the query). */
function watchApi(page) {
  const calls = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) calls.push(`${r.method()} ${u.pathname}`);
  });
  return calls;
}

/** Records every findings request of the page (an SBOM's or the organisation's) as "path?query". */
function watchFindings(page) {
  const calls = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (/^\/api\/v1\/.*\/findings$/.test(u.pathname)) calls.push(`${u.pathname}${u.search}`);
  });
  return calls;
}

/** The queries ("?limit=…") of recorded "path?query" calls. */
function queries(calls) {
  return calls.map((c) => c.slice(c.indexOf('?')));
}

/** The findings requests among watchApi's calls. */
function findingsOf(calls) {
  return calls.filter((c) => /\/findings$/.test(c));
}

/** The calls that read an organisation's audit log. */
function auditCalls(calls) {
  return calls.filter((c) => /\/audit(\/|$)/.test(c));
}

/** The organisation the page acts for (the session's first membership in the demo). */
async function orgId(page) {
  return page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).memberships[0].organization_id);
}
