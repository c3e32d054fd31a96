/**
 * Reportes (issues 3 and 15): for one period (this or last week, this or last month, or a custom
 * range) and one branch (or all), service-level compliance by tier, severity, channel, agent and
 * period with its chart, volume by channel and type, closures and reopenings, satisfaction (CSAT)
 * by agent, tier, channel and period, and the breaches. Core applies the filters; the CSV and the
 * printable document (PDF through the print dialog) hold the same report.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { REPORT_PRESETS, type ReportPreset } from '../../../electron/shared/periods';
import { averageRating, csatPercent, reopenRate, responseRate, type CsatRow, type PeriodReport } from '../../../electron/shared/reports';
import type { SlaComplianceRow } from '../../../electron/shared/types';
import { Button, DateField, ErrorBanner, Loading, PageHeader, PrintableDocument, SelectField } from '../../components';
import { formatDateTime } from '../../app/format';
import { formatCount } from '../../i18n';
import { useNav } from '../../stores/nav';
import { ComplianceChart } from './ComplianceChart';
import { firstResponsePercent, REPORT_GROUPINGS, resolutionPercent, useReports, type ReportGrouping } from './store';
import './reports.css';
import './strings';

export function ReportsScreen() {
  const { t } = useTranslation();
  const s = useReports();
  const load = useReports((x) => x.load);
  const go = useNav((x) => x.go);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="page reports-screen">
      <PageHeader
        title={t('reports.title')}
        actions={
          <>
            <Button onClick={() => void s.exportCsv()} pending={s.exporting}>{t('reports.exportCsv')}</Button>
            <Button onClick={() => go({ name: 'reportsPrint' })} disabled={!s.report}>{t('reports.printable')}</Button>
          </>
        }
      >
        <p className="muted small">{t('reports.intro')}</p>
      </PageHeader>
      <ReportFilters />
      <ErrorBanner error={s.error} />
      <ErrorBanner error={s.exportError} />
      {s.report ? <ReportBody report={s.report} /> : s.loading ? <Loading /> : null}
    </section>
  );
}

function ReportFilters() {
  const { t } = useTranslation();
  const s = useReports();
  const branches = s.report?.branches ?? [];
  return (
    <div className="filterbar reports-filters" role="group" aria-label={t('reports.filters')}>
      <SelectField
        label={t('reports.periodLabel')}
        value={s.preset}
        options={REPORT_PRESETS.map((p) => ({ value: p, label: t(`reports.preset.${p}`) }))}
        onChange={(e) => s.setPreset(e.currentTarget.value as ReportPreset)}
      />
      <DateField label={t('reports.from')} value={s.from} max={s.to} onChange={(iso) => iso && s.setFrom(iso)} />
      <DateField label={t('reports.to')} value={s.to} min={s.from} onChange={(iso) => iso && s.setTo(iso)} />
      <SelectField
        label={t('reports.branch')}
        value={s.branch}
        options={[
          { value: '', label: t('reports.allBranches') },
          ...branches.map((b) => ({ value: b.code, label: b.name ? `${b.code} · ${b.name}` : b.code })),
        ]}
        onChange={(e) => s.setBranch(e.currentTarget.value)}
      />
      <SelectField
        label={t('reports.groupBy')}
        value={s.groupBy}
        options={REPORT_GROUPINGS.map((p) => ({ value: p, label: t(`reports.period.${p}`) }))}
        onChange={(e) => s.setGroupBy(e.currentTarget.value as ReportGrouping)}
      />
    </div>
  );
}

/** The printable report (Imprimir o guardar como PDF): the report on screen, without the application around it. */
export function ReportsPrint() {
  const { t } = useTranslation();
  const report = useReports((x) => x.report);
  const go = useNav((x) => x.go);
  return (
    <PrintableDocument backLabel={t('reports.backToReports')} onBack={() => go({ name: 'reports' })} className="reports-print">
      <h1>{t('reports.title')}</h1>
      {report ? (
        <>
          <p>{t('reports.printScope', {
            from: report.fromDate.split('-').reverse().join('/'),
            to: report.toDate.split('-').reverse().join('/'),
            branch: report.branch ?? t('reports.allBranches'),
          })}</p>
          <p className="muted small">{t('reports.printGenerated', { date: formatDateTime(Date.now()) })}</p>
          <ReportBody report={report} />
        </>
      ) : <p className="muted">{t('reports.noReport')}</p>}
    </PrintableDocument>
  );
}

