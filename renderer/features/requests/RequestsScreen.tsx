/** "Solicitudes": every change request, filtered by state, kind and whose turn it is. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANGE_REQUEST_KINDS, REQUEST_STATES, type ChangeRequestKind } from '../../../electron/shared/request-workflow';
import { Button, EmptyState, ErrorBanner, Loading, MultiSelect, PageHeader, SelectField, formatDateTime } from '../../components';
import { useNav } from '../../stores/nav';
import { useSession } from '../../stores/session';
import { RequestStateBadge } from './parts';
import { useRequestList, visibleRows, type RequestView } from './requestsStore';
import './requests.css';
import './strings';

const VIEWS: RequestView[] = ['all', 'mine', 'awaiting_me'];

export function RequestsScreen() {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const list = useRequestList();
  const canRegister = useSession((s) => s.hasRole('agent', 'operations', 'supervisor'));
  const rows = visibleRows(list.rows, list.kind);

  useEffect(() => {
    void useRequestList.getState().load();
  }, []);

  return (
    <section className="page requests-screen">
      <PageHeader
        title={t('requests.title')}
        actions={canRegister ? <Button variant="primary" onClick={() => go({ name: 'newRequest' })}>{t('requests.newRequest')}</Button> : null}
      >
        <p className="muted">{t('requests.intro')}</p>
      </PageHeader>
      <div className="filterbar">
        <SelectField
          className="field--inline"
          label={t('requests.filterView')}
          value={list.view}
          onChange={(e) => list.setView(e.target.value as RequestView)}
          options={VIEWS.map((v) => ({ value: v, label: t(`requests.view.${v}`) }))}
        />
        <MultiSelect
          label={t('requests.filterState')}
          options={REQUEST_STATES.map((s) => ({ value: s, label: t(`requestState.${s}`) }))}
          value={list.states}
          onChange={list.setStates}
        />
        <SelectField
          className="field--inline"
          label={t('requests.filterKind')}
          value={list.kind}
          placeholder={t('requests.allKinds')}
          onChange={(e) => list.setKind(e.target.value as ChangeRequestKind | '')}
          options={CHANGE_REQUEST_KINDS.map((k) => ({ value: k, label: t(`requestKind.${k}`) }))}
        />
      </div>
      <ErrorBanner error={list.error} />
      {list.loading && list.rows.length === 0 ? (
        <Loading label={t('requests.loading')} />
      ) : rows.length === 0 ? (
        <EmptyState>{t('requests.empty')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table requests-table">
            <caption className="sr-only">{t('requests.table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('requests.col.customer')}</th>
                <th scope="col">{t('requests.col.kind')}</th>
                <th scope="col">{t('requests.col.state')}</th>
                <th scope="col">{t('requests.col.ticket')}</th>
                <th scope="col">{t('requests.col.createdBy')}</th>
                <th scope="col">{t('requests.col.updatedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-request={r.id}>
                  <td>
                    <button type="button" className="linklike" aria-label={t('requests.open', { customer: r.customerName })}
                      onClick={() => go({ name: 'request', requestId: r.id })}>
                      {r.customerName}
                    </button>
                    <div className="mono small muted">{r.rfc}</div>
                  </td>
                  <td>
                    {t(`requestKind.${r.kind}`)}
                    {r.controlAdicional ? <> <span className="badge badge--warn">{t('requests.controlAdicional')}</span></> : null}
                  </td>
                  <td><RequestStateBadge state={r.state} /></td>
                  <td className="mono">{r.trackingNumber}</td>
                  <td>{r.createdByName ?? '—'}</td>
                  <td><time dateTime={new Date(r.updatedAt).toISOString()}>{formatDateTime(r.updatedAt)}</time></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
