/**
 * Demo and benchmark data: a branch, its staff, invented customers (valid RFCs, .example.mx
 * e-mails, phones with lada) and realistic Spanish tickets with their conversations, spread over
 * the past two years. The branch, staff and customers go through the core commands (`Users`,
 * `Customers.insert` inside `Workspace.write`); tickets and their timelines go through a
 * `DemoTicketWriter`: by default the bulk path (demo-bulk.ts), which writes what the ticket
 * commands write — rows, timeline events, FTS entries, ticket_sla rows, audit entries (hash
 * chain), compacted outbox records — computed in memory and written in big batches; or, with
 * `writer: 'commands'`, the commands' transaction-level forms themselves (`Tickets.insertTicket`,
 * `addMessageInTx`, `customerMessageInTx`, …). A test generates a workspace both ways and
 * compares them table by table.
 *
 * Many actions share one SQLite transaction (a batch), each at its own moment on the fake clock,
 * so created_at, audit `at` and outbox HLCs follow a realistic, monotonic two-year history.
 * Actions of all tickets are replayed in time order.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { customerCreateSchema } from '../shared/contract';
import type { Category, Channel, Priority, RequestType, Role, Severity, SupportType, Tier, WaitingOn } from '../shared/domain';
import { TIER_ROLE, tierForSeverity, tierIndex, TIERS } from '../shared/domain';
import { makeRfc } from '../shared/rfc';
import type { Actor } from '../core/audit';
import { createServices, type Services } from '../core/services';
import type { TicketInsert } from '../core/tickets';
import { Workspace, WriteTx } from '../core/workspace';
import { DB_FILE } from '../core/db/connection';
import { BulkTicketWriter } from './demo-bulk';

export interface DemoOptions {
  dataDir: string;
  tickets: number;
  /** Average conversation entries per ticket (replies, notes, customer messages, contact attempts). */
  messagesPerTicket?: number;
  /** New customers to register; default max(50, tickets / 20). */
  customers?: number;
  seed?: number;
  /** Branch code when the workspace is new. */
  site?: string;
  /** Password of the administrator and demo users when the workspace is new (random when omitted). */
  password?: string;
  /** Timeline actions per transaction. */
  batchActions?: number;
  /** The end of the generated history (default: now). */
  endAt?: number;
  /** How far back the history starts. */
  spanDays?: number;
  onProgress?: (p: DemoProgress) => void;
  /** Print-friendly log lines (setup steps). */
  log?: (line: string) => void;
  /**
   * How tickets are written: 'bulk' (default) computes the commands' rows in memory and writes
   * them in batches (demo-bulk.ts); 'commands' runs the core commands one by one (the reference
   * the bulk path is tested against). Setup, users and customers always go through the commands.
   */
  writer?: 'bulk' | 'commands';
}

export interface DemoProgress {
  ticketsDone: number;
  ticketsTotal: number;
  actionsDone: number;
  elapsedMs: number;
}

export interface DemoSummary {
  branchCode: string;
  /** Set only when the workspace was created by this run. */
  credentials: { username: string; password: string; users: Array<{ username: string; roles: Role[] }> } | null;
  customersCreated: number;
  ticketsCreated: number;
  messagesCreated: number;
  timelineEvents: number;
  elapsedMs: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MIN_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class Dice {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1]![0];
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789ABCDEF'[this.int(0, 15)];
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Invented names (none taken from the seed documents)

const FIRST_NAMES_F = ['Mariana', 'Lucía', 'Ximena', 'Renata', 'Valeria', 'Daniela', 'Paola', 'Itzel', 'Regina', 'Fernanda', 'Abril', 'Camila', 'Natalia', 'Andrea', 'Citlali', 'Elena', 'Jimena', 'Noemí', 'Rocío', 'Teresa', 'Yolanda', 'Adriana', 'Beatriz', 'Guadalupe'];
const FIRST_NAMES_M = ['Santiago', 'Emiliano', 'Diego', 'Rodrigo', 'Mateo', 'Joaquín', 'Leonardo', 'Arturo', 'Héctor', 'Ignacio', 'Óscar', 'Ramiro', 'Sergio', 'Tomás', 'Ulises', 'Víctor', 'Alonso', 'Bruno', 'Gerardo', 'Humberto', 'Julián', 'Marco', 'Nicolás', 'Rubén'];
const SURNAMES = ['Quiroga', 'Ledesma', 'Anaya', 'Ferrer', 'Villaseñor', 'Olvera', 'Zamudio', 'Bocanegra', 'Arriaga', 'Cisneros', 'Escamilla', 'Galindo', 'Huerta', 'Ibarra', 'Jaramillo', 'Lozano', 'Montaño', 'Nava', 'Ocampo', 'Padilla', 'Quintero', 'Rentería', 'Salazar', 'Tapia', 'Urrutia', 'Valdivia', 'Yáñez', 'Zepeda', 'Alcocer', 'Barragán', 'Carbajal', 'Dávila', 'Echeverría', 'Fuentes', 'Garza', 'Hinojosa', 'Inclán', 'Lira', 'Madrigal', 'Orozco', 'Pineda', 'Robles', 'Solís', 'Trejo', 'Uribe', 'Vela'];
const COMPANY_HEADS = ['Comercializadora', 'Distribuidora', 'Servicios', 'Grupo', 'Consultores', 'Importadora', 'Transportes', 'Constructora', 'Abarrotes', 'Farmacias', 'Laboratorios', 'Talleres', 'Refaccionaria', 'Agrícola', 'Papelería', 'Muebles', 'Ferretería', 'Textiles', 'Alimentos', 'Desarrollos'];
const COMPANY_CORES = ['Alborada', 'Cuatro Vientos', 'Nogal', 'Piedra Azul', 'Sierra Morena', 'Tres Ríos', 'El Mezquite', 'Las Huertas', 'Río Bravo', 'Monte Alto', 'La Cañada', 'Valle Verde', 'Horizonte', 'Cerro Dorado', 'Los Fresnos', 'Puerto Claro', 'Altiplano', 'La Ceiba', 'Tlalli', 'Xochi', 'Ameyalli', 'Mar de Cortés', 'La Huasteca', 'El Roble', 'Bajío Norte', 'Laguna Seca', 'Santa Brígida', 'Palo Blanco', 'Citlalli', 'Nube Roja'];
const COMPANY_TAILS = ['', '', 'del Centro', 'del Bajío', 'del Norte', 'del Golfo', 'de Occidente', 'Integrales', 'Industriales', 'y Asociados'];
const LEGAL_FORMS = ['S.A. de C.V.', 'S.A. de C.V.', 'S. de R.L. de C.V.', 'S.C.', 'S.A.P.I. de C.V.', 'S.A.S.'];
const CITIES: ReadonlyArray<{ city: string; state: string; lada: string; cp: string }> = [
  { city: 'Ciudad de México', state: 'Ciudad de México', lada: '55', cp: '03' },
  { city: 'Guadalajara', state: 'Jalisco', lada: '33', cp: '44' },
  { city: 'Monterrey', state: 'Nuevo León', lada: '81', cp: '64' },
  { city: 'Puebla', state: 'Puebla', lada: '222', cp: '72' },
  { city: 'Querétaro', state: 'Querétaro', lada: '442', cp: '76' },
  { city: 'León', state: 'Guanajuato', lada: '477', cp: '37' },
  { city: 'Mérida', state: 'Yucatán', lada: '999', cp: '97' },
  { city: 'Tijuana', state: 'Baja California', lada: '664', cp: '22' },
  { city: 'Chihuahua', state: 'Chihuahua', lada: '614', cp: '31' },
  { city: 'Torreón', state: 'Coahuila', lada: '871', cp: '27' },
  { city: 'San Luis Potosí', state: 'San Luis Potosí', lada: '444', cp: '78' },
  { city: 'Oaxaca de Juárez', state: 'Oaxaca', lada: '951', cp: '68' },
  { city: 'Morelia', state: 'Michoacán', lada: '443', cp: '58' },
  { city: 'Hermosillo', state: 'Sonora', lada: '662', cp: '83' },
  { city: 'Veracruz', state: 'Veracruz', lada: '229', cp: '91' },
];
const STREETS = ['Av. de los Insurgentes', 'Calle Encino', 'Blvd. Miguel Alemán', 'Calle 5 de Mayo', 'Av. Constitución', 'Calle Jacarandas', 'Privada Los Pinos', 'Av. Revolución', 'Calle Morelos', 'Calzada del Valle', 'Calle Fresno', 'Av. Hidalgo'];
const NEIGHBORHOODS = ['Centro', 'Del Valle', 'Las Águilas', 'Jardines del Sur', 'San Rafael', 'Residencial Arboledas', 'Industrial Norte', 'Lomas de la Cruz', 'El Mirador', 'Santa Fe', 'Obrera', 'Moderna'];
const TAX_REGIMES_MORAL = ['601', '601', '601', '603', '623', '626'];
const TAX_REGIMES_FISICA = ['612', '612', '626', '605', '606', '621'];

function foldAscii(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/ñ/gi, 'n');
}

