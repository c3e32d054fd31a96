import { registerStrings } from '../../i18n';

registerStrings({
  'es-MX': {
    account: {
      changeTitle: 'Cambiar contraseña',
      forcedTitle: 'Elija una contraseña nueva',
      forcedIntro: 'Un administrador restableció su contraseña. Antes de continuar elija una que solo usted conozca.',
      intro: 'Escriba su contraseña actual y la nueva. Sus otras sesiones abiertas se cerrarán.',
      rule: 'Al menos 12 caracteres; no puede contener su nombre de usuario ni ser de las contraseñas más usadas. Una frase de varias palabras es fácil de recordar y difícil de adivinar.',
      currentPassword: 'Contraseña actual',
      currentPasswordForced: 'Contraseña que le dio el administrador',
      newPassword: 'Contraseña nueva',
      confirmPassword: 'Confirme la contraseña nueva',
      submit: 'Cambiar contraseña',
      done: 'Su contraseña se cambió.',
      signOut: 'Cerrar sesión',
      menu: 'Cambiar contraseña',
    },
  },
  en: {
    account: {
      changeTitle: 'Change password',
      forcedTitle: 'Choose a new password',
      forcedIntro: 'An administrator reset your password. Before going on, choose one only you know.',
      intro: 'Type your current password and the new one. Your other open sessions will end.',
      rule: 'At least 12 characters; it cannot contain your user name or be one of the most used passwords. A phrase of several words is easy to remember and hard to guess.',
      currentPassword: 'Current password',
      currentPasswordForced: 'Password the administrator gave you',
      newPassword: 'New password',
      confirmPassword: 'Confirm the new password',
      submit: 'Change password',
      done: 'Your password was changed.',
      signOut: 'Sign out',
      menu: 'Change password',
    },
  },
});
