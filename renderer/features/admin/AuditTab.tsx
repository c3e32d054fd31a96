import { useTranslation } from 'react-i18next';
import { call } from '../../app/api';
import { useApiAction } from '../../app/useApiAction';
import { Button, ErrorBanner } from '../../components';
import { useState } from 'react';
import type { AuditVerification } from '../../../electron/shared/types';

function useAuditVerify() {
  const [result, setResult] = useState<AuditVerification | null>(null);
  const verify = useApiAction(async () => {
    setResult(null);
    setResult(await call('audit.verify', {}));
  });
  return { result, verify: () => void verify.run(), pending: verify.pending, error: verify.error };
}

export function AuditTab() {
  const { t } = useTranslation();
  const a = useAuditVerify();
  const r = a.result;
  return (
    <div className="stack form-narrow">
      <p className="muted">{t('admin.audit.intro')}</p>
      <div>
        <Button variant="primary" pending={a.pending} onClick={a.verify}>{t('admin.audit.verify')}</Button>
      </div>
      <ErrorBanner error={a.error} />
      {r ? (
        r.ok || !r.firstBroken ? (
          <div className="banner banner--ok" role="status">{t('admin.audit.ok', { count: r.checked })}</div>
        ) : (
          <div className="banner banner--error" role="alert">
            {t('admin.audit.broken', {
              seq: r.firstBroken.seq,
              reason: t(`admin.audit.reason.${r.firstBroken.reason}`),
              count: r.checked,
            })}
          </div>
        )
      ) : null}
    </div>
  );
}
