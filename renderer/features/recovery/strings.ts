import { registerStrings } from '../../i18n';

registerStrings({
  'es-MX': {
    recovery: {
      title: 'La base de datos no se puede abrir',
      corrupt: 'El archivo de la base de datos está dañado. La Mesa de Ayuda no lo abrirá para no empeorar el daño.',
      unreadable: 'El archivo de la base de datos no se puede leer (permisos, disco lleno o archivo de otra aplicación).',
      detail: 'Detalle técnico',
      choose: 'Puede restaurar una copia de seguridad o empezar con una base de datos vacía.',
      backups: 'Copias de seguridad',
      noBackups: 'No hay copias de seguridad en la carpeta de datos.',
      file: 'Archivo',
      createdAt: 'Fecha',
      size: 'Tamaño',
      actions: 'Acciones',
      restore: 'Restaurar',
      restoreOf: 'Restaurar {{fileName}}',
      startOver: 'Empezar de nuevo',
      confirmTitle: '¿Empezar de nuevo?',
      confirmBody:
        'Se creará una base de datos vacía y deberá configurar la sucursal otra vez. Los tickets, clientes y usuarios de la base dañada no estarán disponibles en la nueva.',
      confirmButton: 'Sí, empezar de nuevo',
    },
  },
  en: {
    recovery: {
      title: 'The database cannot be opened',
      corrupt: 'The database file is damaged. Help Desk will not open it so as not to make the damage worse.',
      unreadable: 'The database file cannot be read (permissions, a full disk, or a file from another application).',
      detail: 'Technical detail',
      choose: 'You can restore a backup or start with an empty database.',
      backups: 'Backups',
      noBackups: 'There are no backups in the data folder.',
      file: 'File',
      createdAt: 'Date',
      size: 'Size',
      actions: 'Actions',
      restore: 'Restore',
      restoreOf: 'Restore {{fileName}}',
      startOver: 'Start over',
      confirmTitle: 'Start over?',
      confirmBody:
        'An empty database will be created and you will set up the branch again. The tickets, customers and users of the damaged database will not be available in the new one.',
      confirmButton: 'Yes, start over',
    },
  },
});
