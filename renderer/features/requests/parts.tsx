/** Small pieces the request screens share: the state badge and the before/after table. */
import { useTranslation } from 'react-i18next';
import type { FieldDiff } from '../../../electron/shared/request-types';
import type { RequestState } from '../../../electron/shared/request-workflow';
import { EmptyState } from '../../components';
import { diffLines } from './labels';
import './strings';

export function RequestStateBadge({ state }: { state: RequestState }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--req-${state}`} data-state={state}>
      {t(`requestState.${state}`)}
    </span>
  );
}

/** Campo · Antes · Después, one row per field that changes. */
export function DiffTable({ diff, caption, emptyText }: { diff: readonly FieldDiff[]; caption: string; emptyText?: string }) {
  const { t } = useTranslation();
  const lines = diffLines(diff);
  if (lines.length === 0) return <EmptyState>{emptyText}</EmptyState>;
  return (
    <table className="table diff-table" data-testid="diff-table">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('requests.detail.field')}</th>
          <th scope="col">{t('requests.detail.before')}</th>
          <th scope="col">{t('requests.detail.after')}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.field} data-field={l.field}>
            <th scope="row">{l.label}</th>
            <td className="diff-before">{l.before}</td>
            <td className="diff-after">{l.after}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
