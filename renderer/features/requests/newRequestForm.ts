/**
 * The new-request form: its values, validation (the contract's rules for each kind, on form-shaped
 * values), the `requests.create` input it builds, and the before/after preview.
 */
import { z } from 'zod';
import { fiscalAddressSchema, type MethodInput } from '../../../electron/shared/contract';
import type { FieldDiff } from '../../../electron/shared/request-types';
import {
  ACCESS_OPERATIONS, CHANGE_REQUEST_KINDS, SERVICE_STATUSES,
} from '../../../electron/shared/request-workflow';
import type { Customer, FiscalAddress } from '../../../electron/shared/types';

const required = 'validation.required';
const emptyAddress: FiscalAddress = { street: '', exteriorNumber: '', interiorNumber: '', neighborhood: '', city: '', state: '', postalCode: '' };

export const newRequestSchema = z
  .object({
    customerId: z.string().min(1, required),
    ticketId: z.string().min(1, required),
    kind: z.enum(CHANGE_REQUEST_KINDS),
    accessOperation: z.enum(ACCESS_OPERATIONS),
    portalUsername: z.string().trim().max(80, 'validation.tooLong'),
    rfc: z.string().trim().toUpperCase().max(13, 'rfc.length'),
    name: z.string().trim().max(250, 'validation.tooLong'),
    phone: z.string().trim().max(30, 'validation.tooLong'),
    registeredEmail: z.string().trim().max(254, 'validation.tooLong'),
    changeAddress: z.boolean(),
    fiscalAddress: fiscalAddressSchema,
    serviceStatus: z.enum(SERVICE_STATUSES),
    creditPackage: z.string().trim().max(100, 'validation.tooLong'),
    requesterContactId: z.string().min(1, required),
    fromEmail: z.string().trim().min(1, required).pipe(z.email('validation.email')),
    reason: z.string().trim().min(1, required).max(5000, 'validation.tooLong'),
  })
  .superRefine((v, ctx) => {
    const need = (path: string, ok: boolean, message = required) => {
      if (!ok) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    if (v.kind === 'access_control') need('portalUsername', v.portalUsername !== '');
    if (v.kind === 'credit_package_change') need('creditPackage', v.creditPackage !== '');
    if (v.kind === 'sensitive_change') {
      if (v.rfc !== '') need('rfc', v.rfc.replace(/[\s-]/g, '').length >= 12, 'rfc.length');
      if (v.registeredEmail !== '') need('registeredEmail', z.email().safeParse(v.registeredEmail).success, 'validation.email');
      if (v.phone !== '') need('phone', /^\d{10}$/.test(v.phone.replace(/[\s().-]/g, '').replace(/^\+?52/, '')), 'validation.phone');
      const any = v.rfc !== '' || v.name !== '' || v.phone !== '' || v.registeredEmail !== '' || v.changeAddress;
      need('rfc', any, 'requests.form.noChange');
    }
  });

export type NewRequestValues = z.input<typeof newRequestSchema>;
export type NewRequestOutput = z.output<typeof newRequestSchema>;

export function newRequestDefaults(customerId = ''): NewRequestValues {
  return {
    customerId, ticketId: '', kind: 'sensitive_change', accessOperation: 'grant', portalUsername: '',
    rfc: '', name: '', phone: '', registeredEmail: '', changeAddress: false, fiscalAddress: { ...emptyAddress },
    serviceStatus: 'suspended', creditPackage: '', requesterContactId: '', fromEmail: '', reason: '',
  };
}

type Upload = { fileName: string; mimeType: string; contentBase64: string };

/** The `requests.create` input for these values and the signed form. */
export function toCreateInput(v: NewRequestOutput, signedForm: Upload): MethodInput<'requests.create'> {
  const base = { customerId: v.customerId, ticketId: v.ticketId, requesterContactId: v.requesterContactId, fromEmail: v.fromEmail, reason: v.reason, signedForm };
  switch (v.kind) {
    case 'access_control':
      return { ...base, kind: 'access_control', access: { operation: v.accessOperation, portalUsername: v.portalUsername } };
    case 'service_suspension':
      return { ...base, kind: 'service_suspension', serviceStatus: v.serviceStatus };
    case 'credit_package_change':
      return { ...base, kind: 'credit_package_change', creditPackage: v.creditPackage };
    case 'sensitive_change':
      return {
        ...base,
        kind: 'sensitive_change',
        changes: {
          ...(v.rfc ? { rfc: v.rfc } : {}),
          ...(v.name ? { name: v.name } : {}),
          ...(v.phone ? { phone: v.phone } : {}),
          ...(v.registeredEmail ? { registeredEmail: v.registeredEmail } : {}),
          ...(v.changeAddress ? { fiscalAddress: v.fiscalAddress } : {}),
        },
      };
  }
}

/** Core's field paths (e.g. `changes.rfc`) → this form's fields. */
export function formFieldOf(path: string): keyof NewRequestValues | null {
  const map: Record<string, keyof NewRequestValues> = {
    'changes.rfc': 'rfc', 'changes.name': 'name', 'changes.phone': 'phone', 'changes.registeredEmail': 'registeredEmail',
    'access.portalUsername': 'portalUsername', creditPackage: 'creditPackage', fromEmail: 'fromEmail', reason: 'reason',
    ticketId: 'ticketId', requesterContactId: 'requesterContactId', customerId: 'customerId',
  };
  return map[path] ?? null;
}

/** What the preview shows before anything is sent: the customer's values now, and the proposal. */
export function previewDiff(customer: Customer | null, v: NewRequestValues): FieldDiff[] {
  if (!customer) return [];
  const out: FieldDiff[] = [];
  const add = (field: string, before: unknown, after: unknown) => {
    if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ field, before, after });
  };
  switch (v.kind) {
    case 'sensitive_change': {
      if (v.rfc.trim()) add('rfc', customer.rfc, v.rfc.trim().toUpperCase().replace(/[\s-]/g, ''));
      if (v.name.trim()) add('name', customer.name, v.name.trim());
      if (v.changeAddress) add('fiscalAddress', customer.fiscalAddress, v.fiscalAddress);
      if (v.registeredEmail.trim()) add('registeredEmail', customer.registeredEmail, v.registeredEmail.trim().toLowerCase());
      if (v.phone.trim()) {
        const requester = customer.contacts.find((c) => c.id === v.requesterContactId);
        add('phone', requester?.phone ?? '', v.phone.trim());
      }
      break;
    }
    case 'service_suspension':
      add('serviceStatus', customer.serviceStatus, v.serviceStatus);
      break;
    case 'credit_package_change':
      if (v.creditPackage.trim()) add('creditPackage', customer.creditPackage, v.creditPackage.trim());
      break;
    case 'access_control':
      if (v.portalUsername.trim()) out.push({ field: 'access', before: null, after: { operation: v.accessOperation, portalUsername: v.portalUsername.trim() } });
      break;
  }
  return out;
}
