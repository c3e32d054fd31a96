/**
 * The customer portal (issue 13): open a web ticket, check a ticket by folio + e-mail and add
 * information to it. Phone-sized first; every field has a label, hints and errors are tied to it,
 * everything works with the keyboard. Text from the server is rendered as text, never as HTML.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  ACCOUNT_STATUS_FILTERS, ACCOUNT_TYPE_FILTERS, EVIDENCE_TYPES, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, portalMessageSchema, portalStatusSchema,
  portalTicketSchema, signInLinkSchema, SIGN_IN_FRAGMENT, SURVEY_FRAGMENT,
  type PortalAccount, type PortalArticle, type PortalArticleHit, type PortalSurvey, type PortalTicketCreated, type PortalTicketStatus, type PortalTimelineEntry,
} from '../electron/shared/portal';
import {
  accountMessage, accountTicket, accountTickets, addInformation, branding as fetchBranding, answerSurvey, openTicket, PortalError, readArticle, readFileForUpload, requestSignInLink,
  searchArticles, signIn, signOut, solvedChallenge, surveyInfo, ticketStatus,
} from './api';
import { errorText, STRINGS, type Lang, type Strings } from './strings';
import { fieldWith } from '../pages/Field';
import { applyPalette } from './branding';
import type { PortalBranding } from '../electron/shared/branding';

type Errors = Record<string, string>;

/** Field errors of a zod result, keyed by the field's path (as the server names them). */
function zodErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): Errors {
  const out: Errors = {};
  for (const i of issues) out[i.path.join('.') || '_'] ??= i.message;
  return out;
}

const ACCEPT = Object.values(EVIDENCE_TYPES).flat().map((e) => `.${e}`).join(',');

/** Files chosen in the browser, checked for what the server will refuse anyway (type by name, size, count). */
function checkFiles(files: File[]): string | null {
  if (files.length > MAX_EVIDENCE_FILES) return 'portal.tooManyFiles';
  for (const f of files) {
    const ext = f.name.split('.').pop()?.toLowerCase() ?? '';
    if (!Object.values(EVIDENCE_TYPES).some((list) => (list as readonly string[]).includes(ext))) return 'portal.fileType';
    if (f.size > MAX_EVIDENCE_BYTES) return 'portal.fileTooLarge';
    if (f.size === 0) return 'portal.fileEmpty';
  }
  return null;
}

type View = 'new' | 'status' | 'account' | 'help' | 'survey' | 'article';
const VIEW_HASH: Record<View, string> = { new: '#', status: '#consultar', account: '#mis-tickets', help: '#ayuda', survey: '#', article: '#' };
/** An article's own address: /portal/articulos/<id> (the desk links there). */
const ARTICLE_PATH = /^\/portal\/articulos\/([0-9a-f-]{36})\/?$/i;

/** What the address says when the page opens: a sign-in or survey link's token, or a tab. */
function fromHash(): { view: View; token: string | null } {
  const article = ARTICLE_PATH.exec(location.pathname);
  if (article) return { view: 'article', token: article[1]! };
  const h = location.hash.slice(1);
  const [key, token] = h.split('=');
  if (key === SIGN_IN_FRAGMENT && token) return { view: 'account', token };
  if (key === SURVEY_FRAGMENT && token) return { view: 'survey', token };
  if (h === 'consultar') return { view: 'status', token: null };
  if (h === 'mis-tickets') return { view: 'account', token: null };
  if (h === 'ayuda') return { view: 'help', token: null };
  return { view: 'new', token: null };
}

