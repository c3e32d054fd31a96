/**
 * Compliance per period as a plain SVG bar chart: two bars per period (first response,
 * resolution), 0–100 %. role="img" with a title and a text description; the same numbers are in
 * the "Por periodo" table next to it for anyone who cannot see the chart.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { SlaComplianceRow } from '../../../electron/shared/types';
import { firstResponsePercent, resolutionPercent } from './store';

const BAR = 14;
const GAP = 4;
const GROUP_GAP = 18;
const HEIGHT = 180;
const TOP = 12;
const LEFT = 36;
const BOTTOM = 44;

export function ComplianceChart({ rows }: { rows: SlaComplianceRow[] }) {
  const { t } = useTranslation();
  const titleId = useId();
  const descId = useId();
  const groupWidth = BAR * 2 + GAP + GROUP_GAP;
  const width = LEFT + Math.max(1, rows.length) * groupWidth + 8;
  const plot = HEIGHT - TOP - BOTTOM;
  const y = (pct: number) => TOP + plot - (pct / 100) * plot;
  const pct = (v: number | null) => (v === null ? t('reports.notMeasured') : `${v} %`);
  const description = rows
    .map((r) => t('reports.chartRow', { period: r.key, firstResponse: pct(firstResponsePercent(r)), resolution: pct(resolutionPercent(r)) }))
    .join(' ');

  return (
    <figure className="chart">
      <svg role="img" aria-labelledby={`${titleId} ${descId}`} width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`}>
        <title id={titleId}>{t('reports.chartTitle')}</title>
        <desc id={descId}>{description || t('reports.noData')}</desc>
        {[0, 50, 100].map((tick) => (
          <g key={tick}>
            <line x1={LEFT} x2={width} y1={y(tick)} y2={y(tick)} className="chart__grid" />
            <text x={LEFT - 6} y={y(tick) + 4} textAnchor="end" className="chart__tick">{tick}%</text>
          </g>
        ))}
        {rows.map((r, i) => {
          const x = LEFT + GROUP_GAP / 2 + i * groupWidth;
          const fr = firstResponsePercent(r);
          const res = resolutionPercent(r);
          return (
            <g key={r.key}>
              {fr !== null ? <rect x={x} y={y(fr)} width={BAR} height={y(0) - y(fr)} className="chart__bar chart__bar--first" /> : null}
              {res !== null ? <rect x={x + BAR + GAP} y={y(res)} width={BAR} height={y(0) - y(res)} className="chart__bar chart__bar--resolution" /> : null}
              <text x={x + BAR + GAP / 2} y={HEIGHT - BOTTOM + 14} textAnchor="middle" className="chart__label">{r.key}</text>
            </g>
          );
        })}
      </svg>
      <figcaption className="chart__legend">
        <span><span className="chart__swatch chart__bar--first" aria-hidden="true" /> {t('reports.firstResponse')}</span>
        <span><span className="chart__swatch chart__bar--resolution" aria-hidden="true" /> {t('reports.resolution')}</span>
      </figcaption>
    </figure>
  );
}
