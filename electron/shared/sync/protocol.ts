/**
 * The sync protocol between a branch device and the central server (issue 11): one zod schema
 * per message, parsed by the server on every request and by the client on every answer, so
 * both sides agree on the wire format. Pure: no Node, DOM or Electron imports.
 */
import { z } from 'zod';

/**
 * Most mutations a push batch (or a pull page) may carry; the server refuses larger batches whole.
 * Big enough that a batch's fixed cost (authentication, locks, a dozen statements) is spread thin.
 */
export const MAX_BATCH = 2000;
/** Largest JSON payload of one mutation, in characters. */
export const MAX_PAYLOAD_CHARS = 64 * 1024;
/** Largest request body the server reads (the client cuts a batch of large payloads to fit). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Most audit entries one upload may carry. */
export const MAX_AUDIT_BATCH = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HLC = /^\d{15}-[0-9a-z]{5,}-[0-9a-f-]{36}$/;
const ENTITY = /^[a-z_]{1,40}$/;
const uuid = z.string().regex(UUID, 'sync.badId');
/** An encoded HLC (shared/hlc.ts): 15-digit wall ms, base-36 counter, device id. */
export const hlcText = z.string().regex(HLC, 'sync.badHlc');
/** The branch's site code: prefixes its tracking numbers (<SITE>-<n>), unique on the server. */
export const siteCode = z.string().regex(/^[A-Z0-9]{2,8}$/, 'sync.badSiteCode');
const entityName = z.string().regex(ENTITY, 'sync.badEntity');
const shortText = (max: number) => z.string().min(1).max(max);

export const ACTOR_KINDS = ['user', 'system', 'anonymous', 'emergency'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Keys that never travel: secrets stay on the device that made them (issue 11, "no secret ever travels"). */
export const SECRET_KEYS = ['passwordHash', 'password', 'token', 'secret', 'sessionToken', 'mailboxPassword'] as const;

/**
 * Whether a payload's JSON text might name a secret key (any spelling of one, or an escape that
 * could hide one). False means it surely does not: the deep walk (carriesSecret, withoutSecrets)
 * is then skipped — most payloads, at a fraction of the cost.
 */
export const mightCarrySecret = (text: string): boolean => /password|token|secret|\\u/i.test(text);

const payloadTexts = new WeakMap<object, string>();
/**
 * A validated payload's JSON text, written once: the size check below writes it, and the server
 * stores the same text (push.ts) instead of writing it again. Payloads are never changed in place
 * (a rewrite makes a new object), so the text stays true to its object.
 */
export function payloadText(payload: Record<string, unknown>): string {
  let text = payloadTexts.get(payload);
  if (text === undefined) {
    text = JSON.stringify(payload);
    payloadTexts.set(payload, text);
  }
  return text;
}

/** Does a payload carry a secret at any depth? The server refuses such a mutation. */
export function carriesSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(carriesSecret);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => (SECRET_KEYS as readonly string[]).includes(k) || carriesSecret(v));
}

/** One outbox record as it travels: a row change made by one user on one device. */
export const mutationSchema = z
  .object({
    /** Gap-free per device, from 1: the server applies exactly last + 1. */
    pushSeq: z.number().int().min(1),
    id: uuid,
    hlc: hlcText,
    actorKind: z.enum(ACTOR_KINDS),
    actorId: uuid.nullable(),
    entity: entityName,
    entityId: shortText(64),
    op: z.enum(['insert', 'update']),
    payload: z.record(z.string(), z.unknown()),
    createdAt: z.number().int().min(0),
  })
  .refine((m) => payloadText(m.payload).length <= MAX_PAYLOAD_CHARS, { path: ['payload'], message: 'sync.payloadTooLarge' })
  .refine((m) => (m.actorKind === 'user' || m.actorKind === 'emergency') === (m.actorId !== null), { path: ['actorId'], message: 'sync.badActor' });
export type Mutation = z.infer<typeof mutationSchema>;

