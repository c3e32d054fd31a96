/** Data shapes returned by the API (DTOs). Times are epoch milliseconds (UTC). */
import type { MetricClock, SlaState } from './sla';
import type { ErrorInfo } from './errors';
import type { ListColumnPref } from './list-prefs';
import type { SavedQuestion } from './contract';
import type { AuditExportChain, EmergencySessionInfo } from './request-types';
import type {
  Category, Channel, ClosedTicketPolicy, ContactMethod, EventKind, Locale, Plan, Priority, RequestType,
  Role, Severity, Status, SupportType, Tier, WaitingOn,
} from './domain';

export interface Branch {
  code: string;
  name: string;
  timeZone: string;
}

export interface AppStatus {
  initialized: boolean;
  branch: Branch | null;
  /** Set when the database could not be opened; the UI offers restore or start anew. */
  /** `readOnly`, `full`, `denied`: the storage refuses writes; nothing is damaged, the fix is outside the app. */
  /**
   * `noSpace`: the database needs updating, and the backup made first would not fit on the disk
   * (`space` says how much is needed and free); nothing was copied or changed.
   */
  recovery: {
    reason: 'corrupt' | 'unreadable' | 'readOnly' | 'full' | 'denied' | 'noSpace';
    detail: string;
    backups: BackupInfo[];
    space?: { neededBytes: number; freeBytes: number; folder: string };
  } | null;
  /** Set while the workspace is being prepared before it opens: the backup before an update, with its progress. */
  preparing?: { task: 'backupBeforeUpdate'; done: number; total: number | null; etaMs: number | null } | null;
}

/** Why a backup was made: by a person, by the daily schedule, or just before the database was updated. */
export type BackupReason = 'manual' | 'scheduled' | 'migration';

export interface BackupInfo {
  fileName: string;
  sizeBytes: number;
  createdAt: number;
  reason: BackupReason;
  /** Evidence files the backup references (null for backups made before attachments were kept). */
  attachments: number | null;
}

/** What a backup holds, read from the file itself before anyone restores it. */
export interface BackupPreview extends BackupInfo {
  schemaVersion: number | null;
  /** 'ok' or SQLite's first complaint. */
  integrity: string;
  tickets: { open: number; waiting: number; closed: number };
  customers: number;
  users: number;
  auditEntries: number;
  lastActivityAt: number | null;
  /** Referenced evidence files that neither the backups' store nor the live folder has. */
  attachmentsMissing: number;
}

/** How recent the last good backup is (the warning on Inicio and in Administración). */
export interface BackupStatus {
  lastAt: number | null;
  /** No backup, or the last one is older than BACKUP_STALE_MS. */
  stale: boolean;
  daily: boolean;
}

export interface BackupRestoreResult {
  fileName: string;
  /** The name the replaced database was kept under (never deleted). */
  setAside: string | null;
  attachmentsRestored: number;
  attachmentsMissing: number;
}

/** Long work that runs off the request path (issue 16): started by one call, followed by jobs.status. */
export type JobKind = 'audit.export' | 'backup' | 'backup.restore';
export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo {
  id: string;
  kind: JobKind;
  state: JobState;
  /** Units done so far and in all (entries for an export, database pages for a backup); total is null until known. */
  done: number;
  total: number | null;
  startedAt: number;
  /** Estimated milliseconds left, from the pace so far; null until there is a pace. */
  etaMs: number | null;
  /** What a finished export produced: its file and manifest. */
  result: JobResultFile | null;
  /** What a finished backup produced. */
  backup: BackupInfo | null;
  error: ErrorInfo | null;
  /**
   * A restore's step: copying the backup and checking the copy (done/total in bytes; Cancelar leaves
   * the workspace untouched), putting evidence back, then — after the swap, no way back — updating an
   * older backup to this version (done/total in pages of the backup made first).
   */
  phase?: 'copying' | 'checking' | 'attachments' | 'updating' | null;
  /** What a finished restore did (everyone signs in again). */
  restored?: BackupRestoreResult | null;
}

/** A file a job wrote into the data folder's exports/, read back with jobs.file. */
export interface JobResultFile {
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  count: number;
  sha256: string;
  chains: AuditExportChain[];
}

/** One slice of a job's file (base64), and where the next starts (null at the end). */
export interface JobFileChunk {
  contentBase64: string;
  next: number | null;
}

export interface UserSummary {
  id: string;
  username: string;
  fullName: string;
  roles: Role[];
  active: boolean;
  locked: boolean;
  locale: Locale;
  /** After an administrator's reset: the user must pick a new password before anything else (core enforces it). */
  mustChangePassword: boolean;
  /** Present while signed in with an emergency account: the UI shows a persistent banner (issue 4). */
  emergency?: EmergencySessionInfo;
}