function slug(s: string): string {
  return foldAscii(s).toLowerCase().replace(/[^a-z0-9]+/g, '').slice(0, 24);
}

function phoneWithLada(d: Dice, lada: string): string {
  const rest = d.digits(10 - lada.length);
  return lada.length === 2 ? `${lada} ${rest.slice(0, 4)} ${rest.slice(4)}` : `${lada} ${rest.slice(0, 3)} ${rest.slice(3)}`;
}

function personName(d: Dice): { first: string; last1: string; last2: string; full: string } {
  const first = d.chance(0.5) ? d.pick(FIRST_NAMES_F) : d.pick(FIRST_NAMES_M);
  const last1 = d.pick(SURNAMES);
  let last2 = d.pick(SURNAMES);
  if (last2 === last1) last2 = d.pick(SURNAMES);
  return { first, last1, last2, full: `${first} ${last1} ${last2}` };
}

const HOMOCLAVE_CHARS = 'ABCDEFGHIJKLMNPQRSTUVWXYZ123456789';

/** A persona moral's RFC letters: initials of the first three significant words (SAT-style, simplified). */
function moralPrefix(name: string): string {
  const words = foldAscii(name).toUpperCase().replace(/[^A-Z ]/g, ' ').split(/\s+/)
    .filter((w) => w.length > 2 && !['DEL', 'LOS', 'LAS', 'SAS', 'SAPI'].includes(w));
  const letters = words.map((w) => w[0]).join('');
  return (letters + 'XXX').slice(0, 3);
}

function fisicaPrefix(p: { first: string; last1: string; last2: string }): string {
  const l1 = foldAscii(p.last1).toUpperCase();
  const vowel = l1.slice(1).match(/[AEIOU]/)?.[0] ?? 'X';
  return l1[0]! + vowel + foldAscii(p.last2).toUpperCase()[0]! + foldAscii(p.first).toUpperCase()[0]!;
}

export interface DemoCustomerInput {
  raw: Record<string, unknown>;
  rfc: string;
}

