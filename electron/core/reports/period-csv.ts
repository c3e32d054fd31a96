/**
 * The reports screen's CSV: one file, a section per report, headers and names in the user's
 * language (es-MX by default) so a supervisor opens it in a spreadsheet as it reads on screen.
 * Percentages are numbers (one decimal) and dates are the branch's local dates. The caller adds
 * the UTF-8 BOM when saving (Excel on Windows needs it to read the accents).
 */
import type { Locale } from '../../shared/domain';
import { DOMAIN_LABELS } from '../../shared/labels';
import { averageRating, csatPercent, reopenRate, responseRate, share, type CsatRow, type PeriodReport } from '../../shared/reports';
import type { SlaComplianceRow } from '../../shared/types';
import { csvRows, type CsvValue } from '../csv';

const TEXT = {
  'es-MX': {
    title: 'Reporte de la mesa de ayuda',
    period: 'Periodo', from: 'Desde', to: 'Hasta', branch: 'Sucursal', allBranches: 'Todas',
    section: 'Sección', group: 'Grupo', tickets: 'Tickets',
    frMeasured: 'Primera respuesta medidos', frMet: 'Primera respuesta a tiempo', frPct: 'Primera respuesta a tiempo (%)',
    resMeasured: 'Resolución medidos', resMet: 'Resolución a tiempo', resPct: 'Resolución a tiempo (%)',
    slaByTier: 'Niveles de servicio por nivel', slaBySeverity: 'Niveles de servicio por grado de severidad',
    slaByChannel: 'Niveles de servicio por canal', slaByAgent: 'Niveles de servicio por agente', slaByPeriod: 'Niveles de servicio por periodo',
    volumeByChannel: 'Volumen por canal', volumeByType: 'Volumen por tipo de solicitud', volumeTotal: 'Tickets creados',
    closures: 'Cierres', closed: 'Tickets cerrados', autoClosed: 'Cerrados automáticamente', reopened: 'Reabiertos', reopenRate: 'Tasa de reapertura (%)',
    csatTotal: 'Satisfacción (total)', csatByAgent: 'Satisfacción por agente', csatByTier: 'Satisfacción por nivel',
    csatByChannel: 'Satisfacción por canal', csatByPeriod: 'Satisfacción por periodo', csatByRating: 'Respuestas por calificación',
    answered: 'Respuestas', average: 'Calificación promedio', satisfied: 'Satisfechos (4–5)', dissatisfied: 'Insatisfechos (1–2)', csat: 'CSAT (%)',
    responseRate: 'Tasa de respuesta (%)', rating: 'Calificación', answers: 'Respuestas',
    breaches: 'Incumplimientos', trackingNumber: 'Folio', metric: 'Medición', dueAt: 'Vencía', recordedAt: 'Registrado',
    tier: 'Nivel', severity: 'Grado de severidad', channel: 'Canal', type: 'Tipo de solicitud',
    unassigned: 'Sin asignar', value: 'Valor',
  },
  en: {
    title: 'Help desk report',
    period: 'Period', from: 'From', to: 'To', branch: 'Branch', allBranches: 'All',
    section: 'Section', group: 'Group', tickets: 'Tickets',
    frMeasured: 'First response measured', frMet: 'First response on time', frPct: 'First response on time (%)',
    resMeasured: 'Resolution measured', resMet: 'Resolution on time', resPct: 'Resolution on time (%)',
    slaByTier: 'Service levels by tier', slaBySeverity: 'Service levels by severity',
    slaByChannel: 'Service levels by channel', slaByAgent: 'Service levels by agent', slaByPeriod: 'Service levels by period',
    volumeByChannel: 'Volume by channel', volumeByType: 'Volume by request type', volumeTotal: 'Tickets created',
    closures: 'Closures', closed: 'Tickets closed', autoClosed: 'Closed automatically', reopened: 'Reopened', reopenRate: 'Reopen rate (%)',
    csatTotal: 'Satisfaction (total)', csatByAgent: 'Satisfaction by agent', csatByTier: 'Satisfaction by tier',
    csatByChannel: 'Satisfaction by channel', csatByPeriod: 'Satisfaction by period', csatByRating: 'Answers by rating',
    answered: 'Answers', average: 'Average rating', satisfied: 'Satisfied (4–5)', dissatisfied: 'Dissatisfied (1–2)', csat: 'CSAT (%)',
    responseRate: 'Response rate (%)', rating: 'Rating', answers: 'Answers',
    breaches: 'Breaches', trackingNumber: 'Tracking number', metric: 'Measure', dueAt: 'Was due', recordedAt: 'Recorded',
    tier: 'Tier', severity: 'Severity', channel: 'Channel', type: 'Request type',
    unassigned: 'Unassigned', value: 'Value',
  },
} satisfies Record<Locale, unknown>;

