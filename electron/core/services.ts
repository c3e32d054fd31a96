import { Attachments } from './attachments';
import { Customers } from './customers';
import { Settings } from './settings';
import { Tickets } from './tickets';
import { Users } from './users';
import type { Workspace } from './workspace';

/** The core services over one open workspace. */
export interface Services {
  ws: Workspace;
  users: Users;
  customers: Customers;
  attachments: Attachments;
  settings: Settings;
  tickets: Tickets;
}

export function createServices(ws: Workspace): Services {
  const users = new Users(ws);
  const customers = new Customers(ws);
  const attachments = new Attachments(ws);
  const settings = new Settings(ws);
  const tickets = new Tickets(ws, customers, attachments, settings);
  return { ws, users, customers, attachments, settings, tickets };
}
