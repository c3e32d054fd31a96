/** A customer e-mail's delivery state as a badge, and a failure's reason in words (issue 12). */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { MailError, NoticeStatus } from '../../../electron/shared/mail';
import './strings';
import './mail.css';

export function NoticeBadge({ status }: { status: NoticeStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge--mail-${status}`} data-status={status}>{t(`mailUi.status.${status}`)}</span>;
}

export function reasonText(t: TFunction, error: MailError): string {
  return t(`mail.error.${error}`);
}
