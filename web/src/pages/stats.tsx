// SPDX-License-Identifier: Apache-2.0
// Statistics for the operator: ★ holders by level over time against the scheme's targets
// (20,000 by 2031, 50,000 by 2036).
import { get, type Stats } from '../api';
import { ErrorBox, Loading, PageTitle } from '../components';
import { useLoad } from '../hooks';
import { fmtMonth, fmtNumber, t } from '../i18n';

const LEVELS = ['3', '4'];

export function StatsPage() {
  const { data, error, loading } = useLoad(() => get<Stats>('/api/v1/stats'), []);
  return (
    <section>
      <PageTitle sub={t('stats.sub')}>{t('stats.title')}</PageTitle>
      <ErrorBox error={error} />
      {loading && !data && <Loading />}
      {data && <StatsBody s={data} />}
    </section>
  );
}

function cumulative(s: Stats) {
  const months = [...s.issued_by_month].sort((a, b) => a.month.localeCompare(b.month));
  const run: Record<string, number> = {};
  return months.map((m) => {
    for (const lv of Object.keys(m.issued)) run[lv] = (run[lv] ?? 0) + m.issued[lv];
    const total = Object.values(run).reduce((x, y) => x + y, 0);
    return { month: m.month, issued: m.issued, cum: { ...run }, total };
  });
}

