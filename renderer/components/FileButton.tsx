/**
 * Choosing files in the UI's language (issue 14): the browser's own file input says "Choose Files" / "No file
 * chosen" in the browser's language, whatever the app speaks. This keeps the real <input type="file"> (labelled by
 * the field's label, visually hidden, out of the tab order) and shows a labelled button that opens it, plus what
 * was chosen. One component for every file field.
 */
import { useRef, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button';
import './strings';

export interface FileButtonProps {
  /** The id of the hidden input: the field's <label htmlFor> points at it. */
  id: string;
  /** The id of the field's label, read as the button's description. */
  labelId?: string;
  multiple?: boolean;
  accept?: string;
  disabled?: boolean;
  invalid?: boolean;
  /** Extra description ids (hint, error). */
  describedBy?: string;
  /** What is chosen now ("captura.png · 20 KB"); empty shows "Ningún archivo elegido". */
  chosen?: string;
  onChange: (e: ChangeEvent<HTMLInputElement>) => void;
}

export function FileButton({ id, labelId, multiple, accept, disabled, invalid, describedBy, chosen, onChange }: FileButtonProps) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const statusId = `${id}-chosen`;
  return (
    <div className="file-button">
      <input
        ref={input}
        id={id}
        type="file"
        className="sr-only"
        tabIndex={-1}
        multiple={multiple}
        accept={accept}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        onChange={onChange}
      />
      <Button
        disabled={disabled}
        aria-describedby={[labelId, statusId, describedBy].filter(Boolean).join(' ')}
        onClick={() => input.current?.click()}
      >
        {t(multiple ? 'ui.chooseFiles' : 'ui.chooseFile')}
      </Button>{' '}
      <span id={statusId} className="file-button__chosen muted small">
        {chosen || t(multiple ? 'ui.noFiles' : 'ui.noFile')}
      </span>
    </div>
  );
}