function pct(value: number | null, t: (key: string) => string): string {
  return value === null ? t('reports.notMeasured') : `${value} %`;
}

function ReportBody({ report }: { report: PeriodReport }) {
  const { t } = useTranslation();
  const name = (row: { key: string; label?: string }) => (row.key === '' ? t('reports.unassigned') : row.label || row.key);
  const rate = reopenRate(report.closures);
  const answers = responseRate(report);
  return (
    <div className="stack">
      <dl className="reports-summary">
        <div><dt>{t('reports.created')}</dt><dd>{formatCount(report.volume.total)}</dd></div>
        <div><dt>{t('reports.closed')}</dt><dd>{formatCount(report.closures.closed)}</dd></div>
        <div><dt>{t('reports.autoClosed')}</dt><dd>{formatCount(report.closures.autoClosed)}</dd></div>
        <div><dt>{t('reports.reopened')}</dt><dd>{formatCount(report.closures.reopened)} <small className="muted">{t('reports.reopenRate', { rate: pct(rate, t) })}</small></dd></div>
        <div><dt>{t('reports.csat')}</dt><dd>{pct(csatPercent(report.csat.total), t)} <small className="muted">{t('reports.csatOf', { count: report.csat.total.answered })}</small></dd></div>
        <div><dt>{t('reports.responseRate')}</dt><dd>{pct(answers, t)}</dd></div>
      </dl>

      <section aria-labelledby="reports-sla-title" className="reports-section">
        <h2 id="reports-sla-title" className="section-title">{t('reports.slaTitle')}</h2>
        <div className="reports-grid">
          <ComplianceTable caption={t('reports.byTier')} rows={report.sla.byTier} keyLabel={(r) => t(`tier.${r.key}`, { defaultValue: r.key })} />
          <ComplianceTable caption={t('reports.bySeverity')} rows={report.sla.bySeverity} keyLabel={(r) => t(`severity.${r.key}`, { defaultValue: r.key })} />
          <ComplianceTable caption={t('reports.byChannel')} rows={report.sla.byChannel} keyLabel={(r) => t(`channel.${r.key}`, { defaultValue: r.key })} />
          <ComplianceTable caption={t('reports.byAgent')} rows={report.sla.byAgent} keyLabel={name} />
          <ComplianceTable caption={t('reports.byPeriod')} rows={report.sla.byPeriod} keyLabel={(r) => r.key} />
        </div>
        <h3 className="reports-subtitle">{t('reports.chartTitle')}</h3>
        {report.sla.byPeriod.length ? <ComplianceChart rows={report.sla.byPeriod} /> : <p className="muted">{t('reports.noData')}</p>}
      </section>

      <section aria-labelledby="reports-volume-title" className="reports-section">
        <h2 id="reports-volume-title" className="section-title">{t('reports.volumeTitle')}</h2>
        <div className="reports-grid">
          <CountTable caption={t('reports.byChannel')} head={t('reports.channel')} rows={report.volume.byChannel.map((v) => [t(`channel.${v.channel}`), v.tickets])} />
          <CountTable caption={t('reports.byType')} head={t('reports.type')} rows={report.volume.byType.map((v) => [t(`requestType.${v.type}`), v.tickets])} />
        </div>
      </section>

      <section aria-labelledby="reports-csat-title" className="reports-section">
        <h2 id="reports-csat-title" className="section-title">{t('reports.csatTitle')}</h2>
        <p className="muted small">{t('reports.csatIntro')}</p>
        <div className="reports-grid">
          <CountTable caption={t('reports.byRating')} head={t('reports.rating')} rows={([5, 4, 3, 2, 1] as const).map((r) => [t(`reports.ratingName.${r}`), report.csat.distribution[r]])} />
          <CsatTable caption={t('reports.byAgent')} rows={report.csat.byAgent} keyLabel={name} />
          <CsatTable caption={t('reports.byTier')} rows={report.csat.byTier} keyLabel={(r) => t(`tier.${r.key}`, { defaultValue: r.key })} />
          <CsatTable caption={t('reports.byChannel')} rows={report.csat.byChannel} keyLabel={(r) => t(`channel.${r.key}`, { defaultValue: r.key })} />
          <CsatTable caption={t('reports.byPeriod')} rows={report.csat.byPeriod} keyLabel={(r) => r.key} />
        </div>
      </section>

      <BreachList breaches={report.sla.breaches} />
    </div>
  );
}

