import { Attachments } from './attachments';
import { Backups } from './backup/service';
import { Customers } from './customers';
import { Emergency } from './emergency';
import { Jobs } from './jobs';
import { Inbox } from './notifications/inbox';
import { PersonalDataRequests } from './personal-data/register';
import { Requests } from './requests';
import { Settings } from './settings';
import { SlaEngine } from './sla';
import { Tickets } from './tickets';
import { Users } from './users';
import type { Workspace } from './workspace';
import { BackgroundSync, type BackgroundSyncOptions } from './sync/background';
import { SyncClient } from './sync/client';
import { Mailbox, type MailTransportOptions } from './mail/mailbox';
import { KEY_FILE_ONLY, loadOrCreateKey, SecretBox, type KeyWrapper } from './mail/secret';
import { MailSender, type MailSenderOptions } from './mail/sender';
import { KnowledgeBase } from './kb/knowledge-base';
import { Inboxes } from './mail/inboxes';
import { MailImporter, type ImporterOptions } from './mail/importer';
import { MailFetcher, type MailFetcherOptions } from './mail/fetcher';
import { MailIntake } from './mail/intake';
import { Surveys } from './mail/survey';
import { QuickReplies } from './mail/quick-replies';

/** Outgoing mail's parts that differ between hosts and tests. */
export interface MailServiceOptions {
  /** How the key file is protected (the desktop app wraps it with the OS, electron/main/mail-key.ts). */
  keyWrapper?: KeyWrapper;
  /** The key already unwrapped by the desktop app's main process with the OS secret store (host-child.ts). */
  unwrappedKey?: Buffer;
  transport?: MailTransportOptions;
  sender?: MailSenderOptions;
  /** Incoming mail: the IMAP fetcher and the importer (issue 12, items 1–2). */
  fetcher?: MailFetcherOptions;
  importer?: ImporterOptions;
}

/** The core services over one open workspace. */
export interface Services {
  ws: Workspace;
  users: Users;
  customers: Customers;
  attachments: Attachments;
  settings: Settings;
  tickets: Tickets;
  sla: SlaEngine;
  /** Change requests and emergency accounts (issue 4). */
  requests: Requests;
  emergency: Emergency;
  /** Long work off the request path (issue 16). */
  jobs: Jobs;
  /** Sync with the central server (issue 11). */
  sync: SyncClient;
  /** The signed-in user's notifications and their preferences (issue 14). */
  inbox: Inbox;
  /** Personal-data requests, derechos ARCO (issue 15). */
  personalData: PersonalDataRequests;
  /** Sync on its own while enrolled (started by the host; idle until then). */
  syncBackground: BackgroundSync;
  /** Manual, job and daily backups through one runner (issue 15). */
  backups: Backups;
  /** The outgoing mailbox and the sender of customer notices (issue 12). */
  mailbox: Mailbox;
  mail: MailSender;
  /** Knowledge base articles (issue 12, item 5). */
  kb: KnowledgeBase;
  /** Incoming mailboxes, their background fetcher and what the received mail became (issue 12). */
  inboxes: Inboxes;
  importer: MailImporter;
  fetcher: MailFetcher;
  intake: MailIntake;
  /** The satisfaction survey's answers (issue 12): mail intake records replies to the closing notice here. */
  surveys: Surveys;
  /** Respuestas rápidas (issue 12, item 6). */
  quickReplies: QuickReplies;
}

export function createServices(
  ws: Workspace, backgroundSync: BackgroundSyncOptions = {}, mail: MailServiceOptions = {}, kbOptions: { kbStarter?: boolean } = {},
  syncFetch: typeof fetch = fetch,
): Services {
  const users = new Users(ws);
  const sla = new SlaEngine(ws);
  const customers = new Customers(ws, sla);
  const attachments = new Attachments(ws);
  const settings = new Settings(ws);
  const tickets = new Tickets(ws, customers, attachments, settings, sla);
  const requests = new Requests(ws, customers, attachments, settings, users);
  const emergency = new Emergency(ws, users, requests);
  const jobs = new Jobs(ws);
  const sync = new SyncClient({ ws, sla }, syncFetch);
  const serverUrl = () => (sync.isEnrolled() ? sync.status().url : null);
  tickets.portalUrl = serverUrl;
  const syncBackground = new BackgroundSync(ws, sync, backgroundSync);
  const backups = new Backups(ws, settings);
  const wrapper = mail.keyWrapper ?? KEY_FILE_ONLY;
  const unwrapped = mail.unwrappedKey;
  const secrets = new SecretBox(unwrapped ? () => unwrapped : () => loadOrCreateKey(ws.dataDir, wrapper));
  const mailbox = new Mailbox(ws, secrets, unwrapped ? 'os' : wrapper.kind, mail.transport);
  const mailSender = new MailSender(ws, mailbox, mail.sender);
  const inboxes = new Inboxes(ws, secrets);
  const surveys = new Surveys(ws, tickets);
  // A customer's reply to a closure notice answers the satisfaction survey when it carries a rating.
  const importer = new MailImporter(ws, tickets, customers, attachments, settings, {
    onClosureReply: (tx, ticketId, text, meta) => surveys.recordReplyInTx(tx, ticketId, text, meta).recorded,
    ...mail.importer,
  });
  const fetcher = new MailFetcher(ws, inboxes, importer, mail.fetcher);
  return {
    ws, users, customers, attachments, settings, tickets, sla, requests, emergency, jobs, sync, syncBackground, inbox: new Inbox(ws),
    backups, mailbox, mail: mailSender, surveys, quickReplies: new QuickReplies(ws, sla, tickets.templates),
    kb: new KnowledgeBase(ws, serverUrl, kbOptions.kbStarter !== false),
    inboxes, importer, fetcher, intake: new MailIntake(ws, tickets, customers, settings, attachments),
    personalData: new PersonalDataRequests(ws, sla),
  };
}
