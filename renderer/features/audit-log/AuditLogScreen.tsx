/**
 * "Bitácora": the append-only audit log for supervisors, security officers and administrators —
 * filter by actor, request, type and period, page through it, verify the chain, and export a
 * period to CSV or JSONL with the hashes a third party needs to re-verify it.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, DateField, EmptyState, ErrorBanner, JobProgress, Loading, PageHeader, SelectField, StatusMessage, formatDateTime } from '../../components';
import { AUDIT_TYPES, useAuditLog } from './auditLogStore';
import { AuditEntryDetail } from './AuditEntry';
import { auditActionLabel, auditActorLabel } from './describe';
import './audit-log.css';
import './strings';

export function AuditLogScreen({ requestId, action, embedded }: { requestId?: string; action?: string; embedded?: boolean }) {
  const { t } = useTranslation();
  const a = useAuditLog();
  const f = a.filters;

  useEffect(() => {
    void useAuditLog.getState().init({ ...(requestId ? { requestId } : {}), ...(action ? { action } : {}) });
  }, [requestId, action]);

  const typeKey = (prefix: string) => prefix.replace(/\.$/, '');
  const requestLabel = (id: string) => {
    const r = a.requests.find((x) => x.id === id);
    return r ? `${r.trackingNumber} · ${r.customerName} · ${t(`requestKind.${r.kind}`)}` : id;
  };
  const requestOptions = a.requests.map((r) => ({ value: r.id, label: requestLabel(r.id) }));
  if (f.requestId && !a.requests.some((r) => r.id === f.requestId)) requestOptions.unshift({ value: f.requestId, label: f.requestId });

  const userName = (id: string) => a.actors.find((u) => u.id === id)?.fullName;
  const V = a.verification;
  return (
    <section className={embedded ? 'stack audit-log' : 'page stack audit-log'}>
      {embedded ? <p className="muted">{t('auditLog.intro')}</p> : (
        <PageHeader title={t('auditLog.title')}><p className="muted">{t('auditLog.intro')}</p></PageHeader>
      )}

      <div className="toolbar audit-log__tools">
        <Button variant="primary" pending={a.verifying} onClick={() => void a.verify()}>{t('auditLog.verify')}</Button>
        <Button pending={a.exporting} onClick={() => void a.exportPeriod('csv')}>{t('auditLog.exportCsv')}</Button>
        <Button pending={a.exporting} onClick={() => void a.exportPeriod('jsonl')}>{t('auditLog.exportJsonl')}</Button>
      </div>
      <ErrorBanner error={a.verifyError} />
      {V ? (
        V.ok || !V.firstBroken ? (
          <div className="banner banner--ok" role="status" data-testid="audit-verify">{t('auditLog.verifyOk', { count: V.checked })}</div>
        ) : (
          <div className="banner banner--error" role="alert" data-testid="audit-verify">
            {t('auditLog.verifyBroken', { seq: V.firstBroken.seq, reason: t(`admin.audit.reason.${V.firstBroken.reason}`), count: V.checked })}
          </div>
        )
      ) : null}
      {a.exportJob ? (
        <JobProgress job={a.exportJob} label={t('auditLog.exporting')} cancelling={a.cancellingExport} onCancel={() => void a.cancelExport()} />
      ) : null}
      <ErrorBanner error={a.exportError} />
      {a.exportFile ? (
        <section className="card" aria-labelledby="audit-manifest" data-testid="audit-manifest">
          <StatusMessage>{t('auditLog.exported', { count: a.exportFile.count, fileName: a.exportFile.fileName })}</StatusMessage>
          <h2 id="audit-manifest">{t('auditLog.manifest')}</h2>
          <dl className="details">
            <dt>{t('auditLog.fileHash')}</dt>
            <dd className="mono hash">{a.exportFile.sha256}</dd>
            {a.exportFile.chains.map((c) => (
              <div key={c.deviceId} className="manifest-chain">
                <dt>{t('auditLog.chain', { deviceId: c.deviceId, firstSeq: c.firstSeq, lastSeq: c.lastSeq, count: c.count })}</dt>
                <dd>
                  <span className="muted small">{t('auditLog.startPrevHash')}:</span> <span className="mono hash">{c.startPrevHash}</span><br />
                  <span className="muted small">{t('auditLog.endHash')}:</span> <span className="mono hash">{c.endHash}</span>
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}

      <form className="filterbar audit-log__filters" aria-label={t('auditLog.filters')} onSubmit={(e) => { e.preventDefault(); void a.search(); }}>
        <SelectField label={t('auditLog.actor')} placeholder={t('auditLog.anyActor')} value={f.actorId}
          onChange={(e) => a.setFilter({ actorId: e.target.value })}
          options={a.actors.map((u) => ({ value: u.id, label: `${u.fullName} (${u.username})` }))} />
        <SelectField label={t('auditLog.request')} placeholder={t('auditLog.anyRequest')} value={f.requestId}
          onChange={(e) => a.setFilter({ requestId: e.target.value })} options={requestOptions} />
        <SelectField label={t('auditLog.type')} placeholder={t('auditLog.anyType')} value={f.action}
          onChange={(e) => a.setFilter({ action: e.target.value })}
          options={AUDIT_TYPES.map((p) => ({ value: p, label: t(`auditLog.types.${typeKey(p)}`) }))} />
        <DateField label={t('auditLog.from')} value={f.from} onChange={(from) => a.setFilter({ from })} />
        <DateField label={t('auditLog.to')} value={f.to} onChange={(to) => a.setFilter({ to })} />
        <div className="actions">
          <Button type="submit" variant="primary">{t('auditLog.apply')}</Button>
        </div>
        <p className="muted small audit-log__hint">{t('auditLog.periodHint')}</p>
      </form>

      <ErrorBanner error={a.error} />
      {a.loading && a.rows.length === 0 ? <Loading label={t('auditLog.loading')} /> : a.rows.length === 0 ? <EmptyState>{t('auditLog.empty')}</EmptyState> : (
        <>
          <div className="table-wrap">
            <table className="table audit-table">
              <caption className="sr-only">{t('auditLog.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('auditLog.col.seq')}</th>
                  <th scope="col">{t('auditLog.col.at')}</th>
                  <th scope="col">{t('auditLog.col.actor')}</th>
                  <th scope="col">{t('auditLog.col.action')}</th>
                  <th scope="col">{t('auditLog.col.detail')}</th>
                  <th scope="col">{t('auditLog.col.hash')}</th>
                </tr>
              </thead>
              <tbody>
                {a.rows.map((r) => (
                  <tr key={`${r.deviceId}:${r.seq}`} data-action={r.action}>
                    <td className="num">{r.seq}</td>
                    <td><time dateTime={new Date(r.at).toISOString()}>{formatDateTime(r.at)}</time></td>
                    <td>{auditActorLabel(r)}</td>
                    <td>{auditActionLabel(r.action)}</td>
                    <td className="small"><AuditEntryDetail entry={r} userName={userName} /></td>
                    <td className="mono small audit-table__hash" title={r.hash}>{r.hash.slice(0, 10)}…</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="toolbar">
            <span className="muted">
              {t(a.totalCapped ? 'auditLog.pageMoreThan' : 'auditLog.page', { from: a.offset + 1, to: a.offset + a.rows.length, total: a.total })}
            </span>
            <Button size="sm" disabled={a.offset === 0 || a.loading} onClick={() => void a.prevPage()}>{t('auditLog.prev')}</Button>
            <Button size="sm" disabled={a.nextCursor === null || a.loading} onClick={() => void a.nextPage()}>{t('auditLog.next')}</Button>
          </div>
        </>
      )}
    </section>
  );
}