/** 'YYYY-MM-DD HH:mm' on the branch's clock (what a spreadsheet reads as a date and time); one formatter per file (building one costs ~1 ms). */
function localDateTimes(timeZone: string): (ms: number) => string {
  const f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (ms) => f.format(ms);
}

export function periodReportCsv(r: PeriodReport, locale: Locale, timeZone: string): string {
  const x = TEXT[locale];
  const names = DOMAIN_LABELS[locale];
  const localDateTime = localDateTimes(timeZone);
  const rows: CsvValue[][] = [
    [x.title],
    [x.period, x.from, r.fromDate, x.to, r.toDate],
    [x.branch, r.branch ?? x.allBranches],
    [],
  ];
  const slaSection = (title: string, list: Array<SlaComplianceRow & { label?: string }>, name: (row: SlaComplianceRow & { label?: string }) => string) => {
    rows.push([title], [x.group, x.tickets, x.frMeasured, x.frMet, x.frPct, x.resMeasured, x.resMet, x.resPct]);
    for (const row of list) {
      rows.push([name(row), row.tickets, row.firstResponseMeasured, row.firstResponseMet, share(row.firstResponseMet, row.firstResponseMeasured),
        row.resolutionMeasured, row.resolutionMet, share(row.resolutionMet, row.resolutionMeasured)]);
    }
    rows.push([]);
  };
  const agent = (row: { key: string; label?: string }) => (row.key === '' ? x.unassigned : row.label || row.key);
  slaSection(x.slaByTier, r.sla.byTier, (row) => names.tier[row.key as keyof typeof names.tier] ?? row.key);
  slaSection(x.slaBySeverity, r.sla.bySeverity, (row) => names.severity[row.key as keyof typeof names.severity] ?? row.key);
  slaSection(x.slaByChannel, r.sla.byChannel, (row) => names.channel[row.key as keyof typeof names.channel] ?? row.key);
  slaSection(x.slaByAgent, r.sla.byAgent, agent);
  slaSection(x.slaByPeriod, r.sla.byPeriod, (row) => row.key);

  rows.push([x.volumeByChannel], [x.channel, x.tickets]);
  for (const v of r.volume.byChannel) rows.push([names.channel[v.channel] ?? v.channel, v.tickets]);
  rows.push([x.volumeTotal, r.volume.total], [], [x.volumeByType], [x.type, x.tickets]);
  for (const v of r.volume.byType) rows.push([names.requestType[v.type] ?? v.type, v.tickets]);
  rows.push([]);

  rows.push([x.closures], [x.group, x.value],
    [x.closed, r.closures.closed], [x.autoClosed, r.closures.autoClosed], [x.reopened, r.closures.reopened], [x.reopenRate, reopenRate(r.closures)], []);

  const csatHeader = [x.group, x.answered, x.average, x.satisfied, x.dissatisfied, x.csat];
  const csatRow = (name: string, c: CsatRow): CsvValue[] => [name, c.answered, averageRating(c), c.satisfied, c.dissatisfied, csatPercent(c)];
  rows.push([x.csatTotal], csatHeader, csatRow(x.csatTotal, r.csat.total), [x.responseRate, responseRate(r)], []);
  rows.push([x.csatByRating], [x.rating, x.answers]);
  for (const rating of [1, 2, 3, 4, 5] as const) rows.push([rating, r.csat.distribution[rating]]);
  rows.push([]);
  const csatSection = (title: string, list: CsatRow[], name: (c: CsatRow) => string) => {
    rows.push([title], csatHeader, ...list.map((c) => csatRow(name(c), c)), []);
  };
  csatSection(x.csatByAgent, r.csat.byAgent, agent);
  csatSection(x.csatByTier, r.csat.byTier, (c) => names.tier[c.key as keyof typeof names.tier] ?? c.key);
  csatSection(x.csatByChannel, r.csat.byChannel, (c) => names.channel[c.key as keyof typeof names.channel] ?? c.key);
  csatSection(x.csatByPeriod, r.csat.byPeriod, (c) => c.key);

  rows.push([`${x.breaches} (${r.sla.breaches.length})`], [x.trackingNumber, x.metric, x.dueAt, x.recordedAt, x.tier, x.severity, x.channel]);
  for (const b of r.sla.breaches) {
    rows.push([b.trackingNumber, names.metric[b.metric as keyof typeof names.metric] ?? b.metric, localDateTime(b.dueAt), localDateTime(b.recordedAt),
      names.tier[b.tier] ?? b.tier, names.severity[String(b.severity) as '1'] ?? b.severity, names.channel[b.channel] ?? b.channel]);
  }
  return csvRows(rows);
}
