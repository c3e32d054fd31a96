/**
 * The SLA report (issue 3): compliance of first response and resolution by tier, severity,
 * channel and period for the tickets created in the chosen dates, a chart per period, the list
 * of breaches and the CSV export.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { SlaComplianceRow, SlaReport } from '../../../electron/shared/types';
import { Button, DateField, ErrorBanner, Loading, PageHeader, SelectField } from '../../components';
import { formatDateTime } from '../../app/format';
import { useNav } from '../../stores/nav';
import { ComplianceChart } from './ComplianceChart';
import { firstResponsePercent, REPORT_PERIODS, resolutionPercent, useReports, type ReportPeriod } from './store';
import './reports.css';
import './strings';

export function ReportsScreen() {
  const { t } = useTranslation();
  const s = useReports();
  const load = useReports((x) => x.load);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="page reports-screen">
      <PageHeader
        title={t('reports.title')}
        actions={
          <Button onClick={() => void s.exportCsv()} pending={s.exporting}>
            {t('reports.exportCsv')}
          </Button>
        }
      >
        <p className="muted small">{t('reports.intro')}</p>
      </PageHeader>
      <div className="filterbar reports-filters" role="group" aria-label={t('reports.periodGroup')}>
        <DateField label={t('reports.from')} value={s.from} max={s.to} onChange={(iso) => iso && s.setFrom(iso)} />
        <DateField label={t('reports.to')} value={s.to} min={s.from} onChange={(iso) => iso && s.setTo(iso)} />
        <SelectField
          label={t('reports.groupBy')}
          value={s.period}
          options={REPORT_PERIODS.map((p) => ({ value: p, label: t(`reports.period.${p}`) }))}
          onChange={(e) => s.setPeriod(e.currentTarget.value as ReportPeriod)}
        />
      </div>
      <ErrorBanner error={s.error} />
      <ErrorBanner error={s.exportError} />
      {s.report ? <ReportBody report={s.report} /> : s.loading ? <Loading /> : null}
    </section>
  );
}

function ReportBody({ report }: { report: SlaReport }) {
  const { t } = useTranslation();
  return (
    <div className="stack">
      <div className="reports-grid">
        <ComplianceTable caption={t('reports.byTier')} rows={report.byTier} keyLabel={(k) => t(`tier.${k}`, { defaultValue: k })} />
        <ComplianceTable caption={t('reports.bySeverity')} rows={report.bySeverity} keyLabel={(k) => t(`severity.${k}`, { defaultValue: k })} />
        <ComplianceTable caption={t('reports.byChannel')} rows={report.byChannel} keyLabel={(k) => t(`channel.${k}`, { defaultValue: k })} />
        <ComplianceTable caption={t('reports.byPeriod')} rows={report.byPeriod} keyLabel={(k) => k} />
      </div>
      <section aria-labelledby="reports-chart-title" className="reports-section">
        <h2 id="reports-chart-title" className="section-title">{t('reports.chartTitle')}</h2>
        {report.byPeriod.length ? <ComplianceChart rows={report.byPeriod} /> : <p className="muted">{t('reports.noData')}</p>}
      </section>
      <BreachList breaches={report.breaches} />
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

function ComplianceTable({ caption, rows, keyLabel }: { caption: string; rows: SlaComplianceRow[]; keyLabel: (key: string) => string }) {
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
            <tr>
              <td colSpan={4} className="muted">{t('reports.noData')}</td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{keyLabel(r.key)}</th>
                <td className="num">{r.tickets}</td>
                <td><PercentCell value={firstResponsePercent(r)} met={r.firstResponseMet} measured={r.firstResponseMeasured} /></td>
                <td><PercentCell value={resolutionPercent(r)} met={r.resolutionMet} measured={r.resolutionMeasured} /></td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

function BreachList({ breaches }: { breaches: SlaReport['breaches'] }) {
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
