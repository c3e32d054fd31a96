/**
 * `npm run seed -- --tickets N [--data DIR] [--messages-per-ticket M] [--customers C] [--seed S] [--site CODE] [--password P] [--span-days D]`
 *
 * Fills a data directory with invented demo data (see cli/demo-data.ts). DIR defaults to
 * HELPDESK_DATA_DIR. When the workspace is already set up, tickets are added to its branch. The
 * history spans D days up to now (default 730): a short span leaves more of them still open.
 */
import { parseArgs } from 'node:util';
import { generateDemoData } from './demo-data';

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

const USAGE = `Uso: npm run seed -- --tickets N [--data DIR] [--messages-per-ticket M] [--customers C] [--seed S] [--site CODIGO] [--password CLAVE] [--span-days DIAS]`;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      tickets: { type: 'string', default: '1000' },
      data: { type: 'string' },
      'messages-per-ticket': { type: 'string', default: '5' },
      customers: { type: 'string' },
      seed: { type: 'string', default: '20260302' },
      site: { type: 'string', default: 'DEMO' },
      password: { type: 'string' },
      'span-days': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const dataDir = values.data ?? process.env.HELPDESK_DATA_DIR;
  if (!dataDir) {
    console.error(`Falta el directorio de datos: use --data DIR o defina HELPDESK_DATA_DIR.\n${USAGE}`);
    return 2;
  }
  const int = (name: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} debe ser un entero ≥ ${min} (recibido: ${v})`);
    return n;
  };
  const tickets = int('tickets', values.tickets, 0);
  const messagesPerTicket = int('messages-per-ticket', values['messages-per-ticket'], 0);
  const customers = values.customers === undefined ? undefined : int('customers', values.customers, 0);
  const seed = int('seed', values.seed, 0);
  const spanDays = values['span-days'] === undefined ? undefined : int('span-days', values['span-days'], 1);

  console.log(`Generando ${tickets.toLocaleString('es-MX')} tickets (~${messagesPerTicket} mensajes c/u) en ${dataDir}`);
  const summary = await generateDemoData({
    dataDir, tickets, messagesPerTicket, customers, seed, site: values.site, password: values.password, ...(spanDays ? { spanDays } : {}),
    log: (line) => console.log(line),
    onProgress: (p) => {
      const rate = p.ticketsDone / (p.elapsedMs / 1000);
      const pct = p.ticketsTotal > 0 ? (100 * p.ticketsDone) / p.ticketsTotal : 100;
      const eta = rate > 0 ? ((p.ticketsTotal - p.ticketsDone) / rate) * 1000 : 0;
      console.log(
        `  ${p.ticketsDone.toLocaleString('es-MX')} / ${p.ticketsTotal.toLocaleString('es-MX')} tickets (${pct.toFixed(1)} %) · ` +
          `${p.actionsDone.toLocaleString('es-MX')} acciones · ${Math.round(rate).toLocaleString('es-MX')} tickets/s · ` +
          `transcurrido ${formatDuration(p.elapsedMs)} · restante ~${formatDuration(eta)}`,
      );
    },
  });
  console.log(
    `Listo en ${formatDuration(summary.elapsedMs)}: sucursal ${summary.branchCode}, ${summary.customersCreated.toLocaleString('es-MX')} clientes, ` +
      `${summary.ticketsCreated.toLocaleString('es-MX')} tickets, ${summary.messagesCreated.toLocaleString('es-MX')} mensajes, ` +
      `${summary.timelineEvents.toLocaleString('es-MX')} eventos en el historial.`,
  );
  if (summary.credentials) {
    console.log(`\nCredenciales (datos de demostración):`);
    console.log(`  usuario: ${summary.credentials.username}   contraseña: ${summary.credentials.password}`);
    console.log(`  usuarios de prueba (misma contraseña): ${summary.credentials.users.map((u) => `${u.username} [${u.roles.join(', ')}]`).join('; ')}`);
  } else {
    console.log('La sucursal ya existía: las credenciales no cambiaron.');
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
