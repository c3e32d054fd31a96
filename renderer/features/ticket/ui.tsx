/**
 * Form pieces for the intake, ticket and customer screens: the shared controls from
 * renderer/components, plus the evidence (attachments) picker these three screens share.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { Button, FileButton } from '../../components';
import type { Evidence } from './evidence';
import { formatBytes } from './format';

export { Button, CheckboxField, ErrorBanner, SelectField, TextAreaField, TextField, type Option } from '../../components';

/** A file input (multiple) plus the chosen files with name, type, size and "Quitar". */
export function EvidenceInput({ evidence, label, disabled }: { evidence: Evidence; label: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={`field evidence${evidence.error ? ' field--invalid' : ''}`}>
      <label id={`${id}-label`} htmlFor={id} className="field__label">
        {label}
      </label>
      <FileButton
        id={id}
        labelId={`${id}-label`}
        multiple
        disabled={disabled}
        invalid={Boolean(evidence.error)}
        describedBy={evidence.error ? errorId : undefined}
        chosen={evidence.files.length > 0 ? t('evidence.count', { count: evidence.files.length }) : ''}
        onChange={(e) => {
          const input = e.currentTarget;
          void evidence.add(input.files ? Array.from(input.files) : null).then(() => {
            input.value = '';
          });
        }}
      />
      {evidence.error ? (
        <div id={errorId} className="field__error" role="alert">
          {errorMessage(evidence.error)}
        </div>
      ) : null}
      {evidence.files.length > 0 ? (
        <ul className="file-list" aria-label={t('evidence.chosen')}>
          {evidence.files.map((f) => (
            <li key={f.key}>
              <span className="file-name">{f.fileName}</span> <span className="file-meta">{f.mimeType}</span>{' '}
              <span className="file-meta">{formatBytes(f.sizeBytes)}</span>{' '}
              <Button variant="ghost" size="sm" onClick={() => evidence.remove(f.key)} aria-label={t('evidence.removeNamed', { fileName: f.fileName })}>
                {t('evidence.remove')}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Past this many characters or lines a text starts folded ("ver más"): the composer and the rest of the timeline stay close. */
const FOLD_CHARS = 700;
const FOLD_LINES = 10;

/** A long description or message, folded to its first lines until the reader asks for the rest. */
export function LongText({ text, className }: { text: string; className?: string }) {
  const { t } = useTranslation();
  const long = text.length > FOLD_CHARS || text.split('\n').length > FOLD_LINES;
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <div id={id} className={`${className ?? ''}${long && !open ? ' long-text--folded' : ''}`}>{text}</div>
      {long ? (
        <button type="button" className="linklike long-text__toggle" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
          {t(open ? 'ticket.showLess' : 'ticket.showMore')}
        </button>
      ) : null}
    </>
  );
}
