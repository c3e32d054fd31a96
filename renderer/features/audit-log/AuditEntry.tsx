/** One audit entry's detail cell: labelled lines, and the raw entry behind "Detalle técnico". */
import { useTranslation } from 'react-i18next';
import type { AuditRecord } from '../../../electron/shared/request-types';
import { auditLines, auditTechnical, type DescribeOptions } from './describe';

export function AuditEntryDetail({ entry, userName }: { entry: AuditRecord } & DescribeOptions) {
  const { t } = useTranslation();
  const lines = auditLines(entry, { userName });
  return (
    <div className="audit-entry">
      {lines.length > 0 ? (
        <dl className="audit-entry__lines">
          {lines.map((l, i) => (
            <div key={i}>
              <dt>{l.label}</dt>
              <dd>{l.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <details className="audit-entry__raw">
        <summary>{t('auditLog.technical')}</summary>
        <pre className="mono">{auditTechnical(entry)}</pre>
      </details>
    </div>
  );
}
