/**
 * Inicio for supervisors (issue 15, item 2): backlog by tier and severity, overdue and due-soon
 * tickets, this week's breaches, closures and reopenings, unreviewed emergency sessions, each
 * agent's workload and eight weeks of compliance. Every count of tickets is a link that opens the
 * ticket list on exactly those tickets (core counts them with the list's own planner).
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { share } from '../../../electron/shared/reports';
import { TIERS, type Severity } from '../../../electron/shared/domain';
import type { SupervisorHome, SupervisorNumber } from '../../../electron/shared/types';
import { Button, ErrorBanner, Loading, PageHeader } from '../../components';
import { formatDateTime, formatDay } from '../../app/format';
import { formatCount } from '../../i18n';
import { useNav } from '../../stores/nav';
import { useSession } from '../../stores/session';
import { useTicketList } from '../tickets-list/store';
import { firstResponsePercent, resolutionPercent, useReports } from '../reports/store';
import { HOME_REFRESH_MS, useHome } from './homeStore';
import './home.css';
import './strings';

const SEVERITIES: Severity[] = [1, 2, 3];

export function SupervisorHomeScreen() {
  const { t } = useTranslation();
  const { home, loading, error, load } = useHome();

  useEffect(() => {
    void load();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, HOME_REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <section className="page home-screen" aria-labelledby="home-title">
      <PageHeader
        title={t('home.title')}
        actions={<Button onClick={() => void load()} pending={loading}>{t('home.refresh')}</Button>}
      >
        <p className="muted small" id="home-title-intro">
          {t('home.intro')} {home ? t('home.updated', { time: formatDateTime(home.now) }) : null}
        </p>
      </PageHeader>
      {error ? <ErrorBanner error={error} /> : null}
      {home ? <HomeBody home={home} /> : <Loading label={t('home.loading')} />}
    </section>
  );
}

/** A count that opens the ticket list on the tickets it counts. */
function CountLink({ n, what, className = '' }: { n: SupervisorNumber; what: string; className?: string }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const text = n.capped ? t('home.more', { count: formatCount(n.count) }) : formatCount(n.count);
  return (
    <button
      type="button"
      className={`linklike home-count ${className}`}
      aria-label={`${text} · ${t('home.openList', { what })}`}
      onClick={() => {
        useTicketList.getState().applyQuestion(n.question);
        go({ name: 'tickets' });
      }}
    >
      {text}
    </button>
  );
}

