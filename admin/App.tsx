/**
 * The central server's administration pages (issue 11): first run, sign-in, then branches,
 * enrolment codes, devices, users and roles, the audit chains, rejected mutations and the server's
 * own log. Every field has a label; hints and errors are tied to it; the first error gets the
 * focus; everything works with the keyboard. Text from the server is rendered as text.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ROLES, type Role } from '../electron/shared/domain';
import {
  adminSignInSchema, branchCreateSchema, centralUserCreateSchema, centralUserPasswordSchema, enrolmentCodeSchema, firstRunSchema,
  type AdminLogEntry, type AdminSession, type AuditReport, type BranchInfo, type CentralUser, type ChainResult, type DeviceSummary,
  type EnrolmentCodeCreated, type EnrolmentCodeInfo, type RejectedMutationInfo,
} from '../electron/shared/server-admin';
import { AdminError, forgetSession, get, post, session, whenSignedOut } from './api';
import { errorText, STRINGS, type Lang, type Strings } from './strings';
import { fieldWith } from '../pages/Field';

type Errors = Record<string, string>;
type Section = 'branches' | 'codes' | 'devices' | 'users' | 'audit' | 'rejected' | 'log';
const SECTIONS: Section[] = ['branches', 'codes', 'devices', 'users', 'audit', 'rejected', 'log'];

function zodErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): Errors {
  const out: Errors = {};
  for (const i of issues) out[i.path.map(String).join('.') || '_'] ??= i.message;
  return out;
}

const dateTime = (lang: Lang, ms: number | null, t: Strings) =>
  ms === null ? t.never : new Intl.DateTimeFormat(lang === 'es' ? 'es-MX' : 'en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(ms);

/**
 * A form's state: values, errors (checked with the shared schema first, then the server's answer),
 * the busy flag and the focus on the first error.
 */
function useForm<V extends Record<string, unknown>>(initial: V) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstError = () => requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], .summary:not(.empty)')?.focus());
  const run = async <T,>(schema: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } } }, send: (data: never) => Promise<T>): Promise<T | null> => {
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      setErrors(zodErrors(parsed.error!.issues));
      focusFirstError();
      return null;
    }
    setBusy(true);
    try {
      const answer = await send(parsed.data as never);
      setErrors({});
      return answer;
    } catch (err) {
      const e = err instanceof AdminError ? err : new AdminError('errors.internal');
      setErrors(Object.keys(e.fields).length > 0 ? e.fields : { _: e.code });
      focusFirstError();
      return null;
    } finally {
      setBusy(false);
    }
  };
  const set = (k: keyof V) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));
  return { values, setValues, errors, setErrors, busy, run, set, formRef };
}

/** A labelled field with its hint and error tied to it for screen readers (the server's pages share it). */
const Field = fieldWith(errorText);

/** A text input bound to a form's field. */
function TextField<V extends Record<string, unknown>>(props: {
  form: ReturnType<typeof useForm<V>>; name: keyof V & string; label: string; hint?: string; t: Strings; type?: string; autoComplete?: string; required?: boolean;
}) {
  const { form, name } = props;
  return (
    <Field label={props.label} hint={props.hint} error={form.errors[name]} required={props.required ?? true} t={props.t}>
      {(ids) => (
        <input id={ids.id} name={name} type={props.type ?? 'text'} autoComplete={props.autoComplete ?? 'off'} aria-describedby={ids.describedBy} aria-invalid={ids.invalid} aria-required={ids.required}
          value={String(form.values[name] ?? '')} onChange={form.set(name)} />
      )}
    </Field>
  );
}

/** A form-level error (one not about a field), announced and focusable. */
function Summary({ t, error }: { t: Strings; error: string | undefined }) {
  return <div className={`summary${error ? '' : ' empty'}`} role="alert" tabIndex={-1}>{error ? errorText(t, error) : ''}</div>;
}

