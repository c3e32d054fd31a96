/**
 * The ticket list's per-user settings (issue 14): saved views and the chosen columns with their
 * widths. Each user reads and changes only their own; every change is one audited transaction.
 * What is stored was validated by the contract on the way in and is validated again on the way
 * out (a row written by an older version that no longer parses is left out, not shown broken).
 */
import type { z } from 'zod';
import { savedQuestionSchema, type savedViewSaveSchema } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { listColumnsSchema, SAVED_VIEWS_MAX } from '../../shared/list-prefs';
import type { ListPrefs, SavedView } from '../../shared/types';
import type { Workspace } from '../workspace';

interface ViewRow {
  id: string;
  name: string;
  pinned: number;
  question: string;
  createdAt: number;
}

function toView(row: ViewRow): SavedView | null {
  let raw: unknown;
  try {
    raw = JSON.parse(row.question);
  } catch {
    return null;
  }
  const question = savedQuestionSchema.safeParse(raw);
  return question.success ? { id: row.id, name: row.name, pinned: row.pinned === 1, question: question.data, createdAt: row.createdAt } : null;
}

const VIEW_COLUMNS = 'id, name, pinned, question, created_at AS createdAt';

export class ListSettings {
  constructor(private readonly ws: Workspace) {}

  views(userId: string): SavedView[] {
    const rows = this.ws.sql(`SELECT ${VIEW_COLUMNS} FROM list_views WHERE user_id = ? ORDER BY created_at, id`).all(userId) as ViewRow[];
    return rows.flatMap((r) => toView(r) ?? []);
  }

  saveView(userId: string, input: z.output<typeof savedViewSaveSchema>): SavedView {
    return this.ws.write({ kind: 'user', userId }, (tx) => {
      const taken = tx.sql('SELECT 1 FROM list_views WHERE user_id = ? AND name = ?').get(userId, input.name);
      if (taken) throw new AppError('listViews.nameTaken', undefined, { name: 'listViews.nameTaken' });
      const count = tx.sql('SELECT count(*) FROM list_views WHERE user_id = ?').pluck().get(userId) as number;
      if (count >= SAVED_VIEWS_MAX) throw new AppError('listViews.tooMany', { max: SAVED_VIEWS_MAX });
      const id = tx.id();
      tx.sql('INSERT INTO list_views (id, user_id, name, pinned, question, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(id, userId, input.name, input.pinned ? 1 : 0, JSON.stringify(input.question), tx.at, tx.at);
      tx.audit('listView.saved', 'list_view', id, { name: input.name, pinned: input.pinned, question: input.question });
      return { id, name: input.name, pinned: input.pinned, question: input.question, createdAt: tx.at };
    });
  }

  pinView(userId: string, viewId: string, pinned: boolean): SavedView {
    return this.ws.write({ kind: 'user', userId }, (tx) => {
      const row = this.ownView(userId, viewId);
      tx.sql('UPDATE list_views SET pinned = ?, updated_at = ? WHERE id = ?').run(pinned ? 1 : 0, tx.at, viewId);
      tx.audit('listView.pinned', 'list_view', viewId, { name: row.name, pinned });
      return { ...toView(row)!, pinned };
    });
  }

  deleteView(userId: string, viewId: string): null {
    return this.ws.write({ kind: 'user', userId }, (tx) => {
      const row = this.ownView(userId, viewId);
      tx.sql('DELETE FROM list_views WHERE id = ?').run(viewId);
      tx.audit('listView.deleted', 'list_view', viewId, { name: row.name });
      return null;
    });
  }

  prefs(userId: string): ListPrefs {
    const raw = this.ws.sql('SELECT columns FROM list_prefs WHERE user_id = ?').pluck().get(userId) as string | undefined;
    if (raw === undefined) return { columns: null };
    try {
      const columns = listColumnsSchema.safeParse(JSON.parse(raw));
      return { columns: columns.success ? columns.data : null };
    } catch {
      return { columns: null };
    }
  }

  savePrefs(userId: string, columns: z.output<typeof listColumnsSchema>): ListPrefs {
    return this.ws.write({ kind: 'user', userId }, (tx) => {
      tx.sql(`INSERT INTO list_prefs (user_id, columns, updated_at) VALUES (?, ?, ?)
              ON CONFLICT(user_id) DO UPDATE SET columns = excluded.columns, updated_at = excluded.updated_at`)
        .run(userId, JSON.stringify(columns), tx.at);
      tx.audit('listColumns.saved', 'user', userId, { columns });
      return { columns };
    });
  }

  /** A saved view of this user; another user's is "not found" (its existence is not theirs to learn). */
  private ownView(userId: string, viewId: string): ViewRow {
    const row = this.ws.sql(`SELECT ${VIEW_COLUMNS} FROM list_views WHERE id = ? AND user_id = ?`).get(viewId, userId) as ViewRow | undefined;
    if (!row) throw new AppError('listViews.notFound');
    return row;
  }
}
