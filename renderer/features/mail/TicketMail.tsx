/**
 * The mail a ticket came from (issue 12), in its side panel: who wrote, attachments refused for
 * their size (with the limit), the message as it arrived — its HTML sanitized by core and shown in
 * a sandboxed frame with remote images blocked unless the agent chooses "Mostrar imágenes" — and,
 * for a sender who is no registered customer, the choice to link it to one or register it.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketSender } from '../../../electron/shared/mail-intake';
import type { CustomerSummary } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { base64ToBlob, saveBlob } from '../../app/files';
import { useApiAction, useApiQuery } from '../../app/useApiAction';
import { useNav } from '../../stores/nav';
import { Button, ErrorBanner, TextField } from '../../components';
import { useTicket } from '../ticket/ticketStore';
import './strings';
import './mail.css';

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function TicketMail({ ticketId, customerId, version }: { ticketId: string; customerId: string; version: number }) {
  const { t } = useTranslation();
  const mail = useApiQuery('mail.ticketMail', { ticketId });
  const { reload } = mail;
  useEffect(() => {
    void reload();
  }, [version, reload]);
  const [open, setOpen] = useState<string | null>(null);
  // The message as it arrived, saved as an .eml file (core checks who may and audits it).
  const original = useApiAction(async (mailId: string) => {
    const file = await call('mail.original', { mailId });
    saveBlob(base64ToBlob(file.contentBase64, file.mimeType), file.fileName);
  });
  if (!mail.data || mail.data.length === 0) return null;
  const unknown = mail.data.find((m) => m.senderUnknown);
  return (
    <section className="card mail-notices-card" aria-labelledby="ticket-mail-in-title" data-testid="ticket-mail">
      <h2 id="ticket-mail-in-title">{t('mailIn.ticketTitle')}</h2>
      <ErrorBanner error={mail.error} />
      <ErrorBanner error={original.error} />
      {unknown ? <UnknownSender sender={unknown} ticketId={ticketId} customerId={customerId} /> : null}
      <ul className="mail-notices">
        {mail.data.map((m) => (
          <li key={m.mailId}>
            <span>{m.fromName ? `${m.fromName} <${m.fromAddress}>` : m.fromAddress}</span>
            {m.refusedAttachments.map((r) => (
              <span key={r.fileName} className="mail-notices__reason">
                {t('mailIn.refused', { fileName: r.fileName, size: size(r.sizeBytes), limit: size(m.limitBytes) })}
              </span>
            ))}
            <div className="toolbar">
              <Button onClick={() => setOpen(open === m.mailId ? null : m.mailId)}>{open === m.mailId ? t('mailIn.hide') : t('mailIn.view')}</Button>
              <Button variant="ghost" pending={original.pending} onClick={() => void original.run(m.mailId)} title={t('mailIn.originalHint')}>
                {t('mailIn.original')}
              </Button>
            </div>
            {open === m.mailId ? <MailBody mailId={m.mailId} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function MailBody({ mailId }: { mailId: string }) {
  const { t } = useTranslation();
  const [images, setImages] = useState(false);
  const view = useApiQuery('mail.view', { mailId, remoteImages: images });
  const v = view.data;
  return (
    <div className="stack mail-view" data-testid="mail-view">
      <ErrorBanner error={view.error} />
      {v?.html ? (
        <>
          {v.remoteImagesBlocked > 0 && !images ? (
            <div className="mail-warning small">
              {t('mailIn.imagesBlocked', { count: v.remoteImagesBlocked })}{' '}
              <Button onClick={() => setImages(true)}>{t('mailIn.showImages')}</Button>
            </div>
          ) : null}
          {/* No scripts, no same origin, no forms: the sanitized HTML is only painted. */}
          <iframe className="mail-frame" title={t('mailIn.frameTitle')} sandbox="" referrerPolicy="no-referrer" srcDoc={v.html} />
        </>
      ) : v ? (
        <pre className="mail-text">{v.text}</pre>
      ) : null}
    </div>
  );
}

function UnknownSender({ sender, ticketId, customerId }: { sender: TicketSender; ticketId: string; customerId: string }) {
  const { t } = useTranslation();
  const go = useNav((s) => s.go);
  const load = useTicket((s) => s.load);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<CustomerSummary[]>([]);
  const search = useApiAction(async (q: string) => call('customers.list', { query: q, limit: 8 }));
  const link = useApiAction(async (target: string) => call('mail.linkSender', { ticketId, customerId: target }));
  useEffect(() => {
    if (query.trim().length < 2) return;
    const timer = setTimeout(() => void search.run(query).then((r) => setResults((r ?? []).filter((c) => !/^X[AE]XX010101000$/.test(c.rfc)))), 250);
    return () => clearTimeout(timer);
  }, [query]);
  return (
    <div className="mail-warning stack" role="status" data-testid="unknown-sender">
      <strong>{t('mailIn.unknownTitle', { address: sender.fromAddress })}</strong>
      <span className="small">{t('mailIn.unknownHelp')}</span>
      <ErrorBanner error={link.error ?? search.error} />
      <TextField label={t('mailIn.linkSearch')} value={query} onChange={(e) => setQuery(e.target.value)} />
      {query.trim().length >= 2 ? (
        <ul className="mail-link-results">
          {results.map((c) => (
            <li key={c.id}>
              <span>{c.name} · {c.rfc}</span>
              <Button onClick={() => void link.run(c.id).then((d) => d && load(ticketId))}>{t('mailIn.link')}</Button>
            </li>
          ))}
        </ul>
      ) : null}
      <div>
        <Button onClick={() => go({ name: 'customer', customerId })}>{t('mailIn.register')}</Button>
      </div>
    </div>
  );
}
