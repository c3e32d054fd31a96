/** Small hardening (issue 10, finding 10): private files and folders, validated attachment media types. */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from '../../../electron/core/db/connection';
import { phoneIntake } from '../../fixtures/workspace';
import { b64, deskPool } from './helpers';

const desks = deskPool();
const roots: string[] = [];
afterEach(() => {
  while (roots.length > 0) rmSync(roots.pop()!, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the data folder is private', () => {
  it('creates its folders 0700 and its files 0600: the database with its -wal and -shm, attachments, backups, the open marker', async () => {
    const root = mkdtempSync(join(tmpdir(), 'helpdesk-modes-'));
    roots.push(root);
    const dataDir = join(root, 'nested', 'data');
    const desk = await desks.make(dataDir).setup();
    await desk.call('tickets.create', phoneIntake({ attachments: [{ fileName: 'acuse.txt', mimeType: 'text/plain', contentBase64: b64('acuse de cancelación') }] }));
    const backup = await desk.call('backup.create', {});

    expect(mode(dataDir)).toBe(0o700);
    for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, `${DB_FILE}.open`]) expect({ f, mode: mode(join(dataDir, f)) }).toEqual({ f, mode: 0o600 });
    expect(mode(join(dataDir, 'attachments'))).toBe(0o700);
    for (const f of readdirSync(join(dataDir, 'attachments'))) expect(mode(join(dataDir, 'attachments', f))).toBe(0o600);
    expect(mode(join(dataDir, 'backups'))).toBe(0o700);
    expect(mode(join(dataDir, 'backups', backup.fileName))).toBe(0o600);
  });
});

describe('attachment media types', () => {
  it('accepts type/subtype with optional parameters (or empty: unknown) and refuses anything with CR/LF or other syntax', async () => {
    const desk = await desks.ready();
    const upload = (mimeType: string) => ({ fileName: 'a.txt', mimeType, contentBase64: b64('hola') });
    for (const ok of ['text/plain', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/plain; charset=utf-8', '']) {
      const r = await desk.raw('tickets.create', phoneIntake({ customer: { kind: 'new', rfc: 'XAXX010101000', name: `Cliente ${ok}`, email: 'a@b.example.mx' }, attachments: [upload(ok)] }));
      expect({ ok, r: r.ok }).toEqual({ ok, r: true });
    }
    for (const bad of ['text/plain\r\nX-Injected: 1', 'text/html\nSet-Cookie: a=b', 'text', 'text/plain; charset="utf-8"', '<script>/x', 'a/b c']) {
      const e = await desk.fail('tickets.create', phoneIntake({ attachments: [upload(bad)] }));
      expect({ bad, e }).toEqual({ bad, e: { code: 'validation.failed', fields: { 'attachments.0.mimeType': 'validation.invalid' } } });
    }
  });
});
