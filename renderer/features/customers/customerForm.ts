/** Form schemas for creating and editing a customer, derived from the contract's. */
import { z } from 'zod';
import { type contactSchema, customerCreateSchema, customerUpdateSchema } from '../../../electron/shared/contract';
import { checkRfc, type RfcCheck } from '../../../electron/shared/rfc';

const rfcField = customerCreateSchema.shape.rfc.superRefine((value, ctx) => {
  const rfc = checkRfc(value);
  if (!rfc.ok) ctx.addIssue({ code: 'custom', message: rfc.error ?? 'rfc.format' });
});

export const newCustomerSchema = customerCreateSchema.extend({ rfc: rfcField });
export type NewCustomerValues = z.input<typeof newCustomerSchema>;
export type NewCustomerOutput = z.output<typeof newCustomerSchema>;

/** The registered e-mail is in the form only while the customer has none (its first one is a normal edit). */
export const editCustomerSchema = customerUpdateSchema.omit({ customerId: true }).extend({
  registeredEmail: customerUpdateSchema.shape.registeredEmail.or(z.literal('')),
});
export type EditCustomerValues = z.input<typeof editCustomerSchema>;
export type EditCustomerOutput = z.output<typeof editCustomerSchema>;

export type ContactValues = z.input<typeof contactSchema>;
/** Any form that edits a contact list. */
export interface ContactsFormValues {
  contacts?: ContactValues[];
}

export const emptyContact: ContactValues = { name: '', email: '', phone: '', isLegalRepresentative: false };

export const newCustomerDefaults: NewCustomerValues = {
  rfc: '',
  name: '',
  taxRegime: '',
  fiscalAddress: { street: '', exteriorNumber: '', interiorNumber: '', neighborhood: '', city: '', state: '', postalCode: '' },
  registeredEmail: '',
  plan: 'basic',
  contacts: [],
};

/**
 * Live RFC feedback while typing: the error once the RFC has its full length (or the field was
 * left), and the non-blocking check-digit warning.
 */
export function rfcFeedback(value: string, touched: boolean): { check: RfcCheck | null; error?: string; expectedCheckDigit?: string } {
  if (!value.trim()) return { check: null };
  const check = checkRfc(value);
  const show = touched || check.normalized.length >= 12;
  return {
    check,
    error: !check.ok && show ? check.error : undefined,
    expectedCheckDigit: check.ok && check.warnings.includes('rfc.checkDigit') ? check.expectedCheckDigit : undefined,
  };
}