/** A push: consecutive pushSeqs in ascending order (a reordered or holed batch is refused whole). */
export const pushRequestSchema = z.object({
  mutations: z
    .array(mutationSchema)
    .min(1)
    .max(MAX_BATCH, 'sync.batchTooLarge')
    .refine((ms) => ms.every((m, i) => i === 0 || m.pushSeq === ms[i - 1]!.pushSeq + 1), 'sync.batchNotContiguous'),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

const MUTATION_KEYS = 10;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length >= 1 && v.length <= max;
const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
const isMutation = (m: unknown): m is Mutation => {
  if (!isPlain(m)) return false;
  let keys = 0;
  for (const _k in m) keys++;
  const { pushSeq, id, hlc, actorKind, actorId, entity, entityId, op, payload, createdAt } = m;
  return keys === MUTATION_KEYS && Number.isSafeInteger(pushSeq) && (pushSeq as number) >= 1 && typeof id === 'string' && UUID.test(id) &&
    typeof hlc === 'string' && HLC.test(hlc) && (actorKind === 'user' || actorKind === 'emergency' ? typeof actorId === 'string' && UUID.test(actorId)
      : (actorKind === 'system' || actorKind === 'anonymous') && actorId === null) &&
    typeof entity === 'string' && ENTITY.test(entity) && isText(entityId, 64) && (op === 'insert' || op === 'update') &&
    isPlain(payload) && Number.isSafeInteger(createdAt) && (createdAt as number) >= 0 && payloadText(payload).length <= MAX_PAYLOAD_CHARS;
};

/**
 * The push's quick check (the server's throughput path, issue 11): the same rules as
 * pushRequestSchema, written out — zod's walk cost about 20 µs a mutation, a fifth of the server's
 * share. It accepts only what the schema accepts and gives it back unchanged (a mutation with a
 * key the schema would strip is left to it); anything else answers null, and the server then
 * parses with pushRequestSchema, which names each bad field (translated). push-quick-check.test.ts
 * holds the two together on good and bad batches.
 */
export function quickPushRequest(body: unknown): PushRequest | null {
  if (!isPlain(body) || !Array.isArray(body.mutations)) return null;
  const ms = body.mutations as unknown[];
  if (ms.length < 1 || ms.length > MAX_BATCH) return null;
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i];
    if (!isMutation(m) || (i > 0 && m.pushSeq !== (ms[i - 1] as Mutation).pushSeq + 1)) return null;
  }
  return { mutations: ms as Mutation[] };
}

/** Per mutation: applied now, already applied before (a replay), or rejected with a reason that the app shows. */
export const pushOutcomeSchema = z.object({
  pushSeq: z.number().int().min(1),
  status: z.enum(['applied', 'duplicate', 'rejected']),
  reason: z.string().max(200).nullable(),
});
export type PushOutcome = z.infer<typeof pushOutcomeSchema>;

