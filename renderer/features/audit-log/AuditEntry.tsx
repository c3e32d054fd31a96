/** One audit entry's detail cell: labelled lines, and the raw entry behind "Detalle técnico". */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditRecord } from '../../../electron/shared/request-types';
import { auditLines, auditTechnical, type DescribeOptions } from './describe';

export function AuditEntryDetail({ entry, userName }: { entry: AuditRecord } & DescribeOptions) {
  const { t } = useTranslation();
  const lines = auditLines(entry, { userName });
  // The raw entry is built only when someone opens it: a page holds fifty of them.
  const [open, setOpen] = useState(false);
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
      <details className="audit-entry__raw" onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>{t('auditLog.technical')}</summary>
        {open ? <pre className="mono">{auditTechnical(entry)}</pre> : null}
      </details>
    </div>
  );
}
