/** The supervisor's notice: emergency sessions still unreviewed after N days (issue 4 §5). */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNav } from '../../stores/nav';
import { OVERDUE_DAYS, useOverdueReviews } from './reviewStore';
import './strings';

export function OverdueReviewsNotice() {
  const { t } = useTranslation();
  const rows = useOverdueReviews((s) => s.rows);
  const go = useNav((s) => s.go);
  useEffect(() => {
    void useOverdueReviews.getState().load();
  }, []);
  if (rows.length === 0) return null;
  return (
    <div className="banner banner--warn overdue-notice" role="status" data-testid="overdue-reviews">
      <span>{t('emergencyUi.overdue', { count: rows.length, days: OVERDUE_DAYS })}</span>{' '}
      <button type="button" className="btn btn--ghost btn--sm" onClick={() => go({ name: 'auditLog', action: 'emergency.' })}>{t('emergencyUi.overdueOpen')}</button>
    </div>
  );
}