export function App() {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('admin.lang') === 'en' ? 'en' : 'es'));
  const [state, setState] = useState<AdminSession | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const t = STRINGS[lang];

  const reload = useCallback(() => {
    session().then(setState, (err: unknown) => setLoadError(err instanceof AdminError ? err.code : 'errors.internal'));
  }, []);
  useEffect(() => {
    reload();
    whenSignedOut(() => setState((s) => (s ? { ...s, admin: null, csrfToken: null } : s)));
  }, [reload]);
  useEffect(() => {
    document.documentElement.lang = lang === 'es' ? 'es-MX' : 'en';
    document.title = `${t.title} · ${state?.organizationName ?? t.product}`;
    localStorage.setItem('admin.lang', lang);
  }, [lang, t, state?.organizationName]);

  const signOut = async () => {
    await post('/sign-out').catch(() => undefined);
    forgetSession();
    setState((s) => (s ? { ...s, admin: null, csrfToken: null } : s));
  };

  return (
    <div className="page">
      <header className="top">
        <div>
          <p className="org">{state?.organizationName ?? t.product}</p>
          <h1>{t.title}</h1>
        </div>
        <div className="top-actions">
          {state?.admin && <span className="who">{t.signedInAs(state.admin.username)}</span>}
          <button type="button" className="link-button" aria-label={t.languageLabel} lang={lang === 'es' ? 'en' : 'es'} onClick={() => setLang(lang === 'es' ? 'en' : 'es')}>
            {t.language}
          </button>
          {state?.admin && <button type="button" className="secondary" onClick={signOut}>{t.signOut}</button>}
        </div>
      </header>
      {loadError && <p className="summary" role="alert">{errorText(t, loadError)}</p>}
      {!state && !loadError && <p>{t.loading}</p>}
      {state && !state.setUp && <FirstRun t={t} onDone={setState} />}
      {state && state.setUp && !state.admin && <SignIn t={t} onDone={setState} />}
      {state?.admin && <Console t={t} lang={lang} />}
    </div>
  );
}

function FirstRun({ t, onDone }: { t: Strings; onDone: (s: AdminSession) => void }) {
  const form = useForm({ setupCode: '', organizationName: '', username: '', password: '', confirmPassword: '' });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const answer = await form.run(firstRunSchema, (data) => post<AdminSession>('/first-run', data));
    if (answer) onDone(answer);
  };
  return (
    <main className="narrow">
      <form className="card" onSubmit={submit} noValidate ref={form.formRef} aria-labelledby="first-run-title">
        <h2 id="first-run-title">{t.firstRunTitle}</h2>
        <p>{t.firstRunIntro}</p>
        <Summary t={t} error={form.errors._} />
        <TextField form={form} name="setupCode" label={t.setupCode} hint={t.setupCodeHint} t={t} />
        <TextField form={form} name="organizationName" label={t.organizationName} t={t} autoComplete="organization" />
        <TextField form={form} name="username" label={t.username} hint={t.usernameHint} t={t} autoComplete="username" />
        <TextField form={form} name="password" label={t.password} hint={t.passwordHint} type="password" t={t} autoComplete="new-password" />
        <TextField form={form} name="confirmPassword" label={t.confirmPassword} type="password" t={t} autoComplete="new-password" />
        <button type="submit" disabled={form.busy}>{form.busy ? t.saving : t.createAdmin}</button>
      </form>
    </main>
  );
}

function SignIn({ t, onDone }: { t: Strings; onDone: (s: AdminSession) => void }) {
  const form = useForm({ username: '', password: '' });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const answer = await form.run(adminSignInSchema, (data) => post<AdminSession>('/sign-in', data));
    if (answer) onDone(answer);
  };
  return (
    <main className="narrow">
      <form className="card" onSubmit={submit} noValidate ref={form.formRef} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{t.signInTitle}</h2>
        <p>{t.signInIntro}</p>
        <Summary t={t} error={form.errors._} />
        <TextField form={form} name="username" label={t.username} t={t} autoComplete="username" />
        <TextField form={form} name="password" label={t.password} type="password" t={t} autoComplete="current-password" />
        <button type="submit" disabled={form.busy}>{form.busy ? t.saving : t.signIn}</button>
      </form>
    </main>
  );
}

