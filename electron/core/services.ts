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
}

export function createServices(ws: Workspace, backgroundSync: BackgroundSyncOptions = {}): Services {
  const users = new Users(ws);
  const sla = new SlaEngine(ws);
  const customers = new Customers(ws, sla);
  const attachments = new Attachments(ws);
  const settings = new Settings(ws);
  const tickets = new Tickets(ws, customers, attachments, settings, sla);
  const requests = new Requests(ws, customers, attachments, settings, users);
  const emergency = new Emergency(ws, users, requests);
  const jobs = new Jobs(ws);
  const sync = new SyncClient({ ws, sla });
  const syncBackground = new BackgroundSync(ws, sync, backgroundSync);
  const backups = new Backups(ws, settings);
  return {
    ws, users, customers, attachments, settings, tickets, sla, requests, emergency, jobs, sync, syncBackground, inbox: new Inbox(ws), backups,
    personalData: new PersonalDataRequests(ws, sla),
  };
}
