/**
 * The contact list of a customer (name, e-mail, phone with lada, legal representative). On a
 * registered customer, `protectedIds` are its saved legal representatives: shown read-only (they
 * change through a request); a customer without any may mark its first one here.
 */
import { useFieldArray, useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Button, CheckboxField, TextField } from '../ticket/ui';
import { emptyContact, type ContactsFormValues } from './customerForm';

export function ContactsEditor({ disabled, protectedIds }: { disabled?: boolean; protectedIds?: ReadonlySet<string> }) {
  const { t } = useTranslation();
  const { control, register, formState } = useFormContext<ContactsFormValues>();
  // keyName keeps the contact's own `id` in the values (the array needs a key of its own).
  const { fields, append, remove } = useFieldArray({ control, name: 'contacts', keyName: 'key' });
  const errors = formState.errors.contacts;
  const isProtected = (id: string | undefined) => Boolean(id && protectedIds?.has(id));
  return (
    <fieldset className="card contacts">
      <legend>{t('customers.contacts')}</legend>
      {fields.length === 0 ? <p className="field__hint">{t('customers.noContacts')}</p> : null}
      {protectedIds && protectedIds.size === 0 ? <p className="field__hint" data-testid="first-legal-representative-hint">{t('customers.firstLegalRepresentativeHint')}</p> : null}
      {fields.map((field, i) => isProtected(field.id) ? (
        <fieldset key={field.key} className="contact contact--protected">
          <legend>{t('customers.contact', { n: i + 1 })}</legend>
          <p>
            <strong>{field.name}</strong>{field.email ? ` · ${field.email}` : ''}{field.phone ? ` · ${field.phone}` : ''}
            {' · '}{t('customers.legalRepresentative')}
          </p>
          <p className="field__hint">{t('customers.legalRepresentativeProtectedHint')}</p>
        </fieldset>
      ) : (
        <fieldset key={field.key} className="contact">
          <legend>{t('customers.contact', { n: i + 1 })}</legend>
          <div className="row">
            <TextField label={t('customers.contactName')} disabled={disabled} error={errors?.[i]?.name?.message} {...register(`contacts.${i}.name`)} />
            <TextField label={t('customers.contactEmail')} type="email" disabled={disabled} error={errors?.[i]?.email?.message} {...register(`contacts.${i}.email`)} />
            <TextField label={t('customers.contactPhone')} type="tel" disabled={disabled} error={errors?.[i]?.phone?.message} {...register(`contacts.${i}.phone`)} />
          </div>
          <div className="row">
            <CheckboxField label={t('customers.legalRepresentative')} disabled={disabled} {...register(`contacts.${i}.isLegalRepresentative`)} />
            <Button variant="ghost" size="sm" disabled={disabled} onClick={() => remove(i)}>
              {t('customers.removeContact')}
            </Button>
          </div>
        </fieldset>
      ))}
      <div>
        <Button size="sm" disabled={disabled} onClick={() => append({ ...emptyContact })}>
          {t('customers.addContact')}
        </Button>
      </div>
    </fieldset>
  );
}
