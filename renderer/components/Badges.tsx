/** Glossary values as small coloured badges (status, severity, priority, tier). */
import { useTranslation } from 'react-i18next';
import type { Priority, Severity, Status, Tier, WaitingOn } from '../../electron/shared/domain';

export function StatusBadge({ status, waitingOn }: { status: Status; waitingOn?: WaitingOn | null }) {
  const { t } = useTranslation();
  const text = status === 'waiting' && waitingOn ? t(`waitingOn.${waitingOn}`) : t(`status.${status}`);
  return <span className={`badge badge--status-${status}`}>{text}</span>;
}

export function SeverityBadge({ severity, short }: { severity: Severity; short?: boolean }) {
  const { t } = useTranslation();
  const full = t(`severity.${severity}`);
  return (
    <span className={`badge badge--sev${severity}`} title={full}>
      {short ? <><span aria-hidden="true">S{severity}</span><span className="sr-only">{full}</span></> : full}
    </span>
  );
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return <span className={`badge badge--prio-${priority}`}>{t(`priority.${priority}`)}</span>;
}

export function TierBadge({ tier }: { tier: Tier }) {
  const { t } = useTranslation();
  return <span className={`badge badge--tier`}>{t(`tier.${tier}`)}</span>;
}