export interface SessionInfo {
  token: string;
  user: UserSummary;
}

export interface FiscalAddress {
  street: string;
  exteriorNumber: string;
  interiorNumber: string;
  neighborhood: string;
  city: string;
  state: string;
  postalCode: string;
}

export interface Contact {
  id: string;
  name: string;
  email: string;
  phone: string;
  isLegalRepresentative: boolean;
}

export interface Customer {
  id: string;
  rfc: string;
  name: string;
  taxRegime: string;
  fiscalAddress: FiscalAddress;
  registeredEmail: string;
  plan: Plan;
  serviceStatus: 'active' | 'suspended';
  creditPackage: string;
  contacts: Contact[];
  rfcWarnings: string[];
  createdAt: number;
  updatedAt: number;
}

export interface CustomerSummary {
  id: string;
  rfc: string;
  name: string;
  registeredEmail: string;
  plan: Plan;
  openTickets: number;
}

export interface TicketSummary {
  id: string;
  trackingNumber: string;
  customerId: string;
  customerName: string;
  rfc: string;
  subject: string;
  channel: Channel;
  requestType: RequestType;
  supportType: SupportType;
  category: Category;
  priority: Priority;
  severity: Severity;
  tier: Tier;
  status: Status;
  waitingOn: WaitingOn | null;
  assigneeId: string | null;
  assigneeName: string | null;
  createdAt: number;
  updatedAt: number;
  /** Present on search results: a fragment with matches wrapped in [[ ]]. */
  highlight?: string;
}

export interface Ticket extends TicketSummary {
  description: string;
  closeCause: string | null;
  closeSolution: string | null;
  closedAt: number | null;
  linkedTicketId: string | null;
  linkedTrackingNumber: string | null;
  /** Set when this ticket was merged into another (it is then closed). */
  mergedIntoId: string | null;
  mergedIntoTrackingNumber: string | null;
}

export interface AttachmentInfo {
  id: string;
  ticketId: string;
  eventId: string | null;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: number;
  /** Pulled from another branch, its bytes not on this device yet ("pendiente de descargar"; fetched when opened). */
  pendingDownload?: boolean;
}

export interface TimelineEvent {
  id: string;
  kind: EventKind;
  body: string;
  data: Record<string, unknown>;
  actorId: string | null;
  actorName: string | null;
  createdAt: number;
  attachments: AttachmentInfo[];
  /** On a target's timeline, the merged ticket an entry came from (absent for the ticket's own entries). */
  fromTicket?: { id: string; trackingNumber: string };
}

export interface TicketDetail {
  ticket: Ticket;
  customer: CustomerSummary;
  /** Whom to call or write back: the customer's first contact (the one intake registered). */
  contact: { name: string; email: string; phone: string } | null;
  timeline: TimelineEvent[];
  /** The tickets merged into this one (their entries are in `timeline`, marked with `fromTicket`). */
  mergedFrom: Array<{ id: string; trackingNumber: string; subject: string }>;
}

/** A row of the ticket list: the summary and its SLA at the moment of the list (as a board card shows it). */
export interface TicketListRow extends TicketSummary {
  slaState: SlaState;
  /** The next deadline of a running clock (breach moment), or the resolution due time; null when closed. */
  dueAt: number | null;
  warnAt: number | null;
  /** The due moment of the first recorded breach, if any ("vencido hace …"). */
  firstBreachDueAt: number | null;
  /** The business calendar of the ticket's policy: the countdown is in its business time. */
  calendarId: string;
}

export interface TicketPage {
  /** The host's clock when the page was read: the SLA countdowns are relative to it. */
  now: number;
  rows: TicketListRow[];
  /** Where the next page starts (pass it as `cursor`), or null on the last page. */
  nextCursor: string | null;
  /**
   * How many tickets the question matches, on the first page only (null on later pages): exact
   * up to LIST_COUNT_BOUND; beyond it `total` is the bound and `totalCapped` is true ("más de 10 000").
   */
  total: number | null;
  totalCapped: boolean;
}

export interface OrgSettings {
  closedTicketPolicy: ClosedTicketPolicy;
  reopenWithinDays: number;
  maxAttachmentBytes: number;
  defaultLocale: Locale;
  /** How many backups are kept at most (a disk guard); the oldest go after each new one. */
  keepBackups: number;
  /** A backup is made by itself once a day while the app runs. */
  dailyBackups: boolean;
  /** Backups older than this many days are deleted (the newest always stays). */
  keepBackupDays: number;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first broken link, by sequence number, and why. */
  firstBroken: { seq: number; reason: 'hash' | 'prev_hash' | 'sequence_gap' | 'truncated' } | null;
}

