// SPDX-License-Identifier: Apache-2.0
// Japanese first, English second. Every UI string is a key of the `ja` dictionary; `en` must have
// the same keys (checked by the type). Official scheme titles stay Japanese in both languages.

import { ja, en, type Key } from './strings';
import type { Label, Lang, Org } from './api';

const LANG_KEY = 'hoshi.lang';

let lang: Lang = (localStorage.getItem(LANG_KEY) as Lang) === 'en' ? 'en' : 'ja';
document.documentElement.lang = lang;

export function getLang(): Lang {
  return lang;
}

export function setLang(l: Lang): void {
  lang = l;
  localStorage.setItem(LANG_KEY, l);
  document.documentElement.lang = l;
}

/** The string for `key` in the UI language; `{name}` placeholders are replaced from `vars`. */
export function t(key: Key, vars?: Record<string, string | number>): string {
  let s: string = (lang === 'en' ? en : ja)[key] ?? ja[key] ?? key;
  if (vars) {
    for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  }
  return s;
}

export function hasKey(key: string): key is Key {
  return Object.prototype.hasOwnProperty.call(ja, key);
}

/** A {ja, en} label from the API in the UI language. */
export function L(label: Label | undefined | null): string {
  if (!label) return '';
  return (lang === 'en' ? label.en : label.ja) || label.ja || label.en || '';
}

export function orgName(o: Pick<Org, 'name' | 'name_en'> | undefined | null): string {
  if (!o) return '';
  return lang === 'en' && o.name_en ? o.name_en : o.name;
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-11-22" → 2026年11月22日 (ja) / 22 Nov 2026 (en). Accepts RFC 3339 times too (shown in JST). */
export function fmtDate(iso: string | undefined | null): string {
  if (!iso) return '—';
  let y: number, m: number, d: number;
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (plain) {
    [y, m, d] = [Number(plain[1]), Number(plain[2]), Number(plain[3])];
  } else {
    const parts = jstParts(iso);
    if (!parts) return iso;
    ({ y, m, d } = parts);
  }
  return lang === 'en' ? `${d} ${EN_MONTHS[m - 1]} ${y}` : `${y}年${m}月${d}日`;
}

/** An RFC 3339 time as JST date and time: 2026年11月22日 11:14 / 22 Nov 2026, 11:14 JST. */
export function fmtDateTime(iso: string | undefined | null): string {
  if (!iso) return '—';
  const p = jstParts(iso);
  if (!p) return iso;
  const hm = `${String(p.h).padStart(2, '0')}:${String(p.min).padStart(2, '0')}`;
  return lang === 'en' ? `${p.d} ${EN_MONTHS[p.m - 1]} ${p.y}, ${hm} JST` : `${p.y}年${p.m}月${p.d}日 ${hm}`;
}

/** "2026-11" → 2026年11月 / Nov 2026. */
export function fmtMonth(ym: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(ym);
  if (!m) return ym;
  return lang === 'en' ? `${EN_MONTHS[Number(m[2]) - 1]} ${m[1]}` : `${m[1]}年${Number(m[2])}月`;
}

function jstParts(iso: string) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const j = new Date(ms + 9 * 3600 * 1000); // JST has no daylight saving time
  return {
    y: j.getUTCFullYear(),
    m: j.getUTCMonth() + 1,
    d: j.getUTCDate(),
    h: j.getUTCHours(),
    min: j.getUTCMinutes(),
  };
}

/** Today in JST as YYYY-MM-DD. */
export function todayJst(): string {
  const j = new Date(Date.now() + 9 * 3600 * 1000);
  return j.toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function fmtNumber(n: number): string {
  return n.toLocaleString(lang === 'en' ? 'en-GB' : 'ja-JP');
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A number with a fixed count of decimals in the UI's locale (CVSS 9.8, scores 0.77). */
export function fmtDecimal(n: number, digits: number): string {
  return n.toLocaleString(lang === 'en' ? 'en-GB' : 'ja-JP', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A duration in milliseconds as days, hours and minutes: 2日3時間 / 2 d 3 h. */
export function fmtDuration(ms: number): string {
  const min = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  const parts =
    lang === 'en'
      ? [d && `${fmtNumber(d)} d`, h && `${h} h`, (m || (!d && !h)) && `${m} min`]
      : [d && `${fmtNumber(d)}日`, h && `${h}時間`, (m || (!d && !h)) && `${m}分`];
  return parts.filter(Boolean).join(lang === 'en' ? ' ' : '');
}

/** Whole days from an RFC 3339 time until now (0 for the future). */
export function daysSince(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return 0;
  return Math.max(0, Math.floor((Date.now() - ms) / 86_400_000));
}
