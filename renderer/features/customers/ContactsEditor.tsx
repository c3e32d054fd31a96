/** The contact list of a customer (name, e-mail, phone with lada, legal representative). */
import { useFieldArray, useFormContext } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Button, CheckboxField, TextField } from '../ticket/ui';
import { emptyContact, type ContactsFormValues } from './customerForm';

export function ContactsEditor({ disabled }: { disabled?: boolean }) {
  const { t } = useTranslation();
  const { control, register, formState } = useFormContext<ContactsFormValues>();
  // keyName keeps the contact's own `id` in the values (the array needs a key of its own).
  const { fields, append, remove } = useFieldArray({ control, name: 'contacts', keyName: 'key' });
  const errors = formState.errors.contacts;
  return (
    <fieldset className="card contacts">
      <legend>{t('customers.contacts')}</legend>
      {fields.length === 0 ? <p className="field__hint">{t('customers.noContacts')}</p> : null}
      {fields.map((field, i) => (
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
