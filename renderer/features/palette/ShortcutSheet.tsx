/** `?` shows every keyboard shortcut, grouped by where it works. */
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components';
import { SHORTCUTS, isMac } from './shortcuts';
import './strings';
import './palette.css';

export function ShortcutSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const mod = isMac(navigator.platform) ? '⌘' : 'Ctrl';
  return (
    <Dialog open={open} title={t('shortcuts.title')} onClose={onClose} size="lg">
      <div className="shortcut-sheet">
        {SHORTCUTS.map((group) => (
          <section key={group.title} className="shortcut-sheet__group">
            <h3>{t(group.title)}</h3>
            <dl>
              {group.items.map((item) => (
                <div key={item.label} className="shortcut-sheet__row">
                  <dt>
                    {item.keys.map((key, i) => (
                      <span key={key}>
                        {i > 0 ? (key === '→' ? ' ' : ' + ') : null}
                        <kbd>{key === 'Mod' ? mod : key}</kbd>
                      </span>
                    ))}
                  </dt>
                  <dd>{t(item.label)}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
