import { registerStrings } from '../../i18n';

registerStrings({
  'es-MX': {
    recovery: {
      title: 'La base de datos no se puede abrir',
      corrupt: 'El archivo de la base de datos está dañado. La Mesa de Ayuda no lo abrirá para no empeorar el daño.',
      unreadable: 'El archivo de la base de datos no se puede leer (permisos, disco lleno o archivo de otra aplicación).',
      readOnly: 'La carpeta de datos o el archivo de la base de datos es de solo lectura, así que la Mesa de Ayuda no puede guardar nada. Sus datos están intactos. Dé permiso de escritura a su usuario sobre la carpeta de datos y vuelva a abrir la aplicación.',
      full: 'El disco donde está la carpeta de datos está lleno. Sus datos están intactos. Libere espacio en el disco y vuelva a abrir la aplicación.',
      denied: 'Su usuario no tiene permiso para usar la carpeta de datos. Sus datos están intactos. Pida a quien administra el equipo permiso de lectura y escritura sobre la carpeta y vuelva a abrir la aplicación.',
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
      readOnly: 'The data folder or the database file is read-only, so Help Desk cannot save anything. Your data is intact. Give your user write permission on the data folder and open the app again.',
      full: 'The disk that holds the data folder is full. Your data is intact. Free some disk space and open the app again.',
      denied: 'Your user may not use the data folder. Your data is intact. Ask whoever manages this computer for read and write permission on the folder and open the app again.',
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