const SECTION_LABEL: Record<Section, (t: Strings) => string> = {
  branches: (t) => t.navBranches, codes: (t) => t.navCodes, devices: (t) => t.navDevices, users: (t) => t.navUsers,
  audit: (t) => t.navAudit, rejected: (t) => t.navRejected, log: (t) => t.navLog,
};

function Console({ t, lang }: { t: Strings; lang: Lang }) {
  const initial = (location.hash.slice(1) as Section) || 'branches';
  const [section, setSection] = useState<Section>(SECTIONS.includes(initial) ? initial : 'branches');
  const [rejectedDevice, setRejectedDevice] = useState<string>('');
  const heading = useRef<HTMLHeadingElement>(null);
  const go = (s: Section) => {
    setSection(s);
    history.replaceState(null, '', `#${s}`);
    requestAnimationFrame(() => heading.current?.focus());
  };
  return (
    <div className="console">
      <nav className="side" aria-label={t.navLabel}>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s}>
              <a href={`#${s}`} aria-current={section === s ? 'page' : undefined} onClick={(e) => { e.preventDefault(); go(s); }}>{SECTION_LABEL[s](t)}</a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        <h2 tabIndex={-1} ref={heading}>{SECTION_LABEL[section](t)}</h2>
        {section === 'branches' && <Branches t={t} lang={lang} />}
        {section === 'codes' && <Codes t={t} lang={lang} />}
        {section === 'devices' && <Devices t={t} lang={lang} onRejected={(id) => { setRejectedDevice(id); go('rejected'); }} />}
        {section === 'users' && <Users t={t} />}
        {section === 'audit' && <Audit t={t} lang={lang} />}
        {section === 'rejected' && <Rejected t={t} lang={lang} deviceId={rejectedDevice} onDevice={setRejectedDevice} />}
        {section === 'log' && <Log t={t} lang={lang} />}
      </main>
    </div>
  );
}

/** Loads a list, and again on demand. */
function useList<T>(path: string, key: string): { items: T[] | null; error: string | null; refresh: () => void } {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    get<Record<string, T[]>>(path).then((r) => { setItems(r[key] ?? []); setError(null); }, (err: unknown) => setError(err instanceof AdminError ? err.code : 'errors.internal'));
  }, [path, key]);
  useEffect(refresh, [refresh]);
  return { items, error, refresh };
}

function ListState({ t, error, loading }: { t: Strings; error: string | null; loading: boolean }) {
  if (error) return <p className="summary" role="alert">{errorText(t, error)}</p>;
  if (loading) return <p>{t.loading}</p>;
  return null;
}

function Status({ text }: { text: string }) {
  return <p className="ok" role="status">{text}</p>;
}

