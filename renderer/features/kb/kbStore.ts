/** The Base de conocimiento screen's state: the search, its results, the open article and the editor. */
import { create } from 'zustand';
import type { Category } from '../../../electron/shared/domain';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { KbArticle, KbArticleSummary, KbHistory, KbStatus, KbVisibility } from '../../../electron/shared/kb';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';

export interface KbFilters {
  query: string;
  category: Category | '';
  status: KbStatus | '';
  visibility: KbVisibility | '';
}

export interface ArticleDraft {
  title: string;
  category: Category;
  visibility: KbVisibility;
  body: string;
}

type Mode = 'view' | 'edit' | 'new' | 'history';

interface KbState {
  filters: KbFilters;
  rows: KbArticleSummary[];
  total: number;
  nextOffset: number | null;
  loading: boolean;
  listError: ErrorInfo | null;
  article: KbArticle | null;
  mode: Mode;
  busy: boolean;
  actionError: ErrorInfo | null;
  /** Field errors of the last save (i18n keys by field). */
  fieldErrors: Record<string, string>;
  /** A short confirmation after a save or a status change (i18n key). */
  flash: string | null;
  setFilters: (patch: Partial<KbFilters>) => void;
  search: () => Promise<void>;
  loadMore: () => Promise<void>;
  open: (articleId: string) => Promise<void>;
  startNew: () => void;
  startEdit: () => void;
  cancelEdit: () => void;
  save: (draft: ArticleDraft) => Promise<boolean>;
  setStatus: (status: KbStatus) => Promise<void>;
  /** The open article's versions (the history screen). */
  history: KbHistory | null;
  openHistory: () => Promise<void>;
  /** Brings a version back as a new draft version; true when it did. */
  restore: (version: number) => Promise<boolean>;
  /** "¿Le sirvió?" on the open article. */
  giveFeedback: (helpful: boolean) => Promise<void>;
}

const PAGE = 30;
let searchSeq = 0;

function failure(err: unknown): ErrorInfo {
  const info = toErrorInfo(err);
  handleSessionLoss(info);
  return info;
}

function listInput(f: KbFilters, offset: number) {
  return {
    query: f.query,
    ...(f.category ? { category: f.category } : {}),
    ...(f.status ? { status: [f.status] } : {}),
    ...(f.visibility ? { visibility: f.visibility } : {}),
    offset,
    limit: PAGE,
  };
}

export const useKb = create<KbState>((set, get) => ({
  filters: { query: '', category: '', status: '', visibility: '' },
  rows: [],
  total: 0,
  nextOffset: null,
  loading: false,
  listError: null,
  article: null,
  mode: 'view',
  busy: false,
  actionError: null,
  fieldErrors: {},
  flash: null,
  history: null,

  openHistory: async () => {
    const article = get().article;
    if (!article) return;
    set({ actionError: null, flash: null, busy: true });
    try {
      const history = await call('kb.history', { articleId: article.id });
      set({ history, mode: 'history', busy: false });
    } catch (err) {
      set({ actionError: failure(err), busy: false });
    }
  },

  restore: async (version) => {
    const { article } = get();
    if (!article) return false;
    set({ busy: true, actionError: null });
    try {
      const restored = await call('kb.restore', { articleId: article.id, version, expectedVersion: article.version });
      set({ article: restored, mode: 'view', history: null, busy: false, flash: 'kb.history.restored' });
      void get().search();
      return true;
    } catch (err) {
      set({ busy: false, actionError: failure(err) });
      return false;
    }
  },

  giveFeedback: async (helpful) => {
    const { article } = get();
    if (!article) return;
    try {
      set({ article: await call('kb.feedback', { articleId: article.id, helpful }), actionError: null });
    } catch (err) {
      set({ actionError: failure(err) });
    }
  },

  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),

  search: async () => {
    const seq = ++searchSeq;
    set({ loading: true, listError: null });
    try {
      const page = await call('kb.list', listInput(get().filters, 0));
      if (seq === searchSeq) set({ rows: page.rows, total: page.total, nextOffset: page.nextOffset, loading: false });
    } catch (err) {
      if (seq === searchSeq) set({ loading: false, listError: failure(err) });
    }
  },

  loadMore: async () => {
    const offset = get().nextOffset;
    if (offset === null) return;
    const seq = searchSeq;
    try {
      const page = await call('kb.list', listInput(get().filters, offset));
      if (seq === searchSeq) set((s) => ({ rows: [...s.rows, ...page.rows], total: page.total, nextOffset: page.nextOffset }));
    } catch (err) {
      set({ listError: failure(err) });
    }
  },

  open: async (articleId) => {
    set({ actionError: null, flash: null, fieldErrors: {} });
    try {
      const article = await call('kb.get', { articleId });
      set({ article, mode: 'view' });
    } catch (err) {
      set({ actionError: failure(err) });
    }
  },

  startNew: () => set({ mode: 'new', article: null, actionError: null, fieldErrors: {}, flash: null }),
  startEdit: () => set({ mode: 'edit', actionError: null, fieldErrors: {}, flash: null }),
  cancelEdit: () => set({ mode: 'view', actionError: null, fieldErrors: {} }),

  save: async (draft) => {
    const { mode, article } = get();
    set({ busy: true, actionError: null, fieldErrors: {} });
    try {
      const saved = mode === 'new' || !article
        ? await call('kb.create', draft)
        : await call('kb.update', { articleId: article.id, expectedVersion: article.version, ...draft });
      set({ article: saved, mode: 'view', busy: false, flash: mode === 'new' ? 'kb.created' : 'kb.saved' });
      void get().search();
      return true;
    } catch (err) {
      const info = failure(err);
      set({ busy: false, actionError: info.fields ? null : info, fieldErrors: info.fields ?? {} });
      return false;
    }
  },

  setStatus: async (status) => {
    const article = get().article;
    if (!article) return;
    set({ busy: true, actionError: null, flash: null });
    try {
      const saved = await call('kb.setStatus', { articleId: article.id, status });
      set({ article: saved, busy: false, flash: status === 'published' ? 'kb.published' : 'kb.saved' });
      void get().search();
    } catch (err) {
      set({ busy: false, actionError: failure(err) });
    }
  },
}));
