/**
 * The intake form's schema, derived from the contract's `ticketCreateSchema`: the same field rules,
 * flattened for the form (the new-customer fields count only when the RFC is not registered).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import type { Resolver } from 'react-hook-form';
import { z } from 'zod';
import { ticketCreateSchema, type MethodInput } from '../../../electron/shared/contract';
import { CATEGORIES, type SEVERITIES, type Category } from '../../../electron/shared/domain';
import { checkRfc } from '../../../electron/shared/rfc';
import type { AttachmentUpload } from '../ticket/evidence';
import { useIntake } from './intakeStore';

const ticket = ticketCreateSchema.shape;
const newCustomer = ticket.customer.options[1].shape;

const baseSchema = z.object({
  rfc: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  channel: ticket.channel,
  requestType: ticket.requestType,
  supportType: ticket.supportType,
  category: z.string(),
  priority: z.enum(['low', 'normal', 'high']),
  severity: z.enum(['1', '2', '3']),
  subject: ticket.subject,
  description: ticket.description,
});

export type IntakeValues = z.input<typeof baseSchema>;

export const intakeDefaults: IntakeValues = {
  rfc: '',
  name: '',
  email: '',
  phone: '',
  channel: 'phone',
  requestType: 'general',
  supportType: 'web',
  category: '',
  priority: 'normal',
  severity: '1',
  subject: '',
  description: '',
};

/** The RFC as typed, checked with checkRfc (format, date, inconvenient word; the check digit only warns). */
export const rfcField = z.string().superRefine((value, ctx) => {
  const rfc = checkRfc(value);
  if (!rfc.ok) ctx.addIssue({ code: 'custom', message: rfc.error ?? 'rfc.format' });
});

const categoryField = z.string().refine((v) => (CATEGORIES as readonly string[]).includes(v), 'validation.required');

/** The form schema for a customer that is registered (`existing`) or will be (`new`). */
export function intakeSchema(customerKind: 'existing' | 'new') {
  const forNew = customerKind === 'new';
  return baseSchema.extend({
    rfc: rfcField,
    category: categoryField,
    name: forNew ? newCustomer.name : z.string(),
    email: forNew ? newCustomer.email : z.string(),
    phone: forNew ? newCustomer.phone : z.string(),
  });
}

/** Validates against the schema that fits the current look-up (unknown RFC ⇒ new customer). */
export const intakeResolver: Resolver<IntakeValues> = (values, context, options) => {
  const kind = useIntake.getState().lookupStatus === 'known' ? 'existing' : 'new';
  // The two schemas differ only in how strictly they check the same string fields.
  const resolve = zodResolver(intakeSchema(kind)) as unknown as Resolver<IntakeValues>;
  return resolve(values, context, options);
};

/** The tickets.create input for the form values. */
export function toCreateInput(v: IntakeValues, customerId: string | null, attachments: AttachmentUpload[]): MethodInput<'tickets.create'> {
  const severity = Number(v.severity) as (typeof SEVERITIES)[number];
  return {
    customer: customerId
      ? { kind: 'existing', customerId }
      : { kind: 'new', rfc: v.rfc, name: v.name, email: v.email, phone: v.phone },
    channel: v.channel,
    requestType: v.requestType,
    supportType: v.supportType,
    category: v.category as Category,
    priority: v.priority,
    severity,
    subject: v.subject,
    description: v.description,
    attachments,
  };
}

/** Maps core's field paths (customer.rfc, …) onto the form's flat fields. */
export function formFieldOf(path: string): keyof IntakeValues | 'attachments' | null {
  if (path.startsWith('attachments')) return 'attachments';
  const flat = path.startsWith('customer.') ? path.slice('customer.'.length) : path;
  if (flat === 'customerId') return 'rfc';
  return flat in intakeDefaults ? (flat as keyof IntakeValues) : null;
}
