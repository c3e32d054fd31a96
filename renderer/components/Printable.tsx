/**
 * The one way to print in the product (the ARCO export, the reports): a document with a toolbar
 * (back, print) that the print stylesheet hides together with the application around it. The
 * browser's or Electron's print dialog prints it or saves it as PDF.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button';
import './printable.css';

export function PrintableDocument({ backLabel, onBack, className = '', children }: {
  backLabel: string;
  onBack: () => void;
  className?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <article className={`printable ${className}`.trim()}>
      <div className="printable__tools">
        <Button onClick={onBack}>{backLabel}</Button>
        <Button variant="primary" onClick={() => window.print()}>{t('ui.print')}</Button>
      </div>
      {children}
    </article>
  );
}
