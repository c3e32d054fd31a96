/**
 * The customer portal (issue 13): open a web ticket, check a ticket by folio + e-mail and add
 * information to it. Phone-sized first; every field has a label, hints and errors are tied to it,
 * everything works with the keyboard. Text from the server is rendered as text, never as HTML.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import {
  EVIDENCE_TYPES, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, portalMessageSchema, portalStatusSchema, portalTicketSchema,
  type PortalTicketCreated, type PortalTicketStatus, type PortalTimelineEntry,
} from '../electron/shared/portal';
import { addInformation, openTicket, PortalError, readFileForUpload, solvedChallenge, ticketStatus } from './api';
import { errorText, STRINGS, type Lang, type Strings } from './strings';

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

export function App() {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('portal.lang') === 'en' ? 'en' : 'es'));
  const [view, setView] = useState<'new' | 'status'>(() => (location.hash === '#consultar' ? 'status' : 'new'));
  const [lookup, setLookup] = useState<{ trackingNumber: string; email: string } | null>(null);
  const t = STRINGS[lang];

  useEffect(() => {
    document.documentElement.lang = lang === 'es' ? 'es-MX' : 'en';
    document.title = `${t.title} · ${t.org}`;
    localStorage.setItem('portal.lang', lang);
  }, [lang, t]);

  const go = (next: 'new' | 'status') => {
    setView(next);
    history.replaceState(null, '', next === 'status' ? '#consultar' : '#');
  };

  return (
    <div className="page">
      <header className="top">
        <div>
          <p className="org">{t.org}</p>
          <h1>{t.title}</h1>
        </div>
        <button type="button" className="link-button" aria-label={t.languageLabel} lang={lang === 'es' ? 'en' : 'es'} onClick={() => setLang(lang === 'es' ? 'en' : 'es')}>
          {t.language}
        </button>
      </header>
      <nav className="tabs" aria-label={t.title}>
        <button type="button" aria-current={view === 'new' ? 'page' : undefined} onClick={() => go('new')}>{t.navNew}</button>
        <button type="button" aria-current={view === 'status' ? 'page' : undefined} onClick={() => go('status')}>{t.navStatus}</button>
      </nav>
      <main>
        {view === 'new' ? (
          <NewTicket t={t} onCheck={(l) => { setLookup(l); go('status'); }} />
        ) : (
          <StatusView t={t} initial={lookup} />
        )}
      </main>
    </div>
  );
}

/** A labelled field with its hint and error tied to it for screen readers. */
function Field(props: { label: string; hint?: string; error?: string; required?: boolean; t: Strings; children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode }) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : '';
  const errorId = props.error ? `${id}-error` : '';
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${props.error ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {props.label}
        {props.required && <span className="req"> ({props.t.required})</span>}
      </label>
      {props.hint && <p className="hint" id={hintId}>{props.hint}</p>}
      {props.children({ id, describedBy, invalid: Boolean(props.error) })}
      {props.error && <p className="error" id={errorId}>{errorText(props.t, props.error)}</p>}
    </div>
  );
}

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

function FilesField({ t, files, onChange, error }: { t: Strings; files: File[]; onChange: (f: File[]) => void; error?: string }) {
  return (
    <Field t={t} label={t.files} hint={t.filesHint} error={error}>
      {(f) => (
        <>
          <input id={f.id} type="file" multiple accept={ACCEPT} aria-describedby={f.describedBy} aria-invalid={f.invalid} onChange={(e) => onChange([...(e.target.files ?? [])])} />
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
      {ticket && asked && <TicketCard t={t} ticket={ticket} asked={asked} onUpdate={setTicket} />}
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

function TicketCard({ t, ticket, asked, onUpdate }: { t: Strings; ticket: PortalTicketStatus; asked: { trackingNumber: string; email: string }; onUpdate: (s: PortalTicketStatus) => void }) {
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
      {ticket.status === 'closed' ? <p className="note">{t.closedNoMore}</p> : <AddInformation t={t} asked={asked} onUpdate={onUpdate} />}
    </section>
  );
}

function AddInformation({ t, asked, onUpdate }: { t: Strings; asked: { trackingNumber: string; email: string }; onUpdate: (s: PortalTicketStatus) => void }) {
  const [message, setMessage] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [fileKey, setFileKey] = useState(0);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSent(false);
    const parsed = portalMessageSchema.omit({ attachments: true }).safeParse({ ...asked, message });
    const found: Errors = parsed.success ? {} : zodErrors(parsed.error.issues);
    const fileProblem = checkFiles(files);
    if (fileProblem) found.attachments = fileProblem;
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const attachments = await Promise.all(files.map(readFileForUpload));
      onUpdate(await addInformation({ ...asked, message, attachments }));
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
    <form className="add-info" noValidate onSubmit={submit} aria-labelledby="add-title">
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
