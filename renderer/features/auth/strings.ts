import { registerStrings } from '../../i18n';

registerStrings({
  'es-MX': {
    signIn: {
      title: 'Iniciar sesión',
      username: 'Usuario',
      password: 'Contraseña',
      submit: 'Entrar',
      branch: 'Sucursal {{code}} · {{name}}',
    },
  },
  en: {
    signIn: {
      title: 'Sign in',
      username: 'User name',
      password: 'Password',
      submit: 'Sign in',
      branch: 'Branch {{code}} · {{name}}',
    },
  },
});
