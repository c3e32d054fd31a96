/**
 * The ticket list's per-user settings (issue 14): saved views (a named set of view, filters, search
 * and sort, pinned beside the views or not) and the columns shown with their widths. Both are
 * stored per user in the workspace (core/tickets/list-prefs.ts) and validated here.
 */
import { z } from 'zod';
import { str, uuid } from './text';

export const LIST_COLUMNS = [
  'trackingNumber', 'subject', 'customer', 'status', 'sla', 'severity', 'tier', 'priority', 'assignee', 'updatedAt', 'createdAt',
  'channel', 'category',
] as const;
export type ListColumn = (typeof LIST_COLUMNS)[number];

export const listColumnsSchema = z
  .array(z.object({ id: z.enum(LIST_COLUMNS), width: z.number().int().min(30).max(1200) }))
  .min(1, 'listPrefs.noColumns')
  .max(LIST_COLUMNS.length)
  .refine((cols) => new Set(cols.map((c) => c.id)).size === cols.length, 'listPrefs.repeatedColumn')
  .refine((cols) => cols.some((c) => c.id === 'trackingNumber' || c.id === 'subject'), 'listPrefs.needsIdentity');
export type ListColumnPref = z.infer<typeof listColumnsSchema>[number];

/** How many saved views one user may keep. */
export const SAVED_VIEWS_MAX = 30;

export const savedViewName = str().trim().min(1, 'validation.required').max(60, 'validation.tooLong');
export const savedViewIdSchema = z.object({ viewId: uuid() });
export const savedViewPinSchema = z.object({ viewId: uuid(), pinned: z.boolean() });
