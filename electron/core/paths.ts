import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user data folder used when HELPDESK_DATA_DIR is not set (Electron uses app.getPath('userData')). */
export function defaultDataDir(): string {
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Mesa de Ayuda', 'data');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Mesa de Ayuda', 'data');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'mesa-de-ayuda', 'data');
}
