/** Glossary values as small coloured badges (status, severity, priority, tier). */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Priority, Severity, Status, Tier, WaitingOn } from '../../electron/shared/domain';

/*
 * The badges are also plain functions of `t`: a screen that paints many rows (the ticket list)
 * calls them with its one `t` instead of mounting a component with its own useTranslation per
 * badge (react-i18next copies the i18next instance on every mount).
 */
export function statusBadge(t: TFunction, status: Status, waitingOn?: WaitingOn | null) {
  const text = status === 'waiting' && waitingOn ? t(`waitingOn.${waitingOn}`) : t(`status.${status}`);
  return <span className={`badge badge--status-${status}`}>{text}</span>;
}

export function StatusBadge({ status, waitingOn }: { status: Status; waitingOn?: WaitingOn | null }) {
  const { t } = useTranslation();
  return statusBadge(t, status, waitingOn);
}

export function severityBadge(t: TFunction, severity: Severity, short?: boolean) {
  const full = t(`severity.${severity}`);
  return (
    <span className={`badge badge--sev${severity}`} title={full}>
      {short ? <><span aria-hidden="true">S{severity}</span><span className="sr-only">{full}</span></> : full}
    </span>
  );
}

export function SeverityBadge({ severity, short }: { severity: Severity; short?: boolean }) {
  const { t } = useTranslation();
  return severityBadge(t, severity, short);
}

export function priorityBadge(t: TFunction, priority: Priority) {
  return <span className={`badge badge--prio-${priority}`}>{t(`priority.${priority}`)}</span>;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return priorityBadge(t, priority);
}

export function TierBadge({ tier }: { tier: Tier }) {
  const { t } = useTranslation();
  return <span className={`badge badge--tier`}>{t(`tier.${tier}`)}</span>;
}