/** A card on the escalation board (one open ticket). */
export interface BoardCard {
  id: string;
  trackingNumber: string;
  customerName: string;
  subject: string;
  severity: Severity;
  tier: Tier;
  category: Category;
  status: Status;
  waitingOn: WaitingOn | null;
  assigneeId: string | null;
  assigneeName: string | null;
  slaState: SlaState;
  /** The next deadline of a running clock (breach moment), or the resolution due time. */
  dueAt: number | null;
  warnAt: number | null;
  /** The due moment of the first recorded breach, if any ("vencido hace …"). */
  firstBreachDueAt: number | null;
  /** The business calendar of the ticket's policy: countdowns are in its business time. */
  calendarId: string;
}

export interface Board {
  /** The host's clock when the board was read: countdowns are relative to it. */
  now: number;
  columns: Array<{ tier: Tier; count: number; cards: BoardCard[] }>;
}

export interface TicketSla {
  policyId: string;
  policyName: string;
  state: SlaState;
  now: number;
  metrics: MetricClock[];
}

export interface SlaComplianceRow {
  key: string;
  tickets: number;
  firstResponseMeasured: number;
  firstResponseMet: number;
  resolutionMeasured: number;
  resolutionMet: number;
}

export interface SlaReport {
  from: number;
  to: number;
  byTier: SlaComplianceRow[];
  bySeverity: SlaComplianceRow[];
  byChannel: SlaComplianceRow[];
  byPeriod: SlaComplianceRow[];
  breaches: Array<{ ticketId: string; trackingNumber: string; metric: string; dueAt: number; recordedAt: number; tier: Tier; severity: Severity; channel: Channel }>;
  /** Present when format = csv: the whole report as CSV text. */
  csv?: string;
}

export type { ContactMethod };

/** A saved view of the ticket list (issue 14): a named question, kept per user. */
export interface SavedView {
  id: string;
  name: string;
  pinned: boolean;
  question: SavedQuestion;
  createdAt: number;
}

/** The columns a user chose for the ticket list, in order with their widths; null: the default set. */
export interface ListPrefs {
  columns: ListColumnPref[] | null;
}

/** What a bulk action did: each ticket on its own, the ones refused with the reason. */
export interface BulkResult {
  succeeded: string[];
  failed: Array<{ ticketId: string; trackingNumber: string | null; error: ErrorInfo }>;
}

/** A ticket-list question (view, filters, sort) as saved views and the supervisor's home keep it. */
export type ListQuestion = SavedQuestion;

/** A number on the supervisor's home and the ticket-list question that shows those very tickets. */
export interface SupervisorNumber {
  count: number;
  /** More than the list counts exactly ("más de 10 000"). */
  capped: boolean;
  question: ListQuestion;
}

/** The supervisor's home (issue 15): the branch in numbers at `now`. */
export interface SupervisorHome {
  now: number;
  /** Monday 00:00 of this week in the branch's time zone: "this week" counts from here. */
  weekStart: number;
  /** Not-closed tickets by tier and severity. */
  backlog: Array<{ tier: Tier; severity: Severity } & SupervisorNumber>;
  openTotal: SupervisorNumber;
  unassigned: SupervisorNumber;
  overdue: SupervisorNumber;
  dueSoon: SupervisorNumber;
  breachesThisWeek: number;
  closedThisWeek: number;
  autoClosedThisWeek: number;
  reopenedThisWeek: number;
  unreviewedEmergencySessions: number;
  /** Active agents and specialists, most open work first. */
  workload: Array<{ userId: string; name: string; open: SupervisorNumber; overdue: SupervisorNumber }>;
  /** First-response and resolution compliance by ISO week, oldest first (the SLA report's weeks). */
  trend: SlaComplianceRow[];
  /** Satisfaction over the trend's weeks (issue 15: "CSAT trend, once surveys exist"). */
  csat: {
    /** Answers per ISO week, oldest first (weeks without answers left out). */
    trend: Array<{ key: string; answered: number; ratingSum: number; satisfied: number; dissatisfied: number }>;
    /** Since the first trend week: answers, and tickets closed (the surveys sent). */
    answered: number;
    closed: number;
    /** Tickets rated 4–5 and 1–2 since the first trend week, with the list question that shows them. */
    satisfied: SupervisorNumber;
    dissatisfied: SupervisorNumber;
    since: number;
  };
}