function HomeBody({ home }: { home: SupervisorHome }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const officer = useSession((s) => s.hasRole('security_officer'));
  const tiles: Array<{ key: string; n: SupervisorNumber; hint?: string; tone?: string }> = [
    { key: 'open', n: home.openTotal, hint: t('home.openHint') },
    { key: 'unassigned', n: home.unassigned },
    { key: 'overdue', n: home.overdue, hint: t('home.overdueHint'), tone: home.overdue.count > 0 ? 'bad' : undefined },
    { key: 'dueSoon', n: home.dueSoon, hint: t('home.dueSoonHint'), tone: home.dueSoon.count > 0 ? 'warn' : undefined },
  ];
  return (
    <div className="home-grid">
      <div className="home-tiles" role="list">
        {tiles.map((tile) => (
          <div key={tile.key} role="listitem" className={`card home-tile${tile.tone ? ` home-tile--${tile.tone}` : ''}`}>
            <span className="home-tile__label">{t(`home.${tile.key}`)}</span>
            <CountLink n={tile.n} what={t(`home.${tile.key}`)} className="home-tile__value" />
            {tile.hint ? <span className="home-tile__hint">{tile.hint}</span> : null}
          </div>
        ))}
      </div>

      <section className="card home-week" aria-labelledby="home-week">
        <h2 id="home-week">{t('home.week', { date: formatDay(home.weekStart) })}</h2>
        <dl className="home-facts">
          <div><dt>{t('home.breaches')}</dt><dd>
            <button type="button" className="linklike home-count" aria-label={`${formatCount(home.breachesThisWeek)} · ${t('home.toReports')}`} onClick={() => {
              useReports.getState().setPreset('thisWeek');
              go({ name: 'reports' });
            }}>
              {formatCount(home.breachesThisWeek)}
            </button>
          </dd></div>
          <div><dt>{t('home.closed')}</dt><dd>{formatCount(home.closedThisWeek)}</dd></div>
          <div><dt>{t('home.autoClosed')}</dt><dd>{formatCount(home.autoClosedThisWeek)}</dd></div>
          <div><dt>{t('home.reopened')}</dt><dd>{formatCount(home.reopenedThisWeek)}</dd></div>
          <div><dt>{t('home.emergency')}</dt><dd>
            {officer ? (
              <button type="button" className="linklike home-count" aria-label={`${formatCount(home.unreviewedEmergencySessions)} · ${t('home.toReviews')}`} onClick={() => go({ name: 'emergencyReviews' })}>
                {formatCount(home.unreviewedEmergencySessions)}
              </button>
            ) : formatCount(home.unreviewedEmergencySessions)}
          </dd></div>
        </dl>
      </section>

      <section className="card home-backlog" aria-labelledby="home-backlog">
        <h2 id="home-backlog">{t('home.backlog')}</h2>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('home.tier')}</th>
              {SEVERITIES.map((s) => <th key={s} scope="col" className="num">{t(`severity.${s}`)}</th>)}
            </tr>
          </thead>
          <tbody>
            {TIERS.map((tier) => (
              <tr key={tier}>
                <th scope="row">{t(`tier.${tier}`)}</th>
                {SEVERITIES.map((severity) => {
                  const cell = home.backlog.find((b) => b.tier === tier && b.severity === severity)!;
                  return (
                    <td key={severity} className="num">
                      <CountLink n={cell} what={`${t(`tier.${tier}`)} · ${t(`severity.${severity}`)}`} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card home-workload" aria-labelledby="home-workload">
        <h2 id="home-workload">{t('home.workload')}</h2>
        {home.workload.length === 0 ? <p className="muted">{t('home.noAgents')}</p> : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('home.agent')}</th>
                <th scope="col" className="num">{t('home.agentOpen')}</th>
                <th scope="col" className="num">{t('home.agentOverdue')}</th>
              </tr>
            </thead>
            <tbody>
              {home.workload.map((w) => (
                <tr key={w.userId}>
                  <th scope="row">{w.name}</th>
                  <td className="num"><CountLink n={w.open} what={`${w.name} · ${t('home.agentOpen')}`} /></td>
                  <td className="num"><CountLink n={w.overdue} what={`${w.name} · ${t('home.agentOverdue')}`} className={w.overdue.count > 0 ? 'home-count--bad' : ''} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card home-csat" aria-labelledby="home-csat">
        <h2 id="home-csat">{t('home.csat')}</h2>
        <CsatSummary home={home} />
      </section>

      <section className="card home-trend" aria-labelledby="home-trend">
        <h2 id="home-trend">{t('home.trend')}</h2>
        <ComplianceTrend home={home} />
      </section>
    </div>
  );
}

function ComplianceTrend({ home }: { home: SupervisorHome }) {
  const { t } = useTranslation();
  const data = home.trend.map((row) => ({ week: row.key, first: firstResponsePercent(row), resolution: resolutionPercent(row) }));
  if (data.every((d) => d.first === null && d.resolution === null)) return <p className="muted">{t('home.noTrend')}</p>;
  return (
    <div className="home-chart" role="img" aria-label={`${t('home.trend')}: ${data.map((d) => `${d.week} ${d.first ?? '—'} % / ${d.resolution ?? '—'} %`).join('; ')}`}>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: -8 }}>
          <CartesianGrid className="home-chart__grid" strokeDasharray="3 3" />
          <XAxis dataKey="week" tick={{ fontSize: 12 }} />
          <YAxis domain={[0, 100]} unit=" %" tick={{ fontSize: 12 }} />
          <Tooltip formatter={(value) => `${String(value)} %`} />
          <Legend />
          <Line type="monotone" dataKey="first" name={t('home.firstResponse')} className="home-chart__first" stroke="var(--blue)" strokeWidth={2} connectNulls isAnimationActive={false} />
          <Line type="monotone" dataKey="resolution" name={t('home.resolution')} className="home-chart__resolution" stroke="var(--green)" strokeWidth={2} connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** CSAT over the trend's weeks: the numbers (the rated ones open the list on those tickets) and the weekly chart. */
function CsatSummary({ home }: { home: SupervisorHome }) {
  const { t } = useTranslation();
  const c = home.csat;
  const total = c.trend.reduce((sum, w) => ({ answered: sum.answered + w.answered, satisfied: sum.satisfied + w.satisfied }), { answered: 0, satisfied: 0 });
  const csat = share(total.satisfied, total.answered);
  const rate = share(c.answered, c.closed);
  const data = c.trend.map((w) => ({ week: w.key, csat: share(w.satisfied, w.answered), answers: w.answered }));
  return (
    <div className="home-csat__body">
      <p className="muted small">{t('home.csatSince', { date: formatDay(c.since) })}</p>
      <dl className="home-facts">
        <div><dt>{t('home.csatPercent')}</dt><dd>{csat === null ? '—' : `${csat} %`}</dd></div>
        <div><dt>{t('home.csatAnswers')}</dt><dd>{formatCount(c.answered)}</dd></div>
        <div><dt>{t('home.csatRate')}</dt><dd title={t('home.csatRateHint', { answered: c.answered, closed: c.closed })}>{rate === null ? '—' : `${rate} %`}</dd></div>
        <div><dt>{t('home.csatSatisfied')}</dt><dd><CountLink n={c.satisfied} what={t('home.csatSatisfied')} /></dd></div>
        <div><dt>{t('home.csatDissatisfied')}</dt><dd><CountLink n={c.dissatisfied} what={t('home.csatDissatisfied')} className={c.dissatisfied.count > 0 ? 'home-count--bad' : ''} /></dd></div>
      </dl>
      {data.length === 0 ? <p className="muted">{t('home.noCsat')}</p> : (
        <div className="home-chart" role="img" aria-label={`${t('home.csatWeekly')}: ${data.map((d) => `${d.week} ${d.csat ?? '—'} % (${d.answers})`).join('; ')}`}>
          <ResponsiveContainer width="100%" height={180}>
            <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
              <CartesianGrid className="home-chart__grid" strokeDasharray="3 3" />
              <XAxis dataKey="week" tick={{ fontSize: 12 }} />
              <YAxis yAxisId="pct" domain={[0, 100]} unit=" %" tick={{ fontSize: 12 }} />
              <YAxis yAxisId="n" orientation="right" allowDecimals={false} tick={{ fontSize: 12 }} />
              <Tooltip />
              <Legend />
              <Bar yAxisId="n" dataKey="answers" name={t('home.csatAnswersSeries')} className="home-chart__answers" fill="var(--neutral-soft)" stroke="var(--border)" isAnimationActive={false} />
              <Line yAxisId="pct" type="monotone" dataKey="csat" name={t('home.csatWeekly')} className="home-chart__csat" stroke="var(--accent)" strokeWidth={2} connectNulls isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      )}
    </div>
  );
}