function Branches({ t, lang }: { t: Strings; lang: Lang }) {
  const list = useList<BranchInfo>('/branches', 'branches');
  const form = useForm({ code: '', name: '', timeZone: 'America/Mexico_City' });
  const [done, setDone] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone('');
    const answer = await form.run(branchCreateSchema, (data: { code: string }) => post<{ code: string }>('/branches', data));
    if (answer) {
      setDone(t.branchCreated(answer.code));
      form.setValues({ code: '', name: '', timeZone: form.values.timeZone });
      list.refresh();
    }
  };
  return (
    <>
      <p className="intro">{t.branchesIntro}</p>
      <div className="columns">
        <section aria-label={t.navBranches}>
          {list.items && list.items.length === 0 ? <p className="note">{t.noBranches}</p> : <ListState t={t} error={list.error} loading={!list.items} />}
          {list.items && list.items.length > 0 && (
            <table>
              <thead><tr><th scope="col">{t.branchCode}</th><th scope="col">{t.branchName}</th><th scope="col">{t.timeZone}</th><th scope="col" className="num">{t.colDevices}</th><th scope="col">{t.colCreated}</th></tr></thead>
              <tbody>
                {list.items.map((b) => (
                  <tr key={b.code}>
                    <th scope="row">{b.code}</th>
                    <td>{b.name}{b.portal && <span className="tag">{t.portalBranch}</span>}</td>
                    <td>{b.timeZone}</td>
                    <td className="num">{b.portal ? t.dash : b.devices}</td>
                    <td>{dateTime(lang, b.createdAt, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <form className="card side-form" onSubmit={submit} noValidate ref={form.formRef} aria-labelledby="new-branch">
          <h3 id="new-branch">{t.createBranch}</h3>
          <Summary t={t} error={form.errors._} />
          <TextField form={form} name="code" label={t.branchCode} hint={t.branchCodeHint} t={t} />
          <TextField form={form} name="name" label={t.branchName} t={t} />
          <TextField form={form} name="timeZone" label={t.timeZone} hint={t.timeZoneHint} t={t} />
          <button type="submit" disabled={form.busy}>{form.busy ? t.saving : t.createBranch}</button>
          <Status text={done} />
        </form>
      </div>
    </>
  );
}

/** A branch picker over the branches devices can enrol in (never the portal's). */
function BranchSelect<V extends Record<string, unknown>>({ t, form, name, label }: { t: Strings; form: ReturnType<typeof useForm<V>>; name: keyof V & string; label: string }) {
  const { items } = useList<BranchInfo>('/branches', 'branches');
  return (
    <Field label={label} error={form.errors[name]} required t={t}>
      {(ids) => (
        <select id={ids.id} name={name} aria-describedby={ids.describedBy} aria-invalid={ids.invalid} aria-required value={String(form.values[name] ?? '')} onChange={form.set(name)}>
          <option value="">{t.chooseBranch}</option>
          {(items ?? []).filter((b) => !b.portal).map((b) => <option key={b.code} value={b.code}>{b.code} · {b.name}</option>)}
        </select>
      )}
    </Field>
  );
}

function OneTimeCode({ title, created, t, lang }: { title: string; created: EnrolmentCodeCreated; t: Strings; lang: Lang }) {
  return (
    <div className="once" role="status">
      <p className="once-title">{title}</p>
      <p className="code" aria-label={created.code.split('').join(' ')}>{created.code}</p>
      <p>{t.codeFor(created.branchCode, dateTime(lang, created.expiresAt, t))}</p>
    </div>
  );
}

function Codes({ t, lang }: { t: Strings; lang: Lang }) {
  const list = useList<EnrolmentCodeInfo>('/enrolment-codes', 'codes');
  const form = useForm({ branchCode: '', ttlHours: '72' });
  const [created, setCreated] = useState<EnrolmentCodeCreated | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    const answer = await form.run(enrolmentCodeSchema, (data) => post<EnrolmentCodeCreated>('/enrolment-codes', data));
    if (answer) {
      setCreated(answer);
      list.refresh();
    }
  };
  const now = Date.now();
  return (
    <>
      <p className="intro">{t.codesIntro}</p>
      <div className="columns">
        <section aria-label={t.navCodes}>
          {list.items && list.items.length === 0 ? <p className="note">{t.noCodes}</p> : <ListState t={t} error={list.error} loading={!list.items} />}
          {list.items && list.items.length > 0 && (
            <table>
              <thead><tr><th scope="col">{t.branch}</th><th scope="col">{t.colCreated}</th><th scope="col">{t.colExpires}</th><th scope="col">{t.colState}</th></tr></thead>
              <tbody>
                {list.items.map((c) => (
                  <tr key={c.ref}>
                    <th scope="row">{c.branchCode}</th>
                    <td>{dateTime(lang, c.createdAt, t)}</td>
                    <td>{dateTime(lang, c.expiresAt, t)}</td>
                    <td>{c.usedAt !== null ? t.codeUsed(c.usedByDevice?.slice(0, 8) ?? '') : c.expiresAt <= now ? t.codeExpired : <span className="good">{t.codeValid}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <form className="card side-form" onSubmit={submit} noValidate ref={form.formRef} aria-labelledby="new-code">
          <h3 id="new-code">{t.createCode}</h3>
          <Summary t={t} error={form.errors._} />
          <BranchSelect t={t} form={form} name="branchCode" label={t.branch} />
          <TextField form={form} name="ttlHours" label={t.ttlHours} hint={t.ttlHint} type="number" t={t} />
          <button type="submit" disabled={form.busy}>{form.busy ? t.saving : t.createCode}</button>
          {created && <OneTimeCode title={t.codeShownOnce} created={created} t={t} lang={lang} />}
        </form>
      </div>
    </>
  );
}

function Devices({ t, lang, onRejected }: { t: Strings; lang: Lang; onRejected: (deviceId: string) => void }) {
  const list = useList<DeviceSummary>('/devices', 'devices');
  const [asking, setAsking] = useState<{ id: string; kind: 'revoke' | 'rotate' } | null>(null);
  const [rotated, setRotated] = useState<{ name: string; created: EnrolmentCodeCreated } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (d: DeviceSummary, kind: 'revoke' | 'rotate') => {
    setBusy(true);
    setError(null);
    try {
      if (kind === 'rotate') setRotated({ name: d.name, created: await post<EnrolmentCodeCreated>('/devices/rotate', { deviceId: d.id }) });
      else await post('/devices/revoke', { deviceId: d.id });
      setAsking(null);
      list.refresh();
    } catch (err) {
      setError(err instanceof AdminError ? err.code : 'errors.internal');
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <p className="intro">{t.devicesIntro}</p>
      {error && <p className="summary" role="alert">{errorText(t, error)}</p>}
      {rotated && <OneTimeCode title={t.rotatedCode(rotated.name)} created={rotated.created} t={t} lang={lang} />}
      {list.items && list.items.length === 0 ? <p className="note">{t.noDevices}</p> : <ListState t={t} error={list.error} loading={!list.items} />}
      {list.items && list.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t.colDevice}</th><th scope="col">{t.branch}</th><th scope="col">{t.colEnrolled}</th><th scope="col">{t.colLastSeen}</th>
              <th scope="col">{t.colLastPush}</th><th scope="col" className="num">{t.colRejected}</th><th scope="col">{t.colState}</th><th scope="col">{t.colActions}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((d) => (
              <tr key={d.id} className={d.revokedAt !== null ? 'muted' : undefined}>
                <th scope="row">{d.name}<span className="sub">{d.id.slice(0, 8)}</span></th>
                <td>{d.branchCode}</td>
                <td>{dateTime(lang, d.enrolledAt, t)}</td>
                <td>{dateTime(lang, d.lastSeenAt, t)}</td>
                <td>{dateTime(lang, d.lastPushAt, t)}</td>
                <td className="num">{d.rejected > 0 ? <button type="button" className="link" onClick={() => onRejected(d.id)} aria-label={`${t.colRejected}: ${d.name}`}>{t.seeRejected(d.rejected)}</button> : 0}</td>
                <td>{d.revokedAt !== null ? t.revoked(dateTime(lang, d.revokedAt, t)) : <span className="good">{t.active}</span>}</td>
                <td>
                  {d.revokedAt === null && asking?.id !== d.id && (
                    <div className="row-actions">
                      <button type="button" className="secondary small" onClick={() => setAsking({ id: d.id, kind: 'rotate' })} aria-label={`${t.rotate}: ${d.name}`}>{t.rotate}</button>
                      <button type="button" className="danger small" onClick={() => setAsking({ id: d.id, kind: 'revoke' })} aria-label={`${t.revoke}: ${d.name}`}>{t.revoke}</button>
                    </div>
                  )}
                  {asking?.id === d.id && (
                    <div className="confirm" role="group" aria-label={asking.kind === 'revoke' ? t.confirmRevoke(d.name) : t.confirmRotate(d.name)}>
                      <p>{asking.kind === 'revoke' ? t.confirmRevoke(d.name) : t.confirmRotate(d.name)}</p>
                      <div className="row-actions">
                        <button type="button" className={asking.kind === 'revoke' ? 'danger small' : 'small'} disabled={busy} onClick={() => act(d, asking.kind)}>{t.confirm}</button>
                        <button type="button" className="secondary small" onClick={() => setAsking(null)}>{t.cancel}</button>
                      </div>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

const EMPTY_USER = { homeBranch: '', username: '', fullName: '', password: '', confirmPassword: '', roles: [] as Role[], locale: 'es-MX' };

function Users({ t }: { t: Strings }) {
  const list = useList<CentralUser>('/users', 'users');
  const form = useForm(EMPTY_USER);
  const [done, setDone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [resetting, setResetting] = useState<CentralUser | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone('');
    const answer = await form.run(centralUserCreateSchema, (data) => post<CentralUser>('/users', data));
    if (answer) {
      setDone(t.userCreated(answer.username));
      form.setValues({ ...EMPTY_USER, homeBranch: form.values.homeBranch });
      list.refresh();
    }
  };
  const toggle = async (u: CentralUser) => {
    setError(null);
    try {
      await post('/users/active', { userId: u.id, active: !u.active });
      list.refresh();
    } catch (err) {
      setError(err instanceof AdminError ? err.code : 'errors.internal');
    }
  };
  const setRole = (role: Role, on: boolean) => form.setValues((v) => ({ ...v, roles: on ? [...v.roles, role] : v.roles.filter((r) => r !== role) }));
  const rolesId = useId();
  return (
    <>
      <p className="intro">{t.usersIntro}</p>
      {error && <p className="summary" role="alert">{errorText(t, error)}</p>}
      {done && <Status text={done} />}
      <div className="columns">
        <section aria-label={t.navUsers}>
          {resetting && <ResetPassword t={t} user={resetting} onDone={(msg) => { setResetting(null); setDone(msg); list.refresh(); }} onCancel={() => setResetting(null)} />}
          {list.items && list.items.length === 0 ? <p className="note">{t.noUsers}</p> : <ListState t={t} error={list.error} loading={!list.items} />}
          {list.items && list.items.length > 0 && (
            <table>
              <thead><tr><th scope="col">{t.colUser}</th><th scope="col">{t.colName}</th><th scope="col">{t.branch}</th><th scope="col">{t.colRoles}</th><th scope="col">{t.colState}</th><th scope="col">{t.colActions}</th></tr></thead>
              <tbody>
                {list.items.map((u) => (
                  <tr key={u.id} className={u.active ? undefined : 'muted'}>
                    <th scope="row">{u.username}</th>
                    <td>{u.fullName}</td>
                    <td>{u.homeBranch}</td>
                    <td>{u.roles.map((r) => t.roleNames[r] ?? r).join(', ')}</td>
                    <td>{u.active ? <span className="good">{t.active}</span> : t.userDisabled}{u.mustChangePassword && <span className="sub">{t.mustChange}</span>}</td>
                    <td>
                      <div className="row-actions">
                        <button type="button" className="secondary small" onClick={() => toggle(u)} aria-label={`${u.active ? t.disable : t.enable}: ${u.username}`}>{u.active ? t.disable : t.enable}</button>
                        <button type="button" className="secondary small" onClick={() => setResetting(u)} aria-label={`${t.resetPassword}: ${u.username}`}>{t.resetPassword}</button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <form className="card side-form" onSubmit={submit} noValidate ref={form.formRef} aria-labelledby="new-user">
          <h3 id="new-user">{t.createUser}</h3>
          <Summary t={t} error={form.errors._} />
          <BranchSelect t={t} form={form} name="homeBranch" label={t.homeBranch} />
          <TextField form={form} name="username" label={t.username} hint={t.usernameHint} t={t} />
          <TextField form={form} name="fullName" label={t.fullName} t={t} />
          <fieldset className={`field${form.errors.roles ? ' has-error' : ''}`} aria-describedby={form.errors.roles ? `${rolesId}-error` : undefined}>
            <legend>{t.roles} <span className="req" aria-hidden="true">({t.required})</span></legend>
            <div className="checks">
              {ROLES.map((r) => (
                <label key={r} className="check">
                  <input type="checkbox" checked={form.values.roles.includes(r)} onChange={(e) => setRole(r, e.target.checked)} aria-invalid={Boolean(form.errors.roles)} />
                  {t.roleNames[r]}
                </label>
              ))}
            </div>
            {form.errors.roles && <p className="error" id={`${rolesId}-error`}>{errorText(t, form.errors.roles)}</p>}
          </fieldset>
          <Field label={t.locale} t={t}>
            {(ids) => (
              <select id={ids.id} value={form.values.locale} onChange={form.set('locale')}>
                <option value="es-MX">{t.localeEs}</option>
                <option value="en">{t.localeEn}</option>
              </select>
            )}
          </Field>
          <TextField form={form} name="password" label={t.password} hint={t.passwordHint} type="password" autoComplete="new-password" t={t} />
          <TextField form={form} name="confirmPassword" label={t.confirmPassword} type="password" autoComplete="new-password" t={t} />
          <button type="submit" disabled={form.busy}>{form.busy ? t.saving : t.createUser}</button>
        </form>
      </div>
    </>
  );
}

function ResetPassword({ t, user, onDone, onCancel }: { t: Strings; user: CentralUser; onDone: (msg: string) => void; onCancel: () => void }) {
  const form = useForm({ userId: user.id, username: user.username, password: '', confirmPassword: '' });
  const first = useRef<HTMLDivElement>(null);
  useEffect(() => first.current?.querySelector('input')?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await form.run(centralUserPasswordSchema, (data) => post('/users/password', data))) onDone(t.passwordReset(user.username));
  };
  return (
    <form className="card" onSubmit={submit} noValidate ref={form.formRef} aria-labelledby="reset-title">
      <h3 id="reset-title">{t.resetFor(user.username)}</h3>
      <Summary t={t} error={form.errors._} />
      <div ref={first}>
        <TextField form={form} name="password" label={t.newPassword} hint={t.passwordHint} type="password" autoComplete="new-password" t={t} />
      </div>
      <TextField form={form} name="confirmPassword" label={t.confirmPassword} type="password" autoComplete="new-password" t={t} />
      <div className="row-actions">
        <button type="submit" disabled={form.busy}>{form.busy ? t.saving : t.savePassword}</button>
        <button type="button" className="secondary" onClick={onCancel}>{t.cancel}</button>
      </div>
    </form>
  );
}

function ChainLine({ t, result, what }: { t: Strings; result: ChainResult; what?: string }) {
  if (result.ok) return <span className="good">{t.chainOk(result.checked)}</span>;
  const b = result.firstBroken!;
  return <span className="bad">{t.chainBroken(b.seq, t.brokenReasons[b.reason] ?? b.reason, result.checked)}{what ? ` (${what})` : ''}</span>;
}

function Audit({ t, lang }: { t: Strings; lang: Lang }) {
  const [report, setReport] = useState<AuditReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await post<AuditReport>('/audit/verify'));
    } catch (err) {
      setError(err instanceof AdminError ? err.code : 'errors.internal');
    } finally {
      setBusy(false);
    }
  };
  const deviceName = (id: string | null) => report?.devices.find((d) => d.deviceId === id)?.name ?? id?.slice(0, 8) ?? '';
  return (
    <>
      <p className="intro">{t.auditIntro}</p>
      <button type="button" onClick={verify} disabled={busy}>{busy ? t.verifying : t.verify}</button>
      {error && <p className="summary" role="alert">{errorText(t, error)}</p>}
      <div aria-live="polite">
        {report && (
          <div className="report">
            <p className="note">{t.verifiedAt(dateTime(lang, report.verifiedAt, t))}</p>
            <dl className="facts">
              <div><dt>{t.serverChain}</dt><dd><ChainLine t={t} result={report.server} what={report.server.deviceId ? t.chainDevice(deviceName(report.server.deviceId)) : undefined} /></dd></div>
              <div><dt>{t.adminLogChain}</dt><dd><ChainLine t={t} result={report.adminLog} /></dd></div>
            </dl>
            <h3>{t.deviceChains}</h3>
            {report.devices.length === 0 ? <p className="note">{t.noDevices}</p> : (
              <table>
                <thead><tr><th scope="col">{t.colDevice}</th><th scope="col">{t.branch}</th><th scope="col">{t.colResult}</th></tr></thead>
                <tbody>
                  {report.devices.map((d) => (
                    <tr key={d.deviceId}><th scope="row">{d.name}<span className="sub">{d.deviceId.slice(0, 8)}</span></th><td>{d.branchCode}</td><td><ChainLine t={t} result={d} /></td></tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
      </div>
    </>
  );
}

function Rejected({ t, lang, deviceId, onDevice }: { t: Strings; lang: Lang; deviceId: string; onDevice: (id: string) => void }) {
  const devices = useList<DeviceSummary>('/devices', 'devices');
  const list = useList<RejectedMutationInfo>(`/rejected${deviceId ? `?deviceId=${encodeURIComponent(deviceId)}` : ''}`, 'mutations');
  const filterId = useId();
  return (
    <>
      <p className="intro">{t.rejectedIntro}</p>
      <div className="field inline">
        <label htmlFor={filterId}>{t.colDevice}</label>
        <select id={filterId} value={deviceId} onChange={(e) => onDevice(e.target.value)}>
          <option value="">{t.allDevices}</option>
          {(devices.items ?? []).map((d) => <option key={d.id} value={d.id}>{d.branchCode} · {d.name} ({d.id.slice(0, 8)})</option>)}
        </select>
      </div>
      {list.items && list.items.length === 0 ? <p className="note">{t.noRejected}</p> : <ListState t={t} error={list.error} loading={!list.items} />}
      {list.items && list.items.length > 0 && (
        <table>
          <thead><tr><th scope="col">{t.colWhen}</th><th scope="col">{t.colDevice}</th><th scope="col">{t.colUser}</th><th scope="col">{t.colWhat}</th><th scope="col">{t.colFields}</th><th scope="col">{t.colReason}</th></tr></thead>
          <tbody>
            {list.items.map((m) => (
              <tr key={m.serverSeq}>
                <td>{dateTime(lang, m.receivedAt, t)}</td>
                <td>{m.branchCode} · {m.deviceName}</td>
                <td>{m.actorName ?? t.system}</td>
                <th scope="row">{t.ops[m.op] ?? m.op} {t.entities[m.entity] ?? m.entity}</th>
                <td className="fields">{m.fields.join(', ')}</td>
                <td>{t.reasons[m.reason] ?? m.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Log({ t, lang }: { t: Strings; lang: Lang }) {
  const list = useList<AdminLogEntry>('/log', 'entries');
  return (
    <>
      <p className="intro">{t.logIntro}</p>
      <ListState t={t} error={list.error} loading={!list.items} />
      {list.items && (
        <table>
          <thead><tr><th scope="col">#</th><th scope="col">{t.colWhen}</th><th scope="col">{t.colAdmin}</th><th scope="col">{t.colAction}</th><th scope="col">{t.colTarget}</th></tr></thead>
          <tbody>
            {list.items.map((e) => (
              <tr key={e.seq}>
                <td className="num">{e.seq}</td>
                <td>{dateTime(lang, e.at, t)}</td>
                <td>{e.admin ?? t.dash}</td>
                <th scope="row">{t.actions[e.action] ?? e.action}</th>
                <td>{e.target ?? t.dash}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