function StatsBody({ s }: { s: Stats }) {
  const series = cumulative(s);
  const targets = [...s.targets].sort((a, b) => a.year - b.year);
  return (
    <>
      <div class="summary-grid">
        <div class="summary-card">
          <span class="summary-value" data-testid="holders">
            {fmtNumber(s.holders)}
          </span>
          <span class="summary-label">{t('stats.holders')}</span>
        </div>
        {LEVELS.map((lv) => (
          <div class="summary-card" key={lv}>
            <span class="summary-value">{fmtNumber(s.valid_by_level[lv] ?? 0)}</span>
            <span class="summary-label">{t('stats.valid_level', { level: lv })}</span>
          </div>
        ))}
        {targets.map((tg) => (
          <div class="summary-card" key={tg.year}>
            <span class="summary-value">{((s.holders / tg.holders) * 100).toFixed(2)}%</span>
            <span class="summary-label">{t('stats.of_target', { n: fmtNumber(tg.holders), year: tg.year })}</span>
            <progress value={s.holders} max={tg.holders} aria-label={t('stats.of_target', { n: fmtNumber(tg.holders), year: tg.year })} />
          </div>
        ))}
      </div>
      <TargetChart s={s} series={series} />
      <MonthlyChart series={series} />
      <section class="card" aria-labelledby="st-table">
        <h2 id="st-table">{t('stats.table')}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('stats.month')}</th>
                {LEVELS.map((lv) => (
                  <th scope="col" key={lv}>
                    {t('stats.issued_level', { level: lv })}
                  </th>
                ))}
                <th scope="col">{t('stats.cumulative')}</th>
              </tr>
            </thead>
            <tbody>
              {series.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{fmtMonth(m.month)}</th>
                  {LEVELS.map((lv) => (
                    <td key={lv}>{fmtNumber(m.issued[lv] ?? 0)}</td>
                  ))}
                  <td>{fmtNumber(m.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="muted small">{t('stats.note')}</p>
      </section>
    </>
  );
}

function monthIndex(ym: string): number {
  const [y, m] = ym.split('-').map(Number);
  return y * 12 + (m - 1);
}

/** The long view: cumulative holders and the straight path to each target. */
function TargetChart({ s, series }: { s: Stats; series: ReturnType<typeof cumulative> }) {
  const W = 720;
  const H = 300;
  const pad = { l: 64, r: 20, t: 16, b: 36 };
  const now = new Date();
  const nowYm = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const startYm = series[0]?.month ?? nowYm;
  const targets = [...s.targets].sort((a, b) => a.year - b.year);
  const endYear = Math.max(2036, ...targets.map((x) => x.year));
  const x0 = monthIndex(startYm);
  const x1 = endYear * 12 + 11;
  const yMax = Math.max(...targets.map((x) => x.holders), s.holders) * 1.1;
  const X = (i: number) => pad.l + ((i - x0) / Math.max(1, x1 - x0)) * (W - pad.l - pad.r);
  const Y = (v: number) => H - pad.b - (v / yMax) * (H - pad.t - pad.b);
  const actual = series.map((m) => `${X(monthIndex(m.month))},${Y(m.total)}`).join(' ');
  const lastIdx = series.length ? monthIndex(series[series.length - 1].month) : monthIndex(nowYm);
  const path = [`${X(lastIdx)},${Y(s.holders)}`, ...targets.map((tg) => `${X(tg.year * 12 + 11)},${Y(tg.holders)}`)].join(' ');
  const yTicks = [0, 10000, 20000, 30000, 40000, 50000].filter((v) => v <= yMax);
  const years: number[] = [];
  for (let y = Math.floor(x0 / 12); y <= endYear; y++) years.push(y);
  return (
    <section class="card" aria-labelledby="tg-title">
      <h2 id="tg-title">{t('stats.target_chart')}</h2>
      <div class="chart-wrap">
        <svg viewBox={`0 0 ${W} ${H}`} class="chart" role="img" aria-labelledby="tg-title tg-desc">
          <desc id="tg-desc">
            {t('stats.target_desc', {
              now: fmtNumber(s.holders),
              targets: targets.map((tg) => `${tg.year}: ${fmtNumber(tg.holders)}`).join(', '),
            })}
          </desc>
          {yTicks.map((v) => (
            <g key={v}>
              <line x1={pad.l} x2={W - pad.r} y1={Y(v)} y2={Y(v)} class="grid" />
              <text x={pad.l - 6} y={Y(v) + 4} class="axis" text-anchor="end">
                {fmtNumber(v)}
              </text>
            </g>
          ))}
          {years.map((y) => (
            <text key={y} x={X(y * 12)} y={H - pad.b + 18} class="axis" text-anchor="middle">
              {y}
            </text>
          ))}
          <polyline points={path} class="target-path" />
          {targets.map((tg) => (
            <g key={tg.year}>
              <circle cx={X(tg.year * 12 + 11)} cy={Y(tg.holders)} r={6} class="target-dot" />
              <text x={X(tg.year * 12 + 11) - 8} y={Y(tg.holders) - 10} class="chart-value" text-anchor="end">
                {t('stats.target_label', { n: fmtNumber(tg.holders), year: tg.year })}
              </text>
            </g>
          ))}
          {series.length > 0 && <polyline points={actual} class="actual-line" />}
          <circle cx={X(lastIdx)} cy={Y(s.holders)} r={5} class="actual-dot" />
          <text x={X(lastIdx) + 8} y={Y(s.holders) - 8} class="chart-value">
            {t('stats.now_label', { n: fmtNumber(s.holders) })}
          </text>
        </svg>
      </div>
      <p class="legend">
        <span class="key key-actual" aria-hidden="true" /> {t('stats.legend_actual')} <span class="key key-target" aria-hidden="true" />{' '}
        {t('stats.legend_target')}
      </p>
    </section>
  );
}

/** Recent months: certificates issued per month, stacked by level. */
function MonthlyChart({ series }: { series: ReturnType<typeof cumulative> }) {
  const recent = series.slice(-24);
  if (!recent.length) return null;
  const W = 720;
  const H = 220;
  const pad = { l: 48, r: 12, t: 12, b: 36 };
  const max = Math.max(1, ...recent.map((m) => LEVELS.reduce((x, lv) => x + (m.issued[lv] ?? 0), 0)));
  const bw = (W - pad.l - pad.r) / recent.length;
  const Y = (v: number) => ((H - pad.t - pad.b) * v) / max;
  return (
    <section class="card" aria-labelledby="mo-title">
      <h2 id="mo-title">{t('stats.monthly')}</h2>
      <div class="chart-wrap">
        <svg viewBox={`0 0 ${W} ${H}`} class="chart" role="img" aria-labelledby="mo-title">
          <line x1={pad.l} x2={W - pad.r} y1={H - pad.b} y2={H - pad.b} class="grid" />
          <text x={pad.l - 6} y={pad.t + 8} class="axis" text-anchor="end">
            {fmtNumber(max)}
          </text>
          {recent.map((m, i) => {
            let base = H - pad.b;
            return (
              <g key={m.month}>
                {LEVELS.map((lv) => {
                  const h = Y(m.issued[lv] ?? 0);
                  base -= h;
                  const w = Math.min(bw * 0.7, 48);
                  return h > 0 ? <rect key={lv} x={pad.l + i * bw + (bw - w) / 2} y={base} width={w} height={h} class={`bar bar-${lv}`} /> : null;
                })}
                <text x={pad.l + i * bw + bw / 2} y={H - pad.b + 16} class="axis" text-anchor="middle">
                  {m.month.slice(2)}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      <p class="legend">
        <span class="key bar-3" aria-hidden="true" /> ★3 <span class="key bar-4" aria-hidden="true" /> ★4
      </p>
    </section>
  );
}
