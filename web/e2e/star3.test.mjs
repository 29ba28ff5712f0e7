// SPDX-License-Identifier: Apache-2.0
// End-to-end browser test of the web UI against the real `hoshitori serve --demo` binary.
//
// A tier-2 supplier (南風メッキ工業) completes and submits its ★3 self-assessment in the UI
// (answers the remaining criteria, uploads one evidence file, chooses the expert, submits); the
// expert starts the review, comments and confirms; the supplier's admin makes the management
// self-declaration; the operator certifies it in the registry; the buyer (大和重機工業) adds the
// supplier with the decision-tree wizard (→ ★3) and sees ★3 valid for it in the portfolio. The
// supplier then downloads the credential from the certificate page. A screenshot of each main
// page goes to $HOSHI_TEST_OUTPUT (default web/e2e/output).
//
// Browser, server and helpers: ./support.mjs.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { assertLabelled, assertNoOverflow, baseUrl, done, loginAs, newContext, shot, tmpRoot, useServer } from './support.mjs';

const MINAMI_CORP = '3010001999994';

useServer({ log: 'server.log' });

describe('web UI: ★3 from request to a valid ★ in the buyer\'s portfolio, ★4, revocation', { concurrency: false }, () => {
  test('login page', async () => {
    const ctx = await newContext('anon');
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
    // A wrong password is explained in plain language with what to do next.
    await page.getByLabel('メールアドレス').fill('minami@demo.hoshitori.jp');
    await page.getByLabel('パスワード').fill('wrong-password-123');
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /次にすること/);
    await shot(page, '00-login-error');
    await ctx.close();
  });

  test('buyer adds the tier-2 company with the decision-tree wizard (→ ★3) and sends a request', async () => {
    const s = await loginAs('buyer');
    const { page } = s;
    await page.getByRole('heading', { name: '次にすること' }).waitFor();
    await shot(page, '01-buyer-home');
    await page.getByRole('link', { name: '取引先を追加' }).click();
    await page.getByRole('heading', { name: '取引先を追加', level: 1 }).waitFor();
    await page.getByLabel('取引先の法人番号（13桁）').fill(MINAMI_CORP);
    await page.getByTestId('wizard-next').click();
    for (const q of ['質問1.', '質問2.', '質問3.']) {
      await page.getByRole('group', { name: new RegExp(q) }).getByLabel('いいえ').check();
    }
    await page.getByTestId('wizard-next').click();
    await page.getByLabel('追加の要素', { exact: true }).waitFor();
    await page.getByTestId('wizard-next').click();
    await page.getByLabel('判断の理由').fill('めっき加工の外注先。図面は紙で受け渡し、社内網への接続なし。');
    await page.getByTestId('wizard-next').click();
    assert.match(await page.getByTestId('wizard-level').innerText(), /★3/);
    await assertLabelled(page);
    await shot(page, '02-decision-tree');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-done').waitFor();
    assert.match(await page.getByTestId('wizard-done').innerText(), /南風メッキ工業株式会社 を、★3 を求める取引先/);

    // The request, with a due date and the explanation the partnership guidance expects.
    await page.getByLabel('依頼の説明').fill('来年度の取引条件として★3の取得をお願いします。専門家の確認費用は当社が負担します。');
    await page.getByRole('button', { name: '依頼を送る' }).click();
    await page.getByText('依頼を送りました。').waitFor();

    await page.getByRole('link', { name: '依頼', exact: true }).click();
    const sent = page.getByRole('row', { name: /南風メッキ工業株式会社/ });
    await sent.waitFor();
    assert.match(await sent.innerText(), /依頼中/);
    await done(s);
  });

  test('supplier (tier 2) answers the rest, uploads evidence, chooses the expert and submits', async () => {
    const s = await loginAs('minami');
    const { page } = s;
    await page.getByTestId('next-step').waitFor();
    assert.match(await page.getByTestId('next-step').innerText(), /未回答の基準があと \d+ 件/);
    await page.getByRole('heading', { name: '★のステップ' }).waitFor();
    // The buyer's request is on the home page; the admin accepts it and records the agreement.
    const incoming = page.locator('#incoming');
    await incoming.getByText('大和重機工業株式会社').waitFor();
    await shot(page, '03-supplier-home');
    await incoming.getByLabel('合意した内容（任意）').fill('専門家の確認費用は貴社負担で合意（2026年11月）');
    await incoming.getByRole('button', { name: '受諾を送る' }).click();
    await incoming.getByText('回答のメモ: 専門家の確認費用は貴社負担で合意（2026年11月）').waitFor();
    await page.getByText(/大和重機工業株式会社 からの依頼: ★3/).waitFor();

    await page.getByRole('link', { name: '自己評価を続ける' }).click();
    await page.getByRole('heading', { name: '★3 自己評価' }).waitFor();
    await page.getByTestId('paraphrase-note').waitFor();
    await assertLabelled(page);
    await shot(page, '04-self-assessment', { full: false });

    // Only the unanswered criteria; answer each "実施".
    await page.getByLabel('未回答のみ').check();
    const open = page.locator('fieldset.criterion');
    const n = await open.count();
    assert.ok(n > 0, 'there are unanswered criteria');
    assert.equal(Number(await page.getByTestId('unanswered-count').innerText()), n);
    for (let i = 0; i < n; i++) {
      await open.nth(i).getByLabel('実施', { exact: true }).check();
    }
    assert.equal(await page.getByTestId('unanswered-count').innerText(), '0');

    // One evidence file, uploaded with progress and cited by the first of those criteria.
    const first = open.first();
    const criterion = await first.getAttribute('data-criterion');
    await first.locator('input[type=file]').setInputFiles({
      name: 'security-policy.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('情報セキュリティ基本方針（南風メッキ工業）\n第1条 目的 …\n'),
    });
    await first.getByText('security-policy.txt').waitFor();
    await first.getByText('証跡として引用中').waitFor();

    await page.getByTestId('save').click();
    await page.getByTestId('save-state').filter({ hasText: '保存しました' }).waitFor();

    // The expert, then submit.
    await page.getByLabel('専門家', { exact: true }).selectOption({ label: '確認 専子' });
    await page.getByTestId('assign').click();
    await page.getByText('確認する専門家: 確認 専子').waitFor();
    await page.getByTestId('submit').click();
    await page.getByText('提出しました。確認 専子 さんの確認を待っています。').waitFor();
    await shot(page, '05-submitted');
    // The evidence is on the server, cited by the criterion.
    const id = page.url().split('/').pop();
    const api = await page.evaluate(async (id) => (await fetch(`/api/v1/assessments/${id}`)).json(), id);
    assert.equal(api.state, 'submitted');
    assert.equal(api.uploads.length, 1);
    assert.deepEqual(api.answers[criterion].evidence, [api.uploads[0].sha256]);
    await done(s);
  });

  test('expert starts the review, comments on a criterion and returns it with a reason', async () => {
    const s = await loginAs('expert');
    const { page } = s;
    await page.getByRole('heading', { name: '担当する評価' }).waitFor();
    const row = page.getByRole('row', { name: /南風メッキ工業/ });
    await row.waitFor();
    await shot(page, '06-review-queue');
    await row.getByRole('link', { name: /確認する/ }).click();
    await page.getByRole('heading', { name: /南風メッキ工業株式会社 の★3自己評価の確認/ }).waitFor();
    await page.getByTestId('start-review').click();
    await page.getByTestId('confirm').waitFor();

    // A comment on one criterion.
    const crit = page.locator('article.criterion[data-criterion="1-2-1-1"]');
    await crit.getByRole('button', { name: /コメントを書く/ }).click();
    await crit.getByLabel('基準 1-2-1-1 へのコメント').fill('規程の承認日が分かる版を添付してください。');
    await crit.getByRole('button', { name: 'コメントを送る' }).click();
    await crit.getByText('規程の承認日が分かる版を添付してください。').waitFor();
    await assertLabelled(page);
    await shot(page, '07-review', { full: false });

    await page.getByLabel('差し戻しの理由').fill('1-2-1-1 の証跡を承認日入りの版に差し替えて再提出してください。');
    await page.getByRole('button', { name: '差し戻す' }).click();
    await page.getByText('取引先に差し戻し中です。再提出を待っています。').waitFor();
    await done(s);
  });

  test('supplier reads the return reason and the comment, and submits again', async () => {
    const s = await loginAs('minami');
    const { page } = s;
    await page.getByTestId('next-step').filter({ hasText: '差し戻されました' }).waitFor();
    await page.getByRole('link', { name: '提出する' }).click();
    await page.getByText('1-2-1-1 の証跡を承認日入りの版に差し替えて再提出してください。').waitFor();
    const crit = page.locator('fieldset.criterion[data-criterion="1-2-1-1"]');
    await crit.getByText('規程の承認日が分かる版を添付してください。').waitFor();
    await crit.getByLabel('メモ（任意）').fill('承認日入りの版（2026年11月20日 取締役会承認）を添付');
    await page.getByTestId('submit').click();
    await page.getByText('提出しました。確認 専子 さんの確認を待っています。').waitFor();
    await done(s);
  });

  test('expert reviews again and confirms', async () => {
    const s = await loginAs('expert');
    const { page } = s;
    await page.getByRole('row', { name: /南風メッキ工業/ }).getByRole('link', { name: /確認する/ }).click();
    await page.getByTestId('start-review').click();
    await page.locator('article.criterion[data-criterion="1-2-1-1"]').getByText('承認日入りの版（2026年11月20日 取締役会承認）を添付').waitFor();
    await page.getByTestId('confirm').click();
    await page.getByTestId('confirm-yes').click();
    await page.getByText('確認は完了しています。').waitFor();
    await done(s);
  });

  test('supplier admin makes the management self-declaration', async () => {
    const s = await loginAs('minami');
    const { page } = s;
    await page.getByRole('link', { name: '自己適合宣誓へ進む' }).click();
    await page.getByRole('heading', { name: '経営者の自己適合宣誓' }).waitFor();
    await page.getByLabel('経営者の氏名').fill('南風 次郎');
    await page.getByLabel('役職').fill('代表取締役');
    await page.getByLabel('上記の宣誓文の内容を確認し、経営者として宣誓します').check();
    await page.getByRole('button', { name: '宣誓を登録する' }).click();
    await page.getByText(/代表取締役 南風 次郎/).waitFor();
    await page.locator('#declaration').scrollIntoViewIfNeeded();
    await shot(page, '08-declaration', { full: false });
    await done(s);
  });

  test('operator certifies in the registry and sees the statistics', async () => {
    const s = await loginAs('operator');
    const { page } = s;
    await page.getByRole('heading', { name: '登録簿' }).waitFor();
    const form = page.locator(`form.certify-form[data-corp="${MINAMI_CORP}"]`);
    await form.waitFor();
    await form.getByLabel('対象範囲').fill('本社工場');
    await assertLabelled(page);
    await shot(page, '09-registry');
    await form.getByRole('button', { name: /★3 を認定し資格情報を発行/ }).click();
    await page.getByText('南風メッキ工業株式会社 を ★3 に認定しました。').waitFor();

    await page.getByRole('link', { name: '統計' }).click();
    await page.getByRole('heading', { name: '保有者数と目標' }).waitFor();
    assert.equal(await page.getByTestId('holders').innerText(), '2');
    await shot(page, '10-stats');
    await done(s);
  });

  test('buyer sees ★3 valid for the supplier in the portfolio, filters it, tracks the request', async () => {
    const s = await loginAs('buyer');
    const { page } = s;
    await page.getByRole('link', { name: '取引先一覧' }).first().click();
    const row = page.locator(`tr[data-corp="${MINAMI_CORP}"]`);
    await row.waitFor();
    const current = row.getByTestId('current');
    assert.match(await current.innerText(), /★3/);
    assert.match(await current.innerText(), /有効/);
    await assertLabelled(page);
    await shot(page, '11-portfolio');

    // Filters: required ★3 and current ★3 keep the row; ★4 required hides it.
    await page.getByTestId('f-required').selectOption('3');
    await page.getByTestId('f-current').selectOption('3');
    await row.waitFor();
    await page.getByTestId('f-required').selectOption('4');
    await row.waitFor({ state: 'detached' });
    await page.getByTestId('f-required').selectOption('all');
    await page.getByTestId('f-current').selectOption('all');

    await page.getByRole('link', { name: '二次取引先' }).click();
    await page.getByRole('heading', { name: '二次取引先の状況' }).waitFor();
    await shot(page, '12-tier2');
    await page.getByRole('link', { name: '依頼', exact: true }).click();
    await page.getByRole('heading', { name: '依頼', level: 1 }).waitFor();
    assert.match(await page.getByRole('row', { name: /南風メッキ工業株式会社/ }).innerText(), /受諾/);
    await shot(page, '13-requests');

    // The English switch.
    await page.getByTestId('lang-switch').click();
    await page.getByRole('link', { name: 'Suppliers', exact: true }).click();
    await page.getByRole('heading', { name: 'Suppliers', level: 1 }).waitFor();
    assert.match(await row.getByTestId('current').innerText(), /Valid/);
    await shot(page, '14-portfolio-en');
    await page.getByTestId('lang-switch').click();
    await done(s);
  });

  test('supplier sees the certificate with a QR code and downloads the credential', async () => {
    const s = await loginAs('minami');
    const { page } = s;
    await page.getByRole('link', { name: '認定証を表示' }).first().click();
    await page.getByRole('heading', { name: '認定証', level: 1 }).waitFor();
    await page.getByRole('img', { name: /公開照会のURL/ }).waitFor();
    await shot(page, '15-certificate');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-credential').click()]);
    const file = path.join(tmpRoot, 'credential.json');
    await download.saveAs(file);
    const vc = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(vc.credentialSubject.corporateNumber, MINAMI_CORP);
    assert.equal(vc.credentialSubject.level, 3);
    // The public lookup the QR code points to answers ★3 valid.
    const lookup = await (await fetch(`${baseUrl}/api/v1/public/lookup/${MINAMI_CORP}`)).json();
    assert.equal(lookup.level, 3);
    assert.equal(lookup.status, 'valid');
    await done(s);
  });

  test('★4: evaluator records the on-site review and the report and confirms; operator certifies; buyer sees ★4 and tier 2', async () => {
    const ev = await loginAs('evaluator');
    let page = ev.page;
    const row = page.getByRole('row', { name: /北辰電子工業/ });
    await row.getByRole('link', { name: /確認する/ }).click();
    await page.getByRole('heading', { name: /北辰電子工業株式会社 の★4評価/ }).waitFor();
    const onsite = page.locator('form', { has: page.getByRole('heading', { name: '現地審査' }) });
    await onsite.getByLabel('合格', { exact: true }).check();
    await onsite.getByLabel('所見').fill('サーバ室の入退室管理とバックアップ媒体の保管を確認');
    await onsite.getByRole('button', { name: '結果を記録する' }).click();
    await onsite.getByText('サーバ室の入退室管理とバックアップ媒体の保管を確認').waitFor();
    await page.getByLabel('報告書ファイル').setInputFiles({
      name: 'technical-verification.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% 技術検証報告書（デモ）\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'),
    });
    await page.getByRole('link', { name: 'technical-verification.pdf' }).waitFor();
    await assertLabelled(page);
    await shot(page, '17-review-star4', { full: false });
    await page.getByTestId('confirm').click();
    await page.getByTestId('confirm-yes').click();
    await page.getByText('確認は完了しています。').waitFor();
    await done(ev);

    const op = await loginAs('operator');
    page = op.page;
    const form = page.locator('form.certify-form[data-corp="5010001999992"]');
    await form.getByRole('button', { name: /★4 を認定し資格情報を発行/ }).click();
    await page.getByText('北辰電子工業株式会社 を ★4 に認定しました。').waitFor();
    await done(op);

    const buyer = await loginAs('buyer');
    page = buyer.page;
    await page.getByRole('link', { name: '取引先一覧' }).first().click();
    const current = page.locator('tr[data-corp="5010001999992"]').getByTestId('current');
    await current.waitFor();
    assert.match(await current.innerText(), /★4[\s\S]*有効/);
    await page.getByRole('link', { name: '二次取引先' }).click();
    // 南風メッキ工業 consented to disclosure, so it is named, with its ★3 valid.
    const named = page.getByRole('listitem').filter({ hasText: '南風メッキ工業株式会社' });
    await named.waitFor();
    assert.match(await named.innerText(), /★3[\s\S]*有効/);
    await shot(page, '18-tier2-after');
    await done(buyer);
  });

  test('tablet width: portfolio, supplier home and certificate fit without horizontal scrolling', async () => {
    const noOverflow = (page, what) => assertNoOverflow(page, `${what} at tablet width`);
    const b = await loginAs('buyer', { width: 820, height: 1180 });
    await b.page.getByRole('link', { name: '取引先一覧' }).first().click();
    await b.page.locator(`tr[data-corp="${MINAMI_CORP}"]`).waitFor();
    await noOverflow(b.page, 'portfolio');
    await shot(b.page, '16-portfolio-tablet');
    await done(b);
    const m = await loginAs('minami', { width: 820, height: 1180 });
    await m.page.getByRole('heading', { name: '★のステップ' }).waitFor();
    await noOverflow(m.page, 'supplier home');
    await shot(m.page, '16-supplier-home-tablet');
    await m.page.getByRole('link', { name: '認定証を表示' }).first().click();
    await m.page.getByRole('img', { name: /公開照会のURL/ }).waitFor();
    await noOverflow(m.page, 'certificate');
    await done(m);
  });

  test('operator revokes a certification with a reason', async () => {
    const s = await loginAs('operator');
    const { page } = s;
    await page.getByLabel('社名・英語名・法人番号').fill('7010001999990');
    await page.getByRole('button', { name: '検索' }).click();
    const row = page.getByRole('row', { name: /星取精機株式会社/ });
    await row.getByRole('button', { name: /失効させる/ }).click();
    await row.getByLabel(/失効させる理由/).fill('重大なインシデントの未報告が判明したため（デモ）');
    await row.getByRole('button', { name: '失効させる', exact: true }).click();
    await row.getByText('失効', { exact: true }).waitFor();
    await shot(page, '19-revoked');
    const lookup = await (await fetch(`${baseUrl}/api/v1/public/lookup/7010001999990`)).json();
    assert.equal(lookup.status, 'revoked');
    await done(s);
  });
});
