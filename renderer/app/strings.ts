/** Texts of the window frame: boot, shell header and navigation. */
import { registerStrings } from '../i18n';

registerStrings({
  'es-MX': {
    boot: {
      loading: 'Abriendo la base de datos…',
      failedTitle: 'No se pudo iniciar la Mesa de Ayuda',
      retry: 'Reintentar',
    },
    shell: {
      skip: 'Saltar al contenido',
      mainNav: 'Navegación principal',
      branch: 'Sucursal {{code}} · {{name}}',
      language: 'Idioma',
      signOut: 'Cerrar sesión',
      user: 'Usuario actual',
      forbidden: 'Su rol no permite ver esta sección.',
    },
    nav: { tickets: 'Tickets', newTicket: 'Nuevo ticket', customers: 'Clientes', admin: 'Administración' },
  },
  en: {
    boot: {
      loading: 'Opening the database…',
      failedTitle: 'Help Desk could not start',
      retry: 'Try again',
    },
    shell: {
      skip: 'Skip to content',
      mainNav: 'Main navigation',
      branch: 'Branch {{code}} · {{name}}',
      language: 'Language',
      signOut: 'Sign out',
      user: 'Current user',
      forbidden: 'Your role cannot see this section.',
    },
    nav: { tickets: 'Tickets', newTicket: 'New ticket', customers: 'Customers', admin: 'Administration' },
  },
});