/** One invented customer (persona moral ~70%, física ~30%) in the shape the API accepts. */
export function inventCustomer(d: Dice, takenRfcs: Set<string>): DemoCustomerInput {
  const place = d.pick(CITIES);
  const moral = d.chance(0.7);
  let name: string;
  let rfc: string;
  let registeredEmail: string;
  const contacts: Array<Record<string, unknown>> = [];
  const homoclave = () => d.pick([...HOMOCLAVE_CHARS]) + d.pick([...HOMOCLAVE_CHARS]);
  if (moral) {
    const tail = d.pick(COMPANY_TAILS);
    name = `${d.pick(COMPANY_HEADS)} ${d.pick(COMPANY_CORES)}${tail ? ` ${tail}` : ''} ${d.pick(LEGAL_FORMS)}`;
    const prefix = moralPrefix(name);
    do rfc = makeRfc(prefix, { y: d.int(1985, 2021), m: d.int(1, 12), d: d.int(1, 28) }, homoclave());
    while (takenRfcs.has(rfc));
    const domain = `${slug(name.replace(/S\.A\..*|S\. de R\.L\..*|S\.C\.|S\.A\.S\./, ''))}.example.mx`;
    registeredEmail = `${d.pick(['facturacion', 'contabilidad', 'administracion', 'cfdi', 'pagos'])}@${domain}`;
    const rep = personName(d);
    contacts.push({
      name: `${rep.full}`, email: `${slug(rep.first)}.${slug(rep.last1)}@${domain}`, phone: phoneWithLada(d, place.lada), isLegalRepresentative: true,
    });
    if (d.chance(0.6)) {
      const c = personName(d);
      contacts.push({ name: c.full, email: `${slug(c.first)}.${slug(c.last1)}@${domain}`, phone: phoneWithLada(d, place.lada), isLegalRepresentative: false });
    }
    if (d.chance(0.1)) {
      const rep2 = personName(d);
      contacts.push({ name: rep2.full, email: `${slug(rep2.first)}.${slug(rep2.last1)}@${domain}`, phone: '', isLegalRepresentative: true });
    }
  } else {
    const p = personName(d);
    name = p.full;
    do rfc = makeRfc(fisicaPrefix(p), { y: d.int(1955, 2002), m: d.int(1, 12), d: d.int(1, 28) }, homoclave());
    while (takenRfcs.has(rfc));
    registeredEmail = `${slug(p.first)}.${slug(p.last1)}${d.int(1, 99)}@${d.pick(['correo', 'buzon', 'mimail', 'contribuyente'])}.example.mx`;
    contacts.push({ name: p.full, email: registeredEmail, phone: phoneWithLada(d, place.lada), isLegalRepresentative: true });
  }
  takenRfcs.add(rfc);
  return {
    rfc,
    raw: {
      rfc,
      name,
      taxRegime: d.pick(moral ? TAX_REGIMES_MORAL : TAX_REGIMES_FISICA),
      fiscalAddress: {
        street: d.pick(STREETS), exteriorNumber: String(d.int(1, 2500)), interiorNumber: d.chance(0.3) ? `Int. ${d.int(1, 40)}` : '',
        neighborhood: d.pick(NEIGHBORHOODS), city: place.city, state: place.state, postalCode: place.cp + d.digits(3),
      },
      registeredEmail,
      plan: d.chance(0.35) ? 'advanced' : 'basic',
      contacts,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Ticket texts (Spanish, invented)

interface CategoryTexts {
  requestType: RequestType;
  subjects: string[];
  descriptions: string[];
  replies: string[];
  closes: Array<[cause: string, solution: string]>;
}

const CATEGORY_TEXTS: Record<Category, CategoryTexts> = {
  issue_invoice: {
    requestType: 'technical',
    subjects: ['No puede timbrar facturas', 'Error al timbrar factura con complemento', 'Factura rechazada por el PAC', 'Sello digital inválido al emitir CFDI', 'No aparece el régimen fiscal del receptor', 'Error {codigo} al emitir factura'],
    descriptions: [
      'Al intentar timbrar la factura {serie}-{numero} por {monto} aparece el error {codigo}. El cliente indica que ayer funcionaba sin problema.',
      'El cliente no puede emitir facturas a su receptor {rfcReceptor}; el portal muestra "{codigo}: el código postal del receptor no coincide". Ya revisó la constancia de situación fiscal.',
      'Desde esta mañana las facturas quedan en estado pendiente y no se timbran. Tiene {cantidad} facturas por emitir antes del cierre de mes.',
      'Al agregar el uso de CFDI G03 el sistema rechaza la factura por régimen fiscal incompatible. Solicita apoyo para capturar correctamente los datos del receptor.',
    ],
    replies: [
      'Buen día. El error {codigo} se debe a que el código postal del receptor no coincide con el registrado ante el SAT. Le pedimos validar la constancia de situación fiscal de su cliente.',
      'Revisamos su cuenta y el certificado de sello digital está vigente. Por favor intente de nuevo timbrar la factura {serie}-{numero} y nos confirma.',
      'Le compartimos el instructivo para capturar el régimen fiscal del receptor. Si el problema continúa, envíenos una captura de pantalla del mensaje.',
    ],
    closes: [
      ['Código postal del receptor distinto al de su constancia de situación fiscal.', 'El cliente actualizó los datos del receptor y timbró la factura correctamente.'],
      ['Certificado de sello digital cargado con la contraseña equivocada.', 'Se volvió a cargar el CSD con la contraseña correcta; las facturas se timbran sin error.'],
      ['Intermitencia del servicio de timbrado.', 'Se restableció el servicio y se timbraron las facturas pendientes.'],
    ],
  },
  payroll_payment_complement: {
    requestType: 'technical',
    subjects: ['Error en recibo de nómina', 'No se genera el complemento de pago', 'Complemento de recepción de pagos con saldo incorrecto', 'Nómina extraordinaria rechazada', 'Duda sobre retenciones en recibo de nómina'],
    descriptions: [
      'Al timbrar la nómina quincenal de {cantidad} empleados se rechazan varios recibos con el error {codigo}.',
      'El complemento de pago de la factura {serie}-{numero} muestra un saldo insoluto de {monto} que no corresponde; el cliente ya pagó en dos parcialidades.',
      'No encuentra la opción para emitir el complemento de recepción de pagos de una factura con método PPD emitida el {fecha}.',
      'El recibo de nómina de un trabajador aparece con retenciones de ISR duplicadas. Solicita revisar el cálculo antes de timbrar.',
    ],
    replies: [
      'El complemento de pago debe relacionar el folio fiscal de la factura original. Le indicamos los pasos para capturar la parcialidad correctamente.',
      'Revisamos los recibos rechazados: la CURP de dos trabajadores no coincide con el RFC. Le pedimos corregir los datos y volver a timbrar.',
      'El saldo insoluto se calcula con los pagos anteriores registrados. Encontramos un pago duplicado; ¿nos confirma si podemos cancelarlo?',
    ],
    closes: [
      ['Datos de trabajadores con CURP incorrecta.', 'El cliente corrigió la CURP y timbró la nómina completa.'],
      ['Pago parcial registrado dos veces.', 'Se canceló el complemento duplicado y se emitió uno nuevo con el saldo correcto.'],
    ],
  },
  query_cancel_cfdi: {
    requestType: 'technical',
    subjects: ['No puede cancelar una factura', 'Cancelación pendiente de aceptación', 'Consulta del estatus de un CFDI', 'Factura cancelada aparece vigente', 'Cancelación con motivo 01 sin folio de sustitución'],
    descriptions: [
      'El cliente solicitó la cancelación de la factura {serie}-{numero} el {fecha} y sigue en proceso; el receptor no ha respondido.',
      'Al cancelar con motivo 01 el portal pide el folio fiscal que sustituye, pero la factura nueva aún no se emite.',
      'Necesita confirmar ante el SAT el estatus del folio {folio}; en el portal aparece cancelado y en el verificador del SAT vigente.',
    ],
    replies: [
      'Cuando el receptor debe aceptar la cancelación, el SAT le da 72 horas para responder. Si no responde, la cancelación procede automáticamente.',
      'Para el motivo 01 primero emita la factura que sustituye y después cancele la original relacionando el nuevo folio fiscal.',
      'Consultamos el folio {folio} en el SAT: la cancelación ya fue aceptada. La actualización puede tardar unas horas en reflejarse.',
    ],
    closes: [
      ['Cancelación en espera de aceptación del receptor.', 'El receptor aceptó la cancelación y el CFDI aparece cancelado ante el SAT.'],
      ['Motivo de cancelación mal seleccionado.', 'Se emitió la factura sustituta y se canceló la original con motivo 01.'],
    ],
  },
  csd_efirma_validation: {
    requestType: 'technical',
    subjects: ['Certificado de sello digital vencido', 'No valida la e.firma', 'Error al cargar archivos .cer y .key', 'Contraseña de la llave privada incorrecta', 'Renovación del CSD'],
    descriptions: [
      'Al cargar el certificado de sello digital el portal indica que el archivo .key no corresponde al .cer. El cliente tramitó un CSD nuevo el {fecha}.',
      'El cliente intenta validar su e.firma y aparece "certificado revocado". Indica que la renovó hace poco.',
      'El CSD del cliente venció y no puede facturar. Necesita ayuda para cargar el nuevo certificado.',
    ],
    replies: [
      'El archivo .key debe ser el que se generó junto con el .cer del mismo certificado. Verifique el número de serie del certificado en el portal del SAT.',
      'Recuerde que la e.firma no sirve para sellar facturas; se necesita un certificado de sello digital. Le compartimos la guía para tramitarlo.',
      'Ya quedó cargado el nuevo certificado con número de serie terminación {numero}. Puede volver a facturar.',
    ],
    closes: [
      ['Se cargó la e.firma en lugar del certificado de sello digital.', 'El cliente tramitó su CSD y lo cargó correctamente.'],
      ['CSD vencido.', 'Se cargó el nuevo CSD y se probó el timbrado con una factura de prueba.'],
    ],
  },
  download_pdf_xml: {
    requestType: 'general',
    subjects: ['No puede descargar el XML', 'El PDF de la factura sale en blanco', 'Descarga masiva de facturas', 'Reenvío de factura al cliente', 'El XML no abre en el visor'],
    descriptions: [
      'Al descargar el PDF de la factura {serie}-{numero} el archivo sale vacío. El XML sí se descarga.',
      'Solicita descargar todas las facturas emitidas de {mes} para entregarlas a su contador ({cantidad} comprobantes).',
      'Su cliente no recibió el correo con la factura; pide reenviarla al correo de facturación.',
    ],
    replies: [
      'Le recomendamos usar la opción de descarga masiva por periodo; se genera un archivo ZIP con el PDF y XML de cada comprobante.',
      'El PDF en blanco se debe al bloqueo de ventanas emergentes del navegador. Le compartimos cómo permitirlas.',
      'Reenviamos la factura {serie}-{numero} al correo indicado. Por favor confirme de recibido.',
    ],
    closes: [
      ['Bloqueador de ventanas emergentes del navegador.', 'Se permitió el sitio en el navegador y el PDF se descarga correctamente.'],
      ['Correo del receptor mal escrito.', 'Se corrigió el correo y se reenvió la factura.'],
    ],
  },
  change_registered_email: {
    requestType: 'general',
    subjects: ['Cambio de correo registrado', 'Actualizar correo de la cuenta', 'No recibe correos en el correo registrado'],
    descriptions: [
      'El representante legal solicita cambiar el correo registrado de la cuenta porque el buzón anterior ya no existe.',
      'El cliente pide actualizar el correo de notificaciones; escribe desde un correo distinto al registrado.',
    ],
    replies: [
      'Por seguridad, el cambio del correo registrado sólo procede con la solicitud firmada por el representante legal, enviada desde el correo registrado.',
      'Recibimos su solicitud firmada. La turnamos para autorización del propietario de la información y del responsable de seguridad.',
    ],
    closes: [
      ['Solicitud de cambio de correo registrado.', 'Se autorizó y aplicó el cambio; se notificó al correo anterior y al nuevo.'],
      ['La solicitud no venía del correo registrado.', 'Se explicó el procedimiento y el cliente envió una nueva solicitud formal.'],
    ],
  },
  renew_service: {
    requestType: 'general',
    subjects: ['Renovación del servicio anual', 'Servicio suspendido por vencimiento', 'Cotización de renovación'],
    descriptions: [
      'La cuenta del cliente venció el {fecha} y no puede entrar al portal. Desea renovar por un año.',
      'Solicita cotización para renovar el plan avanzado y agregar un usuario adicional.',
    ],
    replies: [
      'Le enviamos la cotización de renovación por {monto}. Al recibir el comprobante de pago se reactiva el servicio.',
      'Recibimos su pago; el servicio quedó activo hasta {fecha}.',
    ],
    closes: [['Vencimiento del servicio.', 'Se renovó el servicio y se reactivó la cuenta.']],
  },
  access_problem: {
    requestType: 'general',
    subjects: ['No puede entrar al portal', 'Usuario bloqueado', 'Olvidó su contraseña', 'Alta de un nuevo usuario', 'Baja de usuario de un ex empleado'],
    descriptions: [
      'El usuario se bloqueó después de tres intentos fallidos y necesita facturar hoy.',
      'El cliente no recibe el correo para restablecer la contraseña. Ya revisó la carpeta de correo no deseado.',
      'Solicita dar de baja al usuario de una persona que ya no trabaja en la empresa.',
    ],
    replies: [
      'Desbloqueamos su usuario. Le recomendamos cambiar la contraseña al entrar.',
      'La baja de usuarios requiere la solicitud firmada del representante legal desde el correo registrado. Le enviamos el formato.',
      'El correo de restablecimiento se envió al correo registrado de la cuenta. Si ya no tiene acceso a ese correo, se requiere una solicitud de cambio.',
    ],
    closes: [
      ['Usuario bloqueado por intentos fallidos.', 'Se desbloqueó el usuario y el cliente cambió su contraseña.'],
      ['Solicitud de baja de usuario.', 'Se autorizó la baja y se desactivó el usuario.'],
    ],
  },
  credits_billing: {
    requestType: 'general',
    subjects: ['Compra de paquete de timbres', 'No se reflejan los créditos comprados', 'Solicita factura de su compra', 'Cambio de paquete de créditos'],
    descriptions: [
      'El cliente compró un paquete de {cantidad} timbres el {fecha} y no se reflejan en su saldo.',
      'Solicita la factura de la compra de créditos por {monto}.',
      'Desea cambiar su paquete de créditos prepagado por uno mayor.',
    ],
    replies: [
      'Validamos su pago y ya se acreditaron los {cantidad} timbres en su cuenta.',
      'El cambio de paquete de créditos requiere la autorización del responsable del área informática. Le avisaremos en cuanto quede aplicado.',
    ],
    closes: [
      ['Pago pendiente de conciliar.', 'Se concilió el pago y se acreditaron los timbres.'],
      ['Solicitud de cambio de paquete.', 'Se autorizó y aplicó el cambio de paquete de créditos.'],
    ],
  },
  sales: {
    requestType: 'general',
    subjects: ['Información de planes', 'Cotización para facturación electrónica', 'Diferencias entre plan básico y avanzado', 'Interesado en módulo de nómina'],
    descriptions: [
      'Prospecto interesado en facturar {cantidad} comprobantes al mes; pregunta por precios y formas de pago.',
      'Pregunta qué incluye el plan avanzado y si tiene soporte telefónico.',
    ],
    replies: [
      'Ambos planes tienen los mismos tiempos de respuesta; el avanzado incluye usuarios adicionales y el módulo de nómina.',
      'Le compartimos la cotización solicitada por {monto} anuales.',
    ],
    closes: [['Solicitud de información comercial.', 'Se envió la cotización y el prospecto contrató el plan.']],
  },
  other: {
    requestType: 'general',
    subjects: ['Duda general sobre el portal', 'Sugerencia para el portal', 'Solicitud de capacitación', 'Queja por tiempo de atención'],
    descriptions: [
      'El cliente pregunta cómo agregar su logotipo al PDF de las facturas.',
      'Comenta que la atención telefónica tardó demasiado y solicita seguimiento de su caso anterior.',
      'Sugiere agregar un catálogo de productos frecuentes al capturar facturas.',
    ],
    replies: [
      'En Configuración > Plantillas puede cargar su logotipo en formato PNG.',
      'Lamentamos la demora. Su caso quedó registrado y un supervisor le dará seguimiento.',
    ],
    closes: [['Duda de uso del portal.', 'Se explicó el procedimiento al cliente.']],
  },
  out_of_scope: {
    requestType: 'technical',
    subjects: ['Problema con la conexión a internet', 'Su computadora no abre el navegador', 'Impresora no imprime las facturas'],
    descriptions: [
      'El cliente no puede abrir ninguna página; parece un problema de su conexión a internet.',
      'La impresora del cliente no imprime los PDF de las facturas; otras páginas tampoco imprimen.',
    ],
    replies: [
      'El portal funciona correctamente. El problema parece ser de su conexión a internet o de su equipo; le recomendamos contactar a su proveedor.',
    ],
    closes: [['Fuera de alcance: problema del equipo o la conexión del cliente.', 'Se orientó al cliente para acudir con su proveedor de internet o soporte local.']],
  },
};

const CUSTOMER_MESSAGES = [
  'Gracias, lo reviso y les confirmo.',
  'Ya lo intenté de nuevo y sigue apareciendo el mismo error. Adjunto la captura.',
  'Buenas tardes, ¿hay alguna novedad de mi caso? Tengo que entregar las facturas hoy.',
  'Listo, ya quedó. Muchas gracias por su apoyo.',
  'Les envío la constancia de situación fiscal actualizada de mi cliente.',
  'No me queda claro el paso tres, ¿me pueden llamar?',
  'Ya hice el cambio pero ahora aparece otro mensaje: {codigo}.',
  'Confirmo que el folio {folio} es el correcto.',
  'El contador dice que el cálculo está bien, ¿pueden revisar de nuevo?',
  'Estoy fuera de la oficina, mañana temprano lo pruebo.',
];
const NOTES = [
  'Se revisó la bitácora de timbrado: no hay errores del lado del servicio.',
  'Cliente molesto por la demora; dar prioridad.',
  'Consultado con Operación, esperan respuesta de Desarrollo.',
  'Pendiente validar con el SAT el estatus del folio {folio}.',
  'El cliente tiene {cantidad} facturas pendientes de timbrar.',
  'Se verificó la identidad del representante legal por teléfono.',
  'Posible duplicado de un caso anterior; se revisó y es un problema distinto.',
  'Se reprodujo el error en ambiente de pruebas con el mismo receptor.',
];
const CONTACT_PHONE = [
  'Se llamó al cliente al {telefono}; no contestó. Se dejó mensaje de voz.',
  'Llamada al {telefono}: el cliente confirma que ya puede timbrar.',
  'Se marcó dos veces al {telefono} sin respuesta.',
];
const CONTACT_EMAIL = [
  'No se logró localizar por teléfono; se envió correo con las instrucciones.',
  'Se envió correo de seguimiento al correo registrado.',
];
/** Words that appear seldom, so search benchmarks can compare common and rare terms. */
const RARE_ADDENDA = [
  ' El receptor además exige una addenda comercial en el XML.',
  ' La factura lleva complemento de comercio exterior.',
  ' El comprobante incluye complemento carta porte para el traslado.',
  ' El cliente factura como donataria autorizada.',
];
const SAT_CODES = ['CFDI40102', 'CFDI40145', 'CFDI40147', 'CFDI40157', 'CRP20207', 'NOM1050', '301', '305', '402', 'CFDI40999'];
const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
const CLOSE_NO_ANSWER: [string, string] = [
  'Sin respuesta del cliente por más de 3 días.',
  'Se cerró automáticamente conforme a la política; el cliente puede abrir un nuevo ticket si lo requiere.',
];

interface TextContext {
  d: Dice;
  at: number;
  phone: string;
}

function fill(template: string, c: TextContext): string {
  const { d } = c;
  return template.replace(/\{(\w+)\}/g, (_m, key: string) => {
    switch (key) {
      case 'codigo': return d.pick(SAT_CODES);
      case 'serie': return d.pick(['A', 'B', 'F', 'FAC', 'NC']);
      case 'numero': return String(d.int(100, 99999));
      case 'monto': return `$${d.int(150, 250000).toLocaleString('en-US')}.${d.digits(2)}`;
      case 'cantidad': return String(d.int(3, 400));
      case 'fecha': {
        const t = new Date(c.at - d.int(0, 20) * DAY_MS);
        return `${String(t.getUTCDate()).padStart(2, '0')}/${String(t.getUTCMonth() + 1).padStart(2, '0')}/${t.getUTCFullYear()}`;
      }
      case 'mes': return MONTHS[new Date(c.at).getUTCMonth()]!;
      case 'folio': return `${d.hex(8)}-${d.hex(4)}-4${d.hex(3)}-A${d.hex(3)}-${d.hex(12)}`;
      case 'rfcReceptor': return d.pick(RECEPTOR_RFCS);
      case 'telefono': return c.phone || '55 0000 0000';
      default: return key;
    }
  });
}

const ESCALATION_REASONS = [
  'Requiere diagnóstico de infraestructura del servicio de timbrado.',
  'El incidente afecta la operación del cliente y no se resuelve con asesoría.',
  'Se reproduce el error en la aplicación; requiere revisión del código.',
  'Falla intermitente del servicio que requiere análisis especializado.',
];

const RECEPTOR_RFCS = [
  makeRfc('CAN', { y: 2004, m: 3, d: 11 }, 'R7'), makeRfc('TMO', { y: 1998, m: 9, d: 2 }, 'K4'),
  makeRfc('GAL', { y: 2012, m: 6, d: 25 }, '8B'), makeRfc('OEZL', { y: 1981, m: 1, d: 17 }, 'T2'),
];

// ---------------------------------------------------------------------------------------------
// Staff

interface StaffMember {
  id: string;
  fullName: string;
  roles: Role[];
}

const DEMO_USERS: ReadonlyArray<{ username: string; fullName: string; roles: Role[] }> = [
  { username: 'supervisora', fullName: 'Rebeca Montaño Ibarra', roles: ['supervisor'] },
  { username: 'agente1', fullName: 'Joaquín Salazar Trejo', roles: ['agent'] },
  { username: 'agente2', fullName: 'Itzel Carbajal Nava', roles: ['agent'] },
  { username: 'agente3', fullName: 'Bruno Escamilla Lira', roles: ['agent'] },
  { username: 'agente4', fullName: 'Noemí Fuentes Orozco', roles: ['agent'] },
  { username: 'operacion1', fullName: 'Humberto Garza Pineda', roles: ['operations'] },
  { username: 'operacion2', fullName: 'Citlali Robles Uribe', roles: ['operations'] },
  { username: 'desarrollo1', fullName: 'Ulises Dávila Madrigal', roles: ['development'] },
  { username: 'seguridad', fullName: 'Teresa Alcocer Vela', roles: ['security_officer'] },
  { username: 'propietario', fullName: 'Ramiro Hinojosa Solís', roles: ['information_owner'] },
  { username: 'informatica', fullName: 'Adriana Inclán Zepeda', roles: ['it_head'] },
];

function loadStaff(s: Services): StaffMember[] {
  return s.users.list().filter((u) => u.active).map((u) => ({ id: u.id, fullName: u.fullName, roles: u.roles }));
}

// ---------------------------------------------------------------------------------------------
// The plan of one ticket and the replay

type Action =
  | { kind: 'assign' }
  | { kind: 'escalate' | 'hand_back' }
  | { kind: 'reply' | 'note' | 'customer_message' | 'contact_attempt' }
  | { kind: 'wait'; on: WaitingOn }
  | { kind: 'resume' }
  | { kind: 'close'; noAnswer: boolean };

interface PlannedTicket {
  id: string;
  category: Category;
  tier: Tier;
  phone: string;
  status: 'open' | 'waiting' | 'closed';
  waitingOn: WaitingOn | null;
  assigneeId: string | null;
  actions: Array<{ at: number; action: Action }>;
  next: number;
}

/** A binary min-heap of tickets keyed by their next action time. */
class ActionQueue {
  private readonly items: PlannedTicket[] = [];
  get size(): number {
    return this.items.length;
  }
  private key(t: PlannedTicket): number {
    return t.actions[t.next]!.at;
  }
  peekAt(): number {
    return this.items.length > 0 ? this.key(this.items[0]!) : Infinity;
  }
  push(t: PlannedTicket): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.key(a[p]!) <= this.key(a[i]!)) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): PlannedTicket | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.key(a[l]!) < this.key(a[m]!)) m = l;
        if (r < a.length && this.key(a[r]!) < this.key(a[m]!)) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

/** Moves a time into support hours (Mon–Fri 9:00–19:00, Mexico City = UTC−6) when it falls outside them. */
function intoBusinessHours(t: number, d: Dice): number {
  const hour = new Date(t - 6 * HOUR_MS).getUTCHours();
  let shift = 0;
  if (hour < 9) shift = (9 - hour) * HOUR_MS;
  else if (hour >= 19) shift = (24 - hour + 9) * HOUR_MS;
  let out = t + shift;
  const outDow = new Date(out - 6 * HOUR_MS).getUTCDay();
  if (outDow === 6) out += 2 * DAY_MS;
  else if (outDow === 0) out += DAY_MS;
  return out + (shift > 0 ? d.int(0, 90) * MIN_MS : 0);
}

/** `targetTier` is the index of the tier the severity belongs to (0 Mesa de Servicio … 2 Desarrollo). */
function planActions(d: Dice, createdAt: number, messages: number, endAt: number, targetTier: number): Array<{ at: number; action: Action }> {
  const out: Array<{ at: number; action: Action }> = [];
  let t = createdAt;
  const step = (minMin: number, maxMin: number) => {
    t = intoBusinessHours(t + d.int(minMin, maxMin) * MIN_MS, d);
    return t;
  };
  if (d.chance(0.85)) out.push({ at: step(2, 240), action: { kind: 'assign' } });
  for (let tier = 0; tier < targetTier; tier++) out.push({ at: step(5, 240), action: { kind: 'escalate' } });
  let waiting = false;
  for (let i = 0; i < messages; i++) {
    const kind = d.weighted([
      ['reply', 36], ['customer_message', 34], ['note', 15], ['contact_attempt', 15],
    ] as const);
    out.push({ at: step(10, 1800), action: { kind } });
    if (kind === 'reply' && !waiting && d.chance(0.3)) {
      out.push({ at: step(1, 10), action: { kind: 'wait', on: d.chance(0.9) ? 'customer' : 'authorization' } });
      waiting = true;
    } else if (kind === 'customer_message') {
      waiting = false; // a customer message reopens a ticket waiting on the customer
    } else if (waiting && d.chance(0.3)) {
      out.push({ at: step(1, 10), action: { kind: 'resume' } });
      waiting = false;
    }
  }
  // Old tickets are nearly all closed; the most recent stay open or waiting.
  if (d.chance(0.97)) {
    // The answer travels back down to the Mesa de Servicio, which answers the customer.
    for (let tier = targetTier; tier > 0; tier--) out.push({ at: step(30, 600), action: { kind: 'hand_back' } });
    const noAnswer = waiting && d.chance(0.7);
    out.push({ at: noAnswer ? t + 3 * DAY_MS + d.int(1, 600) * MIN_MS : step(30, 4320), action: { kind: 'close', noAnswer } });
  }
  return out.filter((a) => a.at <= endAt);
}

// ---------------------------------------------------------------------------------------------
// Who writes: the core commands, or the bulk path (demo-bulk.ts) that writes the same rows faster

/** A new ticket as the generator invents it (the create command's input, customer resolved). */
export type DemoTicketInput = Omit<TicketInsert, 'linkedTicketId'>;

/** The ticket commands the replay runs, each at its moment `at` by the user `actorId`. */
export interface DemoTicketWriter {
  /** Runs `fn` (many actions) as one transaction. */
  batch(fn: () => void): void;
  create(at: number, actorId: string, input: DemoTicketInput): string;
  assign(at: number, actorId: string, ticketId: string, assigneeId: string): void;
  escalate(at: number, actorId: string, ticketId: string, toTier: Tier, reason: string): void;
  handBack(at: number, actorId: string, ticketId: string, cause: string, solution: string): void;
  message(at: number, actorId: string, ticketId: string, kind: 'reply' | 'note', body: string): void;
  customerMessage(at: number, actorId: string, ticketId: string, body: string): void;
  contactAttempt(at: number, actorId: string, input: { ticketId: string; method: 'phone' | 'email'; reached: boolean; body: string }): void;
  setStatus(at: number, actorId: string, ticketId: string, status: 'open' | 'waiting', waitingOn: WaitingOn | null): void;
  close(at: number, actorId: string, ticketId: string, cause: string, solution: string): void;
  /** Nothing more happens to the ticket in this generation. */
  settle(ticketId: string): void;
  /** After the last batch. */
  finish(): void;
  /** Always, last (after a failure too). */
  end(): void;
}

/** Through the core commands' transaction-level forms, one `WriteTx` per action at its moment. */
class CommandTicketWriter implements DemoTicketWriter {
  constructor(
    private readonly ws: Workspace,
    private readonly s: Services,
    private readonly setClock: (at: number) => void,
    private readonly adminId: string,
  ) {}

  private tx(at: number, actorId: string): WriteTx {
    this.setClock(at);
    return new WriteTx(this.ws, { kind: 'user', userId: actorId });
  }

  batch(fn: () => void): void {
    this.ws.write({ kind: 'user', userId: this.adminId }, fn);
  }
  create(at: number, actorId: string, input: DemoTicketInput): string {
    return this.s.tickets.insertTicket(this.tx(at, actorId), input);
  }
  assign(at: number, actorId: string, ticketId: string, assigneeId: string): void {
    this.s.tickets.assignInTx(this.tx(at, actorId), { ticketId, assigneeId });
  }
  escalate(at: number, actorId: string, ticketId: string, toTier: Tier, reason: string): void {
    const from = TIERS[tierIndex(toTier) - 1]!;
    this.s.tickets.moveTierInTx(this.tx(at, actorId), [TIER_ROLE[from]], { ticketId, toTier, reason });
  }
  handBack(at: number, actorId: string, ticketId: string, cause: string, solution: string): void {
    const tier = this.s.tickets.getTicket(ticketId).tier;
    this.s.tickets.handBackInTx(this.tx(at, actorId), [TIER_ROLE[tier]], { ticketId, cause, solution });
  }
  message(at: number, actorId: string, ticketId: string, kind: 'reply' | 'note', body: string): void {
    this.s.tickets.addMessageInTx(this.tx(at, actorId), ticketId, kind, body);
  }
  customerMessage(at: number, actorId: string, ticketId: string, body: string): void {
    this.s.tickets.customerMessageInTx(this.tx(at, actorId), ticketId, body);
  }
  contactAttempt(at: number, actorId: string, input: { ticketId: string; method: 'phone' | 'email'; reached: boolean; body: string }): void {
    this.s.tickets.contactAttemptInTx(this.tx(at, actorId), input);
  }
  setStatus(at: number, actorId: string, ticketId: string, status: 'open' | 'waiting', waitingOn: WaitingOn | null): void {
    this.s.tickets.setStatusInTx(this.tx(at, actorId), status === 'waiting' ? { ticketId, status, waitingOn: waitingOn! } : { ticketId, status });
  }
  close(at: number, actorId: string, ticketId: string, cause: string, solution: string): void {
    this.s.tickets.closeInTx(this.tx(at, actorId), ticketId, cause, solution);
  }
  settle(): void {}
  finish(): void {}
  end(): void {}
}

// ---------------------------------------------------------------------------------------------
// The generator

/**
 * Bulk-load settings for the generator's own connection only: no fsync (a crash mid-seed means
 * seeding again, not losing user data), a 1 GiB page cache and rarer checkpoints. Returns a
 * function that puts the defaults back.
 */
function tuneForBulkLoad(ws: Workspace): () => void {
  const db = ws.db;
  db.pragma('wal_checkpoint(TRUNCATE)');
  // No WAL while loading: each page is written once, straight into the file, instead of into the
  // WAL and again at the checkpoint (the rollback journal stays in memory, so a failed batch still
  // rolls back). temp_store stays in memory; the index builds at the end sort in the page cache.
  try {
    db.pragma('journal_mode = MEMORY');
  } catch {
    // Leaving WAL needs the file to itself: when the app (or a test) has the workspace open, the
    // load stays in WAL, slower but safe for the other connection.
  }
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1048576');
  return () => {
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
  };
}

/**
 * Fills `opts.dataDir` with demo data (adding to it when the workspace is already set up).
 * Deterministic content for a given seed; ids (UUIDv7) and hashes differ between runs.
 */
export async function generateDemoData(opts: DemoOptions): Promise<DemoSummary> {
  const began = performance.now();
  const d = new Dice(rng(opts.seed ?? 20260302));
  const endAt = opts.endAt ?? Date.now();
  const spanMs = (opts.spanDays ?? 730) * DAY_MS;
  const startAt = endAt - spanMs;
  const messagesPerTicket = opts.messagesPerTicket ?? 5;
  const batchActions = opts.batchActions ?? 20_000;
  const log = opts.log ?? (() => {});
  let clock = startAt - 45 * DAY_MS;
  const ws = new Workspace({ dataDir: opts.dataDir, now: () => clock });
  const restore = tuneForBulkLoad(ws);
  try {
    const s = createServices(ws);
    let credentials: DemoSummary['credentials'] = null;
    let branch = s.users.branch();
    if (!branch) {
      const password = opts.password ?? `demo-${randomBytes(6).toString('base64url')}`;
      const site = (opts.site ?? 'DEMO').toUpperCase();
      await s.users.setup({
        branchCode: site, branchName: `Sucursal ${site === 'DEMO' ? 'Demostración' : site}`, timeZone: 'America/Mexico_City',
        username: 'admin', fullName: 'Administración de la Sucursal', password, confirmPassword: password, locale: 'es-MX',
      });
      const adminId = loadStaff(s).find((u) => u.roles.includes('administrator'))!.id;
      const users: Array<{ username: string; roles: Role[] }> = [{ username: 'admin', roles: ['administrator', 'agent'] }];
      for (const u of DEMO_USERS) {
        clock += HOUR_MS;
        await s.users.create(adminId, { ...u, password, confirmPassword: password, locale: 'es-MX' });
        users.push({ username: u.username, roles: u.roles });
      }
      credentials = { username: 'admin', password, users };
      branch = s.users.branch()!;
      log(`Sucursal ${branch.code} creada con ${users.length} usuarios.`);
    } else {
      log(`Sucursal ${branch.code} existente: se agregan datos.`);
    }
    const staff = loadStaff(s);
    const admin = staff.find((u) => u.roles.includes('administrator'));
    if (!admin) throw new Error('the workspace has no active administrator');
    const byTier: Record<Tier, StaffMember[]> = {
      service_desk: staff.filter((u) => u.roles.includes('agent')),
      operations: staff.filter((u) => u.roles.includes('operations')),
      development: staff.filter((u) => u.roles.includes('development')),
    };
    for (const tier of Object.keys(byTier) as Tier[]) if (byTier[tier].length === 0) byTier[tier] = byTier.service_desk.length > 0 ? byTier.service_desk : [admin];
    const desk = byTier.service_desk;
    const actorOf = (userId: string): Actor => ({ kind: 'user', userId });

    // Customers, registered during the weeks before the first ticket.
    const customerCount = opts.customers ?? Math.max(50, Math.round(opts.tickets / 20));
    const taken = new Set(ws.db.prepare('SELECT rfc FROM customers').pluck().all() as string[]);
    const customers: Array<{ id: string; phone: string; email: string }> = [];
    for (let done = 0; done < customerCount; ) {
      const chunk = Math.min(5000, customerCount - done);
      ws.write(actorOf(admin.id), () => {
        for (let i = 0; i < chunk; i++) {
          clock = startAt - 30 * DAY_MS + Math.floor(((done + i) / customerCount) * 29 * DAY_MS);
          const invented = inventCustomer(d, taken);
          const input = customerCreateSchema.parse(invented.raw);
          const id = s.customers.insert(new WriteTx(ws, actorOf(d.pick(desk).id)), 'rfc', input);
          customers.push({ id, phone: input.contacts[0]?.phone ?? '', email: input.registeredEmail });
        }
      });
      done += chunk;
    }
    if (customers.length === 0) {
      for (const row of ws.db.prepare('SELECT id, registered_email AS email FROM customers LIMIT 10000').all() as Array<{ id: string; email: string }>) {
        customers.push({ id: row.id, phone: '', email: row.email });
      }
    }
    if (customers.length === 0) throw new Error('no customers to attach tickets to');
    log(`${customerCount.toLocaleString('es-MX')} clientes registrados.`);
    let created = 0;
    let messages = 0;
    let events = 0;
    let writer: DemoTicketWriter;
    if (opts.writer === 'commands') writer = new CommandTicketWriter(ws, s, (at) => { clock = at; }, admin.id);
    else {
      const bulk = new BulkTicketWriter(ws, s.sla);
      // Few tickets into a big workspace: keeping its indexes costs less than building them again.
      const existing = ws.db.prepare('SELECT COUNT(*) FROM tickets').pluck().get() as number;
      if (opts.tickets >= existing) bulk.dropIndexes();
      writer = bulk;
    }
    try {

      // Tickets: creation times spread evenly over the span (weekday, business-hour biased);
      // every later action is queued and replayed in global time order.
      const queue = new ActionQueue();
      // Creation times: evenly over the weekdays of the span, 9:00–19:00 Mexico City (UTC−6).
      const weekdays: number[] = [];
      for (let day = Math.floor(startAt / DAY_MS) * DAY_MS; day < endAt - DAY_MS; day += DAY_MS) {
        const dow = new Date(day).getUTCDay();
        if (dow !== 0 && dow !== 6) weekdays.push(day + 15 * HOUR_MS);
      }
      const ticketTimes = (i: number) => {
        const pos = ((i + d.next()) / Math.max(1, opts.tickets)) * weekdays.length;
        const day = Math.min(weekdays.length - 1, Math.floor(pos));
        return weekdays[day]! + Math.floor((pos - day) * 10 * HOUR_MS);
      };
      let actions = 0;
      let nextCreate = opts.tickets > 0 ? ticketTimes(0) : Infinity;
      let lastProgress = 0;
      const phoneOf = new Map<string, string>();
      for (const c of customers) phoneOf.set(c.id, c.phone);
      // Popular customers open more tickets (a few large accounts, many small ones).
      const pickCustomer = () => customers[Math.floor(Math.pow(d.next(), 2.2) * customers.length)]!;

      const createTicket = (at: number) => {
        const category = d.weighted<Category>([
          ['issue_invoice', 24], ['payroll_payment_complement', 12], ['query_cancel_cfdi', 12], ['csd_efirma_validation', 9],
          ['download_pdf_xml', 9], ['change_registered_email', 3], ['renew_service', 5], ['access_problem', 10], ['credits_billing', 6],
          ['sales', 4], ['other', 4], ['out_of_scope', 2],
        ]);
        const texts = CATEGORY_TEXTS[category];
        const channel = category === 'sales'
          ? d.weighted<Channel>([['chat_sales', 60], ['phone', 25], ['email', 15]])
          : d.weighted<Channel>([['phone', 30], ['email', 25], ['chat_support', 22], ['web_form', 16], ['complaint', 3], ['chat_sales', 1]]);
        const severity = (texts.requestType === 'technical'
          ? d.weighted<Severity>([[1, 55], [2, 33], [3, 12]])
          : d.weighted<Severity>([[1, 85], [2, 13], [3, 2]]));
        const priority: Priority = severity === 3 ? d.weighted<Priority>([['high', 80], ['normal', 20]]) : d.weighted<Priority>([['low', 20], ['normal', 62], ['high', 18]]);
        const supportType: SupportType = severity === 1 && d.chance(0.75) ? 'web' : 'specialized';
        const customer = pickCustomer();
        const agent = d.pick(desk);
        clock = at;
        const ctx: TextContext = { d, at, phone: customer.phone };
        const description = fill(d.pick(texts.descriptions), ctx) + (d.chance(0.01) ? d.pick(RARE_ADDENDA) : '');
        const id = writer.create(at, agent.id, {
          customerId: customer.id, channel, requestType: texts.requestType, supportType, category, priority, severity,
          subject: fill(d.pick(texts.subjects), ctx), description,
        });
        created++;
        events++;
        const count = Math.max(0, messagesPerTicket + d.int(-2, 2));
        const plan: PlannedTicket = {
          id, category, tier: 'service_desk', phone: customer.phone, status: 'open', waitingOn: null, assigneeId: null,
          actions: planActions(d, at, count, endAt, tierIndex(tierForSeverity(severity))), next: 0,
        };
        if (plan.actions.length > 0) queue.push(plan);
        else writer.settle(id);
      };

      const runAction = (p: PlannedTicket) => {
        const { at, action } = p.actions[p.next]!;
        clock = at;
        const ctx: TextContext = { d, at, phone: p.phone };
        const assignee = staff.find((u) => u.id === p.assigneeId);
        const worker = assignee ?? d.pick(byTier[p.tier]);
        const texts = CATEGORY_TEXTS[p.category];
        switch (action.kind) {
          case 'assign': {
            const to = d.pick(byTier[p.tier]);
            writer.assign(at, worker.id, p.id, to.id);
            p.assigneeId = to.id;
            break;
          }
          case 'escalate':
          case 'hand_back': {
            // The one who works the current tier moves it (seed 002: one tier at a time, and back down).
            const mover = d.pick(byTier[p.tier]);
            if (action.kind === 'escalate') {
              const to = TIERS[tierIndex(p.tier) + 1]!;
              writer.escalate(at, mover.id, p.id, to, d.pick(ESCALATION_REASONS));
              p.tier = to;
            } else {
              const [cause, solution] = d.pick(texts.closes);
              writer.handBack(at, mover.id, p.id, cause, solution);
              p.tier = TIERS[tierIndex(p.tier) - 1]!;
            }
            p.assigneeId = null;
            break;
          }
          case 'reply':
          case 'note':
            writer.message(at, worker.id, p.id, action.kind, fill(d.pick(action.kind === 'reply' ? texts.replies : NOTES), ctx));
            messages++;
            break;
          case 'customer_message': {
            const wasWaiting = p.status === 'waiting' && p.waitingOn === 'customer';
            writer.customerMessage(at, worker.id, p.id, fill(d.pick(CUSTOMER_MESSAGES), ctx) + (d.chance(0.005) ? d.pick(RARE_ADDENDA) : ''));
            if (wasWaiting) {
              p.status = 'open';
              p.waitingOn = null;
              events++;
            }
            messages++;
            break;
          }
          case 'contact_attempt': {
            const method = d.chance(0.7) ? 'phone' : 'email';
            const reached = method === 'email' || d.chance(0.5);
            const body = fill(d.pick(method === 'phone' ? CONTACT_PHONE : CONTACT_EMAIL), ctx);
            writer.contactAttempt(at, worker.id, { ticketId: p.id, method, reached, body });
            messages++;
            break;
          }
          case 'wait':
            if (p.status !== 'open') return;
            writer.setStatus(at, worker.id, p.id, 'waiting', action.on);
            p.status = 'waiting';
            p.waitingOn = action.on;
            break;
          case 'resume':
            if (p.status !== 'waiting') return;
            writer.setStatus(at, worker.id, p.id, 'open', null);
            p.status = 'open';
            p.waitingOn = null;
            break;
          case 'close': {
            const [cause, solution] = action.noAnswer ? CLOSE_NO_ANSWER : d.pick(texts.closes);
            writer.close(at, worker.id, p.id, cause, solution);
            p.status = 'closed';
            p.waitingOn = null;
            break;
          }
        }
        events++;
      };

      const writeBatch = () =>
        writer.batch(() => {
          for (let n = 0; n < batchActions; n++) {
            const queued = queue.peekAt();
            if (nextCreate === Infinity && queued === Infinity) return;
            if (nextCreate <= queued) {
              createTicket(nextCreate);
              nextCreate = created < opts.tickets ? Math.max(nextCreate, ticketTimes(created)) : Infinity;
            } else {
              const p = queue.pop()!;
              runAction(p);
              p.next++;
              if (p.next < p.actions.length) queue.push(p);
              else writer.settle(p.id);
            }
            actions++;
          }
        });

      while (nextCreate !== Infinity || queue.size > 0) {
        writeBatch();
        const now = performance.now();
        if (opts.onProgress && (now - lastProgress > 2000 || (nextCreate === Infinity && queue.size === 0))) {
          lastProgress = now;
          opts.onProgress({ ticketsDone: created, ticketsTotal: opts.tickets, actionsDone: actions, elapsedMs: now - began });
        }
      }
      writer.finish();
    } finally {
      writer.end();
    }
    restore();
    return {
      branchCode: branch.code, credentials, customersCreated: customerCount, ticketsCreated: created, messagesCreated: messages,
      timelineEvents: events, elapsedMs: performance.now() - began,
    };
  } finally {
    ws.close();
    // Back to WAL on a connection of its own (the generator's still has statements open), as
    // every later open would do anyway.
    const db = new Database(join(opts.dataDir, DB_FILE));
    try {
      db.pragma('journal_mode = WAL');
    } finally {
      db.close();
    }
  }
}