export const pushResponseSchema = z.object({
  results: z.array(pushOutcomeSchema),
  /** The highest pushSeq the server holds for this device after the batch. */
  lastPushSeq: z.number().int().min(0),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

/** Enrolment: a one-time code from the server's administrator, and the device's own identity. */
export const enrolRequestSchema = z.object({
  code: z.string().trim().regex(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/, 'sync.badCode'),
  deviceId: uuid,
  siteCode,
  deviceName: shortText(120),
});
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

export const enrolResponseSchema = z.object({
  deviceId: uuid,
  /** Shown once; the server keeps only its hash. Sent as `Authorization: Device <deviceId>.<secret>`. */
  secret: z.string().min(32).max(128),
  branch: z.object({ code: siteCode, name: z.string(), timeZone: z.string() }),
  /** Where the device's push sequence and audit chain resume (0 / genesis for a new device). */
  lastPushSeq: z.number().int().min(0),
  auditHead: z.object({ seq: z.number().int().min(0), hash: z.string() }),
});
export type EnrolResponse = z.infer<typeof enrolResponseSchema>;

/** One audit entry exactly as stored on the device (core/audit.ts AuditEntry): hashes are checked, not trusted. */
export const auditEntrySchema = z.object({
  seq: z.number().int().min(1),
  id: uuid,
  deviceId: uuid,
  at: z.number().int().min(0),
  actorId: z.string().max(64).nullable(),
  actorKind: z.string().max(20),
  action: z.string().max(100),
  entity: z.string().max(64),
  entityId: z.string().max(200).nullable(),
  data: z.string().max(MAX_PAYLOAD_CHARS),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type SyncAuditEntry = z.infer<typeof auditEntrySchema>;

/** An upload continues the device's chain from the server's head for that device, in seq order. */
export const auditUploadSchema = z.object({ entries: z.array(auditEntrySchema).min(1).max(MAX_AUDIT_BATCH, 'sync.batchTooLarge') });
export const auditUploadResponseSchema = z.object({
  accepted: z.number().int().min(0),
  head: z.object({ seq: z.number().int().min(0), hash: z.string() }),
});

/**
 * Most changes a pull page may carry: an empty device (its first sync) asks for pages this big —
 * fewer round trips and write transactions — others take the default, MAX_BATCH.
 */
export const MAX_PULL_PAGE = 5000;
/** Pull: applied changes after the device's cursor that its branch may see, one page at a time. */
export const pullRequestSchema = z.object({
  cursor: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(MAX_PULL_PAGE).default(MAX_BATCH),
});
export const pulledChangeSchema = z.object({
  serverSeq: z.number().int().min(1),
  /** null: a change the server decided itself (a customer merged into another). */
  deviceId: uuid.nullable(),
  hlc: hlcText,
  actorId: z.string().max(64).nullable(),
  entity: entityName,
  entityId: shortText(64),
  op: z.enum(['insert', 'update']),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.number().int().min(0),
});
export type PulledChange = z.infer<typeof pulledChangeSchema>;
export const pullResponseSchema = z.object({
  changes: z.array(pulledChangeSchema),
  /** Pass back as `cursor` for the next page. */
  cursor: z.number().int().min(0),
  more: z.boolean(),
  /** The feed's end when this page was read: (cursor − start) / (head − start) is how far a long pull has come. */
  head: z.number().int().min(0).optional(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

/** A branch's users' password hashes, in their own authenticated call (never in the outbox or pulled rows). */
export const credentialUploadSchema = z.object({
  credentials: z.array(z.object({
    userId: uuid,
    passwordHash: z.string().max(300).regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'sync.badHash'),
    changedAt: z.number().int().min(0),
  })).min(1).max(MAX_BATCH, 'sync.batchTooLarge'),
});
/** Another branch asks once whether a name and password are right, then keeps its own hash. */
export const credentialVerifySchema = z.object({ username: z.string().min(1).max(60), password: z.string().min(1).max(200) });
export const credentialVerifyResponseSchema = z.object({ userId: uuid });

/** Every error answer of the server: a stable code (an i18n key on the client) and optional details. */
export const syncErrorSchema = z.object({
  error: z.object({ code: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});
export type SyncError = z.infer<typeof syncErrorSchema>;

/**
 * Server URLs the app accepts: https://, or http:// to this machine (loopback). A LAN http://
 * address only with `allowLanHttp` (an explicit setting): secrets would cross the network in clear.
 */
export function checkServerUrl(raw: string, allowLanHttp = false): { ok: true; url: string } | { ok: false; reason: 'sync.urlInvalid' | 'sync.urlInsecure' } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'sync.urlInvalid' };
  }
  if (url.username || url.password || url.search || url.hash) return { ok: false, reason: 'sync.urlInvalid' };
  if (url.protocol === 'https:') return { ok: true, url: url.origin + url.pathname.replace(/\/+$/, '') };
  if (url.protocol !== 'http:') return { ok: false, reason: 'sync.urlInvalid' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (!loopback && !allowLanHttp) return { ok: false, reason: 'sync.urlInsecure' };
  return { ok: true, url: url.origin + url.pathname.replace(/\/+$/, '') };
}

/**
 * Attachments through sync (issue 11): evidence bytes travel apart from the rows, content-addressed
 * by their SHA-256 — sent once per organization (a device asks first), in chunks so a cut connection
 * resumes where it stopped, checked against their name on the server, and fetched by other branches
 * when someone opens them (or in the background).
 */
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'blobs.badHash');
/** Bytes per upload request (and the server's limit on one request's body). */
export const BLOB_CHUNK_BYTES = 1024 * 1024;
/** The server's default limit on one file (SYNC_MAX_BLOB_BYTES changes it): the app's own highest setting. */
export const MAX_BLOB_BYTES = 50 * 1024 * 1024;
/** Hashes per check request. */
export const MAX_BLOB_CHECK = 500;

export const blobCheckRequestSchema = z.object({ sha256: z.array(sha256Hex).min(1).max(MAX_BLOB_CHECK, 'sync.batchTooLarge') });
/**
 * Per hash: complete (nothing to send), partial (send from `received`), missing (send it all), or
 * unknown — no attachment this device may see names it (not pushed yet, or another branch's).
 */
export const blobStateSchema = z.object({
  sha256: sha256Hex,
  state: z.enum(['complete', 'partial', 'missing', 'unknown']),
  received: z.number().int().min(0),
  size: z.number().int().min(0).nullable(),
});
export type BlobState = z.infer<typeof blobStateSchema>;
export const blobCheckResponseSchema = z.object({ blobs: z.array(blobStateSchema), maxBytes: z.number().int().min(1) });
/** PUT /v1/blobs/:sha256?offset=N&size=S with the chunk's bytes as application/octet-stream. */
export const blobUploadQuerySchema = z.object({
  offset: z.coerce.number().int().min(0),
  size: z.coerce.number().int().min(1),
});
export const blobUploadResponseSchema = z.object({ sha256: sha256Hex, received: z.number().int().min(0), complete: z.boolean() });
