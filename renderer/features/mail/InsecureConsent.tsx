/**
 * The warning and the explicit consent a mail server without TLS needs, shared by the outgoing (SMTP)
 * and incoming (IMAP) forms: the password would travel in clear, so the administrator must say so.
 */
import type { UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { CheckboxField } from '../../components';
import './strings';

export function InsecureConsent({ field, error }: { field: UseFormRegisterReturn; error?: string }) {
  const { t } = useTranslation();
  return (
    <div className="mail-form__wide stack">
      <p className="mail-warning" role="alert">{t('mailUi.insecureWarning')}</p>
      <CheckboxField label={t('mailUi.acceptInsecure')} {...field} />
      {error ? <p className="field__error">{t(error)}</p> : null}
    </div>
  );
}
