/**
 * Live changes (issue 11): a device keeps `GET /v1/events` open (Server-Sent Events) and hears
 * within a second that something it may pull was pushed — to this process or to any other on the
 * same database. A push that applied something sends `NOTIFY sync_changes` inside its transaction
 * (PostgreSQL delivers it at commit, to every process LISTENing); each process fans it out to its
 * open streams. The stream carries no data, only "pull now": what a device may see is still
 * decided by pull. A device is not woken by its own push.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Db, Sql } from './db';
import { authenticateDevice } from './commands/enrol';
import { ServerError } from './errors';

export const CHANGES_CHANNEL = 'sync_changes';
/** A comment line this often keeps proxies from closing an idle stream and lets clients spot a dead one. */
export const HEARTBEAT_MS = 15_000;

const noticeSchema = z.object({ device: z.string().max(64), branch: z.string().max(16) });
type Notice = z.infer<typeof noticeSchema>;

/** What a change's NOTIFY says: who made it (that device is not woken) and at which branch. */
export const changeNotice = (device: { id: string; branch_code: string }): string => JSON.stringify({ device: device.id, branch: device.branch_code });

/** Inside a transaction: tell every server process, at commit, that `device` changed something (a push folds this into its last statement). */
export async function notifyChange(sql: Sql, device: { id: string; branch_code: string }): Promise<void> {
  await sql.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, changeNotice(device)]);
}

interface Stream {
  deviceId: string;
  reply: FastifyReply;
}

/** This process's open streams and its LISTEN on the database. */
export class LiveHub {
  private readonly streams = new Set<Stream>();
  private stopListening: (() => Promise<void>) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(private readonly db: Db) {}

  get connected(): number {
    return this.streams.size;
  }

  async start(): Promise<void> {
    // The listening connection came back after a drop: notices may have been lost, so everyone pulls.
    this.stopListening = await this.db.listen(CHANGES_CHANNEL, (payload) => this.notice(payload), () => this.broadcast(null));
    this.heartbeat = setInterval(() => {
      for (const s of this.streams) s.reply.raw.write(': ping\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const s of this.streams) s.reply.raw.end();
    this.streams.clear();
    const stop = this.stopListening;
    this.stopListening = null;
    await stop?.().catch(() => undefined);
  }

  private notice(payload: string): void {
    let parsed: Notice;
    try {
      parsed = noticeSchema.parse(JSON.parse(payload));
    } catch {
      return; // not ours
    }
    this.broadcast(parsed.device);
  }

  /** Wakes every stream except the device that made the change (null: everyone). */
  private broadcast(fromDevice: string | null): void {
    for (const s of this.streams) {
      if (s.deviceId !== fromDevice) s.reply.raw.write('event: change\ndata: {}\n\n');
    }
  }

  /** `GET /v1/events` with the device's credential: an SSE stream of "change" events. */
  register(app: FastifyInstance): void {
    app.get('/v1/events', async (req, reply) => {
      if (!this.stopListening) throw new ServerError(503, 'sync.liveUnavailable');
      const device = await this.db.tx((sql) => authenticateDevice(sql, req.headers.authorization));
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const stream: Stream = { deviceId: device.id, reply };
      this.streams.add(stream);
      // "ready" tells the client the stream is live (it pulls once, for what it missed while away).
      reply.raw.write(`retry: 2000\nevent: ready\ndata: {}\n\n`);
      req.raw.on('close', () => this.streams.delete(stream));
    });
    // Open streams would keep app.close() waiting forever: end them first.
    app.addHook('preClose', async () => this.stop());
  }
}
