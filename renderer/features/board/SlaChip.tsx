/** The SLA state as a coloured badge that always carries its text ("Vencido", "En pausa"…). */
import { useTranslation } from 'react-i18next';
import type { SlaState } from '../../../electron/shared/sla';
import './strings';

export function SlaChip({ state }: { state: SlaState }) {
  const { t } = useTranslation();
  return <span className={`sla-chip sla-chip--${state}`} data-sla-state={state}>{t(`slaState.${state}`)}</span>;
}
