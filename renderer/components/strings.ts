/** Texts of the shared UI pieces. */
import { registerStrings } from '../i18n';

export const componentStrings = {
  'es-MX': {
    ui: {
      required: 'obligatorio',
      dialogClose: 'Cerrar ventana',
      datePlaceholder: 'dd/mm/aaaa', dateInvalid: 'Escriba una fecha válida como dd/mm/aaaa.',
      timePlaceholder: 'hh:mm', timeInvalid: 'Escriba la hora como hh:mm, de 00:00 a 23:59.',
      chooseFile: 'Elegir archivo…', chooseFiles: 'Elegir archivos…', noFile: 'Ningún archivo elegido', noFiles: 'Ningún archivo elegido',
      confirm: 'Confirmar',
      fieldErrors: 'Campos con errores:',
      selected: '{{count}} seleccionados',
      all: 'Todos',
      clear: 'Limpiar',
      crashTitle: 'Algo salió mal',
      crashBody: 'La pantalla no pudo mostrarse. Sus datos guardados no se perdieron.',
      crashRetry: 'Reintentar',
      crashReload: 'Recargar la aplicación',
      empty: 'Sin resultados.',
      print: 'Imprimir o guardar como PDF',
      field: {
        branchCode: 'Código de sucursal', branchName: 'Nombre de la sucursal', timeZone: 'Zona horaria',
        username: 'Usuario', fullName: 'Nombre completo', password: 'Contraseña', confirmPassword: 'Confirmar contraseña',
        roles: 'Roles', locale: 'Idioma', reopenWithinDays: 'Días para reabrir', maxAttachmentBytes: 'Tamaño máximo de evidencia', keepBackups: 'Copias de seguridad que se conservan', keepBackupDays: 'Días que se conservan las copias',
      },
    },
  },
  en: {
    ui: {
      required: 'required',
      dialogClose: 'Close window',
      datePlaceholder: 'dd/mm/yyyy', dateInvalid: 'Type a valid date as dd/mm/yyyy.',
      timePlaceholder: 'hh:mm', timeInvalid: 'Type the time as hh:mm (24-hour), from 00:00 to 23:59.',
      chooseFile: 'Choose a file…', chooseFiles: 'Choose files…', noFile: 'No file chosen', noFiles: 'No files chosen',
      confirm: 'Confirm',
      fieldErrors: 'Fields with errors:',
      selected: '{{count}} selected',
      all: 'All',
      clear: 'Clear',
      crashTitle: 'Something went wrong',
      crashBody: 'This screen could not be shown. Your saved data is safe.',
      crashRetry: 'Try again',
      crashReload: 'Reload the app',
      empty: 'No results.',
      print: 'Print or save as PDF',
      field: {
        branchCode: 'Branch code', branchName: 'Branch name', timeZone: 'Time zone',
        username: 'User name', fullName: 'Full name', password: 'Password', confirmPassword: 'Confirm password',
        roles: 'Roles', locale: 'Language', reopenWithinDays: 'Days to reopen', maxAttachmentBytes: 'Maximum evidence size', keepBackups: 'Backups kept', keepBackupDays: 'Days backups are kept',
      },
    },
  },
};

registerStrings(componentStrings);