export function App() {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('portal.lang') === 'en' ? 'en' : 'es'));
  const [start] = useState(fromHash);
  const [view, setView] = useState<View>(start.view);
  const [lookup, setLookup] = useState<{ trackingNumber: string; email: string } | null>(null);
  const [brand, setBrand] = useState<PortalBranding | null>(null);
  const t = STRINGS[lang];
  const org = brand?.name ?? t.org;

  // The organization's branding (set in the app's Administración, synced): name, logo, colours by CSSOM.
  useEffect(() => {
    let live = true;
    void fetchBranding().then((b) => {
      if (!live || !b) return;
      applyPalette(b.palette);
      setBrand(b);
    });
    return () => { live = false; };
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'es' ? 'es-MX' : 'en';
    document.title = `${t.title} · ${org}`;
    localStorage.setItem('portal.lang', lang);
  }, [lang, t, org]);
  // A link's token is read once and taken out of the address (and of the history).
  useEffect(() => {
    if (start.token && start.view !== 'article') history.replaceState(null, '', start.view === 'account' ? VIEW_HASH.account : location.pathname);
  }, [start]);
  // A link opened in this same tab changes only the fragment: start again from it.
  useEffect(() => {
    const onHash = () => {
      if (location.hash.startsWith(`#${SIGN_IN_FRAGMENT}=`) || location.hash.startsWith(`#${SURVEY_FRAGMENT}=`)) location.reload();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const go = (next: View) => {
    setView(next);
    // From an article's own address, the tabs go back to the portal's.
    history.replaceState(null, '', `/portal/${VIEW_HASH[next] === '#' ? '' : VIEW_HASH[next]}`);
  };

  return (
    <div className="page">
      <header className="top">
        <div className="brand">
          {brand?.logoUrl && <img className="brand-logo" src={brand.logoUrl} alt={t.logoAlt(org)} />}
          <div>
            <p className="org">{org}</p>
            <h1>{t.title}</h1>
          </div>
        </div>
        <button type="button" className="link-button" aria-label={t.languageLabel} lang={lang === 'es' ? 'en' : 'es'} onClick={() => setLang(lang === 'es' ? 'en' : 'es')}>
          {t.language}
        </button>
      </header>
      <nav className="tabs" aria-label={t.title}>
        <button type="button" aria-current={view === 'new' ? 'page' : undefined} onClick={() => go('new')}>{t.navNew}</button>
        <button type="button" aria-current={view === 'status' ? 'page' : undefined} onClick={() => go('status')}>{t.navStatus}</button>
        <button type="button" aria-current={view === 'account' ? 'page' : undefined} onClick={() => go('account')}>{t.navAccount}</button>
        <button type="button" aria-current={view === 'help' ? 'page' : undefined} onClick={() => go('help')}>{t.navHelp}</button>
      </nav>
      <main>
        {view === 'new' && <NewTicket t={t} onCheck={(l) => { setLookup(l); go('status'); }} />}
        {view === 'status' && <StatusView t={t} initial={lookup} />}
        {view === 'account' && <AccountView t={t} token={start.view === 'account' ? start.token : null} />}
        {view === 'survey' && start.token && <SurveyView t={t} token={start.token} />}
        {view === 'help' && <HelpView t={t} />}
        {view === 'article' && start.token && <ArticlePage t={t} id={start.token} onNew={() => go('new')} />}
      </main>
    </div>
  );
}

/** A labelled field with its hint and error tied to it for screen readers (the server's pages share it). */
const Field = fieldWith(errorText);

function ExpectedTimes({ t, expected }: { t: Strings; expected: PortalTicketCreated['expected'] }) {
  const first = expected.firstResponseMinutes === null ? t.expectedAtOnce : t.expectedFirst(t.hours(Math.round(expected.firstResponseMinutes / 60)));
  return (
    <p>
      <strong>{t.expectedResponse}:</strong> {first}; {t.expectedResolution(t.hours(Math.round(expected.resolutionMinutes / 60)))}.
    </p>
  );
}

const EMPTY_TICKET = { email: '', rfc: '', name: '', subject: '', message: '', priority: 'normal', requestType: 'general', website: '' };

function NewTicket({ t, onCheck }: { t: Strings; onCheck: (l: { trackingNumber: string; email: string }) => void }) {
  const [values, setValues] = useState(EMPTY_TICKET);
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [phase, setPhase] = useState<'idle' | 'verifying' | 'sending'>('idle');
  const [created, setCreated] = useState<(PortalTicketCreated & { email: string }) | null>(null);
  const challenge = useRef<ReturnType<typeof solvedChallenge> | null>(null);
  const summary = useRef<HTMLDivElement>(null);

  // The bot challenge is solved while the customer types.
  const startChallenge = () => {
    const p = solvedChallenge();
    p.catch(() => undefined);
    challenge.current = p;
  };
  useEffect(startChallenge, []);

  const set = (k: keyof typeof EMPTY_TICKET) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = portalTicketSchema.omit({ challenge: true, attachments: true }).safeParse(values);
    const found: Errors = parsed.success ? {} : zodErrors(parsed.error.issues);
    const fileProblem = checkFiles(files);
    if (fileProblem) found.attachments = fileProblem;
    setErrors(found);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    try {
      setPhase('verifying');
      if (!challenge.current) startChallenge();
      const solved = await challenge.current!;
      const wait = solved.notBefore - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      setPhase('sending');
      const attachments = await Promise.all(files.map(readFileForUpload));
      const res = await openTicket({ ...values, attachments, challenge: solved.answer });
      setCreated({ ...res, email: values.email.trim().toLowerCase() });
      setValues(EMPTY_TICKET);
      setFiles([]);
    } catch (err) {
      const pe = err instanceof PortalError ? err : new PortalError('errors.internal');
      setErrors({ ...pe.fields, _: pe.code });
      requestAnimationFrame(() => summary.current?.focus());
    } finally {
      challenge.current = null;
      startChallenge(); // one challenge per ticket
      setPhase('idle');
    }
  }

  if (created) {
    return (
      <section className="card" aria-labelledby="created-title">
        <h2 id="created-title" tabIndex={-1} ref={(el) => el?.focus()}>{t.createdTitle}</h2>
        <p>{t.createdFolio}</p>
        <p className="folio" data-testid="folio">{created.trackingNumber}</p>
        <p>{t.createdKeep}</p>
        <ExpectedTimes t={t} expected={created.expected} />
        <div className="actions">
          <button type="button" onClick={() => onCheck({ trackingNumber: created.trackingNumber, email: created.email })}>{t.seeTicket}</button>
          <button type="button" className="secondary" onClick={() => setCreated(null)}>{t.newAnother}</button>
        </div>
      </section>
    );
  }

  const err = (k: string) => errors[k];
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="new-title">
      <h2 id="new-title">{t.navNew}</h2>
      <p>{t.newIntro}</p>
      <div ref={summary} tabIndex={-1} role="alert" className={Object.keys(errors).length ? 'summary' : 'summary empty'}>
        {Object.keys(errors).length > 0 && errorText(t, errors._ ?? 'validation.failed')}
      </div>
      <Field t={t} label={t.email} hint={t.emailHint} error={err('email')} required>
        {(f) => <input id={f.id} type="email" autoComplete="email" inputMode="email" required aria-describedby={f.describedBy} aria-invalid={f.invalid} value={values.email} onChange={set('email')} />}
      </Field>
      <Field t={t} label={t.rfc} hint={t.rfcHint} error={err('rfc')} required>
        {(f) => <input id={f.id} autoCapitalize="characters" autoComplete="off" spellCheck={false} maxLength={16} required aria-describedby={f.describedBy} aria-invalid={f.invalid} value={values.rfc} onChange={set('rfc')} />}
      </Field>
      <Field t={t} label={t.name} error={err('name')} required>
        {(f) => <input id={f.id} autoComplete="organization" maxLength={250} required aria-describedby={f.describedBy} aria-invalid={f.invalid} value={values.name} onChange={set('name')} />}
      </Field>
      <fieldset className="field">
        <legend>{t.requestType}</legend>
        {(['general', 'technical'] as const).map((rt) => (
          <label key={rt} className="choice">
            <input type="radio" name="requestType" value={rt} checked={values.requestType === rt} onChange={set('requestType')} />
            <span>
              <strong>{rt === 'general' ? t.typeGeneral : t.typeTechnical}</strong>
              <span className="hint">{rt === 'general' ? t.typeGeneralHint : t.typeTechnicalHint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <Field t={t} label={t.subject} error={err('subject')} required>
        {(f) => <input id={f.id} maxLength={200} required aria-describedby={f.describedBy} aria-invalid={f.invalid} value={values.subject} onChange={set('subject')} />}
      </Field>
      <Suggestions t={t} subject={values.subject} />
      <Field t={t} label={t.message} hint={t.messageHint} error={err('message')} required>
        {(f) => <textarea id={f.id} rows={6} maxLength={20000} required aria-describedby={f.describedBy} aria-invalid={f.invalid} value={values.message} onChange={set('message')} />}
      </Field>
      <Field t={t} label={t.priority} error={err('priority')}>
        {(f) => (
          <select id={f.id} aria-describedby={f.describedBy} value={values.priority} onChange={set('priority')}>
            <option value="low">{t.priorityLow}</option>
            <option value="normal">{t.priorityNormal}</option>
            <option value="high">{t.priorityHigh}</option>
          </select>
        )}
      </Field>
      <FilesField t={t} files={files} onChange={setFiles} error={err('attachments') ?? Object.entries(errors).find(([k]) => k.startsWith('attachments.'))?.[1]} />
      {/* The honeypot: hidden from people and screen readers; programs that fill every field fill it. */}
      <div className="hp" aria-hidden="true">
        <label htmlFor="website">{t.honeypot}</label>
        <input id="website" name="website" tabIndex={-1} autoComplete="off" value={values.website} onChange={set('website')} />
      </div>
      <div className="actions">
        <button type="submit" disabled={phase !== 'idle'}>{phase === 'idle' ? t.send : t.sending}</button>
      </div>
      {phase === 'verifying' && <p className="hint" role="status">{t.verifying}</p>}
    </form>
  );
}

/** Evidence files: the browser's own button speaks its language, so the page draws its own (the input stays, hidden, for keyboard and screen readers). */
function FilesField({ t, files, onChange, error }: { t: Strings; files: File[]; onChange: (f: File[]) => void; error?: string }) {
  return (
    <Field t={t} label={t.files} hint={t.filesHint} error={error}>
      {(f) => (
        <>
          <div className="file-picker">
            <input id={f.id} className="file-input" type="file" multiple accept={ACCEPT} aria-describedby={f.describedBy} aria-invalid={f.invalid} onChange={(e) => onChange([...(e.target.files ?? [])])} />
            <label htmlFor={f.id} className="file-button" aria-hidden="true">{t.chooseFiles}</label>
            {files.length === 0 && <span className="hint" aria-hidden="true">{t.noFilesChosen}</span>}
          </div>
          {files.length > 0 && (
            <ul className="files">
              {files.map((file) => <li key={file.name}>{file.name} ({Math.max(1, Math.round(file.size / 1024))} KB)</li>)}
            </ul>
          )}
        </>
      )}
    </Field>
  );
}

function StatusView({ t, initial }: { t: Strings; initial: { trackingNumber: string; email: string } | null }) {
  const [values, setValues] = useState(initial ?? { trackingNumber: '', email: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [ticket, setTicket] = useState<PortalTicketStatus | null>(null);
  const [asked, setAsked] = useState<{ trackingNumber: string; email: string } | null>(null);

  async function check(v: { trackingNumber: string; email: string }) {
    const parsed = portalStatusSchema.safeParse(v);
    if (!parsed.success) {
      setErrors(zodErrors(parsed.error.issues));
      return;
    }
    setBusy(true);
    try {
      setTicket(await ticketStatus(parsed.data));
      setAsked(parsed.data);
      setErrors({});
    } catch (err) {
      const pe = err instanceof PortalError ? err : new PortalError('errors.internal');
      setTicket(null);
      setErrors({ ...pe.fields, _: pe.code });
    } finally {
      setBusy(false);
    }
  }
  // A folio handed over from the ticket just opened is looked up once, when the view opens.
  const initialRef = useRef(initial);
  useEffect(() => {
    if (initialRef.current) void check(initialRef.current);
  }, []);

  return (
    <>
      <form className="card" noValidate onSubmit={(e) => { e.preventDefault(); void check(values); }} aria-labelledby="status-title">
        <h2 id="status-title">{t.navStatus}</h2>
        <p>{t.statusIntro}</p>
        <div role="alert" className={errors._ ? 'summary' : 'summary empty'}>{errors._ && errorText(t, errors._)}</div>
        <Field t={t} label={t.folio} hint={t.folioHint} error={errors.trackingNumber} required>
          {(f) => <input id={f.id} autoCapitalize="characters" autoComplete="off" spellCheck={false} maxLength={24} required aria-describedby={f.describedBy} aria-invalid={f.invalid} value={values.trackingNumber} onChange={(e) => setValues({ ...values, trackingNumber: e.target.value })} />}
        </Field>
        <Field t={t} label={t.email} error={errors.email} required>
          {(f) => <input id={f.id} type="email" autoComplete="email" inputMode="email" required aria-describedby={f.describedBy} aria-invalid={f.invalid} value={values.email} onChange={(e) => setValues({ ...values, email: e.target.value })} />}
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy}>{busy ? t.checking : t.check}</button>
        </div>
      </form>
      {ticket && asked && (
        <TicketCard t={t} ticket={ticket} onUpdate={setTicket} send={(message, attachments) => addInformation({ ...asked, message, attachments })} />
      )}
    </>
  );
}

const statusWord = (t: Strings, s: PortalTicketStatus['status']) => (s === 'open' ? t.statusOpen : s === 'waiting' ? t.statusWaiting : t.statusClosed);
const tierWord = (t: Strings, tier: string) => (t as unknown as Record<string, string>)[`tier${tier}`] ?? tier;

function entryTitle(t: Strings, e: PortalTimelineEntry): string {
  switch (e.kind) {
    case 'created': return t.evCreated;
    case 'reply': return t.evReply;
    case 'customer_message': return t.evCustomer;
    case 'status_change': return t.evStatus(statusWord(t, (e.to ?? 'open') as PortalTicketStatus['status']));
    case 'closed': return t.evClosed;
    case 'reopened': return t.evReopened;
    case 'escalated': return t.evEscalated(tierWord(t, String(e.to ?? '')));
    case 'deescalated': return t.evDeescalated(tierWord(t, String(e.to ?? '')));
  }
}

type Send = (message: string, attachments: Awaited<ReturnType<typeof readFileForUpload>>[]) => Promise<PortalTicketStatus>;

function TicketCard({ t, ticket, send, onUpdate }: { t: Strings; ticket: PortalTicketStatus; send: Send; onUpdate: (s: PortalTicketStatus) => void }) {
  const locale = t === STRINGS.es ? 'es-MX' : 'en-US';
  const when = (ms: number) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/Mexico_City' }).format(ms);
  const waiting = ticket.status === 'waiting' ? (ticket.waitingOn === 'customer' ? t.waitingCustomer : t.waitingAuthorization) : '';
  return (
    <section className="card" aria-labelledby="ticket-title" data-testid="ticket">
      <p className="folio small">{ticket.trackingNumber}</p>
      <h2 id="ticket-title">{ticket.subject}</h2>
      <dl className="facts">
        <div><dt>{t.status}</dt><dd><span className={`badge ${ticket.status}`}>{statusWord(t, ticket.status)}</span>{waiting && ` — ${waiting}`}</dd></div>
        <div><dt>{t.requestType}</dt><dd>{ticket.requestType === 'general' ? t.typeGeneral : t.typeTechnical}</dd></div>
        <div><dt>{t.attendedBy}</dt><dd>{tierWord(t, ticket.tier)}</dd></div>
        {ticket.createdAt > 0 && <div><dt>{t.opened}</dt><dd>{when(ticket.createdAt)}</dd></div>}
      </dl>
      {ticket.status !== 'closed' && <ExpectedTimes t={t} expected={ticket.expected} />}
      {ticket.solution && <p><strong>{t.solution}:</strong> {ticket.solution}</p>}
      <h3>{t.timeline}</h3>
      <ol className="timeline">
        {ticket.timeline.map((e, i) => (
          <li key={i} className={`entry ${e.kind}`}>
            <p className="entry-head"><strong>{entryTitle(t, e)}</strong> <time dateTime={new Date(e.at).toISOString()}>{when(e.at)}</time></p>
            {e.body && <p className="entry-body">{e.body}</p>}
            {e.files.length > 0 && <ul className="files">{e.files.map((f, j) => <li key={j}>{f.fileName}</li>)}</ul>}
          </li>
        ))}
      </ol>
      {ticket.status === 'closed' ? <p className="note">{t.closedNoMore}</p> : <AddInformation t={t} trackingNumber={ticket.trackingNumber} send={send} onUpdate={onUpdate} />}
    </section>
  );
}

function AddInformation({ t, trackingNumber, send, onUpdate }: { t: Strings; trackingNumber: string; send: Send; onUpdate: (s: PortalTicketStatus) => void }) {
  const [message, setMessage] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [fileKey, setFileKey] = useState(0);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSent(false);
    const parsed = portalMessageSchema.pick({ message: true }).safeParse({ message });
    const found: Errors = parsed.success ? {} : zodErrors(parsed.error.issues);
    const fileProblem = checkFiles(files);
    if (fileProblem) found.attachments = fileProblem;
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const attachments = await Promise.all(files.map(readFileForUpload));
      onUpdate(await send(message, attachments));
      setMessage('');
      setFiles([]);
      setFileKey((k) => k + 1);
      setSent(true);
    } catch (err) {
      const pe = err instanceof PortalError ? err : new PortalError('errors.internal');
      setErrors({ ...pe.fields, _: pe.code });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="add-info" noValidate onSubmit={submit} aria-labelledby="add-title" data-folio={trackingNumber}>
      <h3 id="add-title">{t.addInfo}</h3>
      <p className="hint">{t.addInfoHint}</p>
      <div role="alert" className={errors._ ? 'summary' : 'summary empty'}>{errors._ && errorText(t, errors._)}</div>
      <Field t={t} label={t.message} error={errors.message} required>
        {(f) => <textarea id={f.id} rows={4} maxLength={20000} required aria-describedby={f.describedBy} aria-invalid={f.invalid} value={message} onChange={(e) => setMessage(e.target.value)} />}
      </Field>
      <FilesField key={fileKey} t={t} files={files} onChange={setFiles} error={errors.attachments ?? Object.entries(errors).find(([k]) => k.startsWith('attachments.'))?.[1]} />
      <div className="actions">
        <button type="submit" disabled={busy}>{busy ? t.sending : t.addInfoSend}</button>
      </div>
      <p role="status" className="ok">{sent ? t.addInfoSent : ''}</p>
    </form>
  );
}

/** Seed 004: a customer signs in with a link sent to their e-mail and sees all their tickets, filtered by status and type. */
function AccountView({ t, token }: { t: Strings; token: string | null }) {
  const [phase, setPhase] = useState<'loading' | 'signedOut' | 'signedIn'>('loading');
  const [error, setError] = useState('');
  const [filters, setFilters] = useState({ status: 'all', requestType: 'all' });
  const [account, setAccount] = useState<PortalAccount | null>(null);
  const [open, setOpen] = useState<PortalTicketStatus | null>(null);

  const load = async (f = filters) => {
    try {
      setAccount(await accountTickets(f));
      setPhase('signedIn');
      setError('');
    } catch (err) {
      const code = err instanceof PortalError ? err.code : 'errors.internal';
      setPhase('signedOut');
      if (code !== 'portal.signedOut') setError(code);
    }
  };
  // A link's token is spent once (StrictMode runs effects twice in development: the ref keeps it once).
  const spent = useRef(false);
  useEffect(() => {
    if (spent.current) return;
    spent.current = true;
    void (async () => {
      if (token) {
        try {
          await signIn(token);
        } catch (err) {
          setPhase('signedOut');
          setError(err instanceof PortalError ? err.code : 'errors.internal');
          return;
        }
      }
      await load();
    })();
  }, []);

  if (phase === 'loading') return <section className="card"><p role="status">{t.signingIn}</p></section>;
  if (phase === 'signedOut' || !account) return <SignInLinkForm t={t} error={error} />;

  if (open) {
    return (
      <>
        <div className="actions"><button type="button" className="secondary" onClick={() => { setOpen(null); void load(); }}>{t.backToList}</button></div>
        <TicketCard t={t} ticket={open} onUpdate={setOpen} send={(message, attachments) => accountMessage({ trackingNumber: open.trackingNumber, message, attachments })} />
      </>
    );
  }

  const setFilter = (k: 'status' | 'requestType') => (e: { target: { value: string } }) => {
    const next = { ...filters, [k]: e.target.value };
    setFilters(next);
    void load(next);
  };
  const typeWord = (v: string) => (v === 'general' ? t.typeGeneral : v === 'technical' ? t.typeTechnical : t.filterAll);
  const statusFilterWord = (v: string) => (v === 'all' ? t.filterAll : statusWord(t, v as PortalTicketStatus['status']));
  const locale = t === STRINGS.es ? 'es-MX' : 'en-US';
  const when = (ms: number) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'America/Mexico_City' }).format(ms);
  return (
    <section className="card" aria-labelledby="account-title">
      <div className="account-head">
        <div>
          <h2 id="account-title">{t.accountTitle}</h2>
          <p className="hint">{t.signedInAs(account.email)}</p>
          <p className="hint">{account.customers.map((c) => (c.legalRepresentative ? `${c.name} (${t.legalRep})` : c.name)).join(' · ')}</p>
        </div>
        <button type="button" className="secondary" onClick={() => { void signOut().finally(() => { setAccount(null); setPhase('signedOut'); }); }}>{t.signOut}</button>
      </div>
      <div className="filters">
        <Field t={t} label={t.filterStatus}>
          {(f) => (
            <select id={f.id} value={filters.status} onChange={setFilter('status')}>
              {ACCOUNT_STATUS_FILTERS.map((v) => <option key={v} value={v}>{statusFilterWord(v)}</option>)}
            </select>
          )}
        </Field>
        <Field t={t} label={t.filterType}>
          {(f) => (
            <select id={f.id} value={filters.requestType} onChange={setFilter('requestType')}>
              {ACCOUNT_TYPE_FILTERS.map((v) => <option key={v} value={v}>{typeWord(v)}</option>)}
            </select>
          )}
        </Field>
      </div>
      {error && <div role="alert" className="summary">{errorText(t, error)}</div>}
      {account.tickets.length === 0 ? <p className="note">{t.noTickets}</p> : (
        <ul className="ticket-list" aria-label={t.accountTitle}>
          {account.tickets.map((k) => (
            <li key={k.trackingNumber}>
              <button type="button" className="ticket-row" onClick={() => { void accountTicket(k.trackingNumber).then(setOpen, (err) => setError(err instanceof PortalError ? err.code : 'errors.internal')); }}>
                <span className="folio small">{k.trackingNumber}</span>
                <span className="row-subject">{k.subject}</span>
                <span className="row-meta">
                  <span className={`badge ${k.status}`}>{statusWord(t, k.status)}</span> {typeWord(k.requestType)}
                  {account.customers.length > 1 && ` · ${k.customerName}`}
                  {k.updatedAt ? ` · ${t.updated} ${when(k.updatedAt)}` : ''}
                </span>
                {k.sensitive && <span className="row-sensitive">{t.sensitive}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {account.truncated && <p className="hint">{t.truncated}</p>}
    </section>
  );
}

function SignInLinkForm({ t, error }: { t: Strings; error: string }) {
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<Errors>(error ? { _: error } : {});
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = signInLinkSchema.safeParse({ email });
    if (!parsed.success) {
      setErrors(zodErrors(parsed.error.issues));
      return;
    }
    setBusy(true);
    try {
      await requestSignInLink(parsed.data.email);
      setErrors({});
      setSent(true);
    } catch (err) {
      setErrors({ _: err instanceof PortalError ? err.code : 'errors.internal' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" noValidate onSubmit={submit} aria-labelledby="signin-title">
      <h2 id="signin-title">{t.navAccount}</h2>
      <p>{t.accountIntro}</p>
      <div role="alert" className={errors._ ? 'summary' : 'summary empty'}>{errors._ && errorText(t, errors._)}</div>
      <Field t={t} label={t.email} error={errors.email} required>
        {(f) => <input id={f.id} type="email" autoComplete="email" inputMode="email" required aria-describedby={f.describedBy} aria-invalid={f.invalid} value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy}>{busy ? t.sending : t.accountSend}</button>
      </div>
      <p role="status" className="ok">{sent ? t.accountSent : ''}</p>
    </form>
  );
}

/** The closing e-mail's survey link: a comment if the customer wants, then one click on 1–5 records the answer. */
function SurveyView({ t, token }: { t: Strings; token: string }) {
  const [survey, setSurvey] = useState<PortalSurvey | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [thanks, setThanks] = useState(false);
  useEffect(() => {
    surveyInfo(token).then(setSurvey, (err) => setError(err instanceof PortalError ? err.code : 'errors.internal'));
  }, [token]);

  async function rate(rating: number) {
    setBusy(true);
    try {
      setSurvey(await answerSurvey({ token, rating, comment }));
      setThanks(true);
      setError('');
    } catch (err) {
      const code = err instanceof PortalError ? err.code : 'errors.internal';
      // Answered meanwhile (another tab, a reply by e-mail): show that answer.
      if (code === 'portal.surveyAnswered') setSurvey(await surveyInfo(token).catch(() => survey));
      else setError(code);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="survey-title">
      <h2 id="survey-title">{t.surveyTitle}</h2>
      {error && <div role="alert" className="summary">{errorText(t, error)}</div>}
      {survey && (
        <>
          <p className="folio small">{survey.trackingNumber}</p>
          <p><strong>{survey.subject}</strong></p>
          {survey.answered ? (
            <div role="status">
              <p className="ok">{thanks ? t.surveyThanks : t.surveyAlready}</p>
              <p>{t.surveyYour(survey.answered.rating)}</p>
              {survey.answered.comment && <p className="entry-body">{survey.answered.comment}</p>}
            </div>
          ) : (
            <>
              <Field t={t} label={t.surveyComment}>
                {(f) => <textarea id={f.id} rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />}
              </Field>
              <fieldset className="field rating">
                <legend>{t.surveyQuestion}</legend>
                <p className="hint">{t.surveyHint}</p>
                <div className="rating-buttons">
                  {[1, 2, 3, 4, 5].map((n) => (
                    <button key={n} type="button" disabled={busy} aria-label={`${t.surveyRate(n)}: ${t.surveyScale[n - 1]}`} onClick={() => void rate(n)}>
                      <span className="rating-number">{n}</span>
                      <span className="rating-word">{t.surveyScale[n - 1]}</span>
                    </button>
                  ))}
                </div>
              </fieldset>
            </>
          )}
        </>
      )}
    </section>
  );
}

/** Articles that may answer what the customer is typing as the subject (searched once the typing pauses). */
function Suggestions({ t, subject }: { t: Strings; subject: string }) {
  const [hits, setHits] = useState<PortalArticleHit[]>([]);
  useEffect(() => {
    const q = subject.trim();
    if (q.length < 4) {
      setHits([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      searchArticles(q, 3).then((a) => live && setHits(a), () => undefined);
    }, 350);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [subject]);
  if (hits.length === 0) return null;
  return (
    <section className="suggestions" aria-labelledby="suggestions-title" aria-live="polite">
      <h3 id="suggestions-title">{t.suggestionsTitle}</h3>
      <ul className="article-list">{hits.map((h) => <ArticleItem key={h.id} t={t} hit={h} />)}</ul>
    </section>
  );
}

/** One article in a list: its title and excerpt, read in place (the form keeps what was typed). */
function ArticleItem({ t, hit }: { t: Strings; hit: PortalArticleHit }) {
  const [article, setArticle] = useState<PortalArticle | null>(null);
  const [error, setError] = useState('');
  const toggle = () => {
    if (article) return setArticle(null);
    readArticle(hit.id).then(setArticle, (err) => setError(err instanceof PortalError ? err.code : 'errors.internal'));
  };
  return (
    <li className="article-item">
      <p className="article-title"><strong>{hit.title}</strong></p>
      {!article && <p className="hint">{hit.excerpt}</p>}
      <button type="button" className="secondary small" aria-expanded={Boolean(article)} onClick={toggle}>{article ? t.hideArticle : t.readArticle}<span className="visually-hidden">: {hit.title}</span></button>
      {error && <p className="error">{errorText(t, error)}</p>}
      {article && <ArticleBody article={article} />}
    </li>
  );
}

/** The article's HTML: rendered and sanitized by the server (markdown-it + sanitize-html), under the page's strict CSP. */
function ArticleBody({ article }: { article: PortalArticle }) {
  return <div className="article-body" dangerouslySetInnerHTML={{ __html: article.html }} />;
}

function HelpView({ t }: { t: Strings }) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<PortalArticleHit[] | null>(null);
  const [error, setError] = useState('');
  const search = (query: string) => searchArticles(query, 20).then((a) => { setHits(a); setError(''); }, (err) => setError(err instanceof PortalError ? err.code : 'errors.internal'));
  useEffect(() => {
    void search('');
  }, []);
  return (
    <section className="card" aria-labelledby="help-title">
      <h2 id="help-title">{t.navHelp}</h2>
      <p>{t.helpIntro}</p>
      <form role="search" className="search-row" onSubmit={(e) => { e.preventDefault(); void search(q); }}>
        <Field t={t} label={t.helpSearch}>
          {(f) => <input id={f.id} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
        </Field>
        <button type="submit">{t.helpSearchButton}</button>
      </form>
      {error && <div role="alert" className="summary">{errorText(t, error)}</div>}
      {hits && hits.length === 0 && <p className="note">{t.helpNoResults}</p>}
      {hits && hits.length > 0 && <ul className="article-list">{hits.map((h) => <ArticleItem key={h.id} t={t} hit={h} />)}</ul>}
    </section>
  );
}

/** An article at its own address (a link from the desk's reply). */
function ArticlePage({ t, id, onNew }: { t: Strings; id: string; onNew: () => void }) {
  const [article, setArticle] = useState<PortalArticle | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    readArticle(id).then(setArticle, (err) => setError(err instanceof PortalError ? err.code : 'errors.internal'));
  }, [id]);
  return (
    <article className="card" aria-labelledby="article-title">
      {error && <div role="alert" className="summary">{errorText(t, error)}</div>}
      {article && (
        <>
          <h2 id="article-title">{article.title}</h2>
          <ArticleBody article={article} />
          <p className="note">{t.articleStill}</p>
          <div className="actions"><button type="button" onClick={onNew}>{t.navNew}</button></div>
        </>
      )}
    </article>
  );
}
