/** Respuestas rápidas: the team's (changed by supervisors and administrators) and the user's own. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuickReplyScope } from '../../../electron/shared/quick-replies';
import { PageHeader, TabPanel, Tabs } from '../../components';
import { QuickRepliesManager } from './QuickRepliesManager';
import './strings';

export function QuickRepliesScreen() {
  const { t } = useTranslation();
  const [scope, setScope] = useState<QuickReplyScope>('team');
  return (
    <section className="page">
      <PageHeader title={t('quickReplies.title')} />
      <p className="muted">{t('quickReplies.intro')}</p>
      <Tabs<QuickReplyScope> idBase="qr" label={t('quickReplies.tabs')} value={scope} onChange={setScope}
        items={(['team', 'personal'] as const).map((s) => ({ value: s, label: t(`quickReplies.scope.${s}`) }))} />
      <TabPanel idBase="qr" value={scope} className="tabpanel">
        <QuickRepliesManager key={scope} scope={scope} />
      </TabPanel>
    </section>
  );
}
