/**
 * The names of the glossary's values (PRODUCT.md) in each language: the screens' texts
 * (renderer/i18n/common.ts) and core's exports that people read (the reports' CSV) share them.
 */
import type { Channel, Locale, RequestType, Tier } from './domain';
import type { SlaMetric } from './sla';

export const DOMAIN_LABELS: Record<Locale, { channel: Record<Channel, string>; requestType: Record<RequestType, string>; tier: Record<Tier, string>; severity: Record<'1' | '2' | '3', string>; metric: Record<SlaMetric, string> }> = {
  'es-MX': {
    channel: { phone: 'Teléfono', chat_support: 'Chat de soporte', chat_sales: 'Chat de ventas', email: 'Correo', web_form: 'Ticket web', complaint: 'Quejas y sugerencias' },
    requestType: { general: 'General', technical: 'Técnica' },
    tier: { service_desk: 'Mesa de Servicio', operations: 'Operación', development: 'Desarrollo' },
    severity: { '1': 'Grado de severidad 1', '2': 'Grado de severidad 2', '3': 'Grado de severidad 3' },
    metric: { first_response: 'Primera respuesta', next_response: 'Siguiente respuesta', resolution: 'Resolución' },
  },
  en: {
    channel: { phone: 'Phone', chat_support: 'Support chat', chat_sales: 'Sales chat', email: 'E-mail', web_form: 'Web ticket', complaint: 'Complaints and suggestions' },
    requestType: { general: 'General', technical: 'Technical' },
    tier: { service_desk: 'Service desk', operations: 'Operations', development: 'Development' },
    severity: { '1': 'Severity 1', '2': 'Severity 2', '3': 'Severity 3' },
    metric: { first_response: 'First response', next_response: 'Next response', resolution: 'Resolution' },
  },
};