function PercentCell({ value, met, measured }: { value: number | null; met: number; measured: number }) {
  const { t } = useTranslation();
  if (value === null) return <span className="muted">{t('reports.notMeasured')}</span>;
  return (
    <>
      <strong>{value} %</strong> <span className="muted small">{t('reports.ofMeasured', { met, measured })}</span>
    </>
  );
}

function ComplianceTable<R extends SlaComplianceRow>({ caption, rows, keyLabel }: { caption: string; rows: R[]; keyLabel: (row: R) => string }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="table-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reports.group')}</th>
            <th scope="col" className="num">{t('reports.tickets')}</th>
            <th scope="col">{t('reports.firstResponseMet')}</th>
            <th scope="col">{t('reports.resolutionMet')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr><td colSpan={4} className="muted">{t('reports.noData')}</td></tr>
          ) : rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{keyLabel(r)}</th>
              <td className="num">{formatCount(r.tickets)}</td>
              <td><PercentCell value={firstResponsePercent(r)} met={r.firstResponseMet} measured={r.firstResponseMeasured} /></td>
              <td><PercentCell value={resolutionPercent(r)} met={r.resolutionMet} measured={r.resolutionMeasured} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CountTable({ caption, head, rows }: { caption: string; head: string; rows: Array<[string, number]> }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="table-caption">{caption}</caption>
        <thead>
          <tr><th scope="col">{head}</th><th scope="col" className="num">{t('reports.count')}</th></tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr><td colSpan={2} className="muted">{t('reports.noData')}</td></tr>
          ) : rows.map(([label, n]) => (
            <tr key={label}><th scope="row">{label}</th><td className="num">{formatCount(n)}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CsatTable({ caption, rows, keyLabel }: { caption: string; rows: CsatRow[]; keyLabel: (row: CsatRow) => string }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="table-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reports.group')}</th>
            <th scope="col" className="num">{t('reports.answers')}</th>
            <th scope="col" className="num">{t('reports.average')}</th>
            <th scope="col" className="num">{t('reports.csat')}</th>
            <th scope="col" className="num">{t('reports.dissatisfied')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr><td colSpan={5} className="muted">{t('reports.noAnswers')}</td></tr>
          ) : rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{keyLabel(r)}</th>
              <td className="num">{formatCount(r.answered)}</td>
              <td className="num">{averageRating(r) ?? '—'}</td>
              <td className="num">{pct(csatPercent(r), t)}</td>
              <td className="num">{formatCount(r.dissatisfied)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BreachList({ breaches }: { breaches: PeriodReport['sla']['breaches'] }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  return (
    <section aria-labelledby="reports-breaches-title" className="reports-section">
      <h2 id="reports-breaches-title" className="section-title">{t('reports.breaches', { count: breaches.length })}</h2>
      {breaches.length === 0 ? (
        <p className="muted">{t('reports.noBreaches')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">{t('reports.breachesCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.trackingNumber')}</th>
                <th scope="col">{t('reports.metric')}</th>
                <th scope="col">{t('reports.dueAt')}</th>
                <th scope="col">{t('reports.recordedAt')}</th>
                <th scope="col">{t('reports.tier')}</th>
                <th scope="col">{t('reports.severity')}</th>
                <th scope="col">{t('reports.channel')}</th>
              </tr>
            </thead>
            <tbody>
              {breaches.map((b) => (
                <tr key={`${b.ticketId}:${b.metric}`}>
                  <th scope="row">
                    <button type="button" className="linklike mono" onClick={() => go({ name: 'ticket', ticketId: b.ticketId })}>
                      {b.trackingNumber}
                    </button>
                  </th>
                  <td>{t(`ticket.sla.metricName.${b.metric}`, { defaultValue: b.metric })}</td>
                  <td>{formatDateTime(b.dueAt)}</td>
                  <td>{formatDateTime(b.recordedAt)}</td>
                  <td>{t(`tier.${b.tier}`)}</td>
                  <td>{t(`severity.${b.severity}`)}</td>
                  <td>{t(`channel.${b.channel}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
