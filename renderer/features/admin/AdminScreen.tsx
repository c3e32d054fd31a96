/** Administration: users, organization settings, the customer portal's branding, service levels, backups, sync and the audit log (filter, verify, export). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader, TabPanel, Tabs } from '../../components';
import { AuditLogScreen } from '../audit-log/AuditLogScreen';
import { BackupsTab } from './BackupsTab';
import { SettingsTab } from './SettingsTab';
import { PortalBrandingTab } from './PortalBrandingTab';
import { UsersTab } from './UsersTab';
import { SlaAdminTab } from '../sla-admin/SlaAdminTab';
import { SyncTab } from '../sync/SyncTab';
import { MailTab } from '../mail/MailTab';
import { QuickRepliesManager } from '../quick-replies/QuickRepliesManager';
import { useNav } from '../../stores/nav';
import './strings';

const TABS = ['users', 'settings', 'portal', 'sla', 'backups', 'sync', 'mail', 'quickReplies', 'audit'] as const;
type AdminTab = (typeof TABS)[number];

export function AdminScreen() {
  const { t } = useTranslation();
  // The header's sync indicator opens this screen on its Sincronización tab.
  const asked = useNav((s) => (s.route.name === 'admin' ? s.route.tab : undefined));
  const [tab, setTab] = useState<AdminTab>(asked ?? 'users');
  useEffect(() => {
    if (asked) setTab(asked);
  }, [asked]);
  return (
    <section className="page">
      <PageHeader title={t('admin.title')} />
      <Tabs<AdminTab> idBase="admin" label={t('admin.sections')} value={tab} onChange={setTab}
        items={TABS.map((x) => ({ value: x, label: t(`admin.tab.${x}`) }))} />
      <TabPanel idBase="admin" value={tab} className="tabpanel">
        {tab === 'users' ? <UsersTab /> : tab === 'settings' ? <SettingsTab /> : tab === 'portal' ? <PortalBrandingTab /> : tab === 'sla' ? <SlaAdminTab /> : tab === 'backups' ? <BackupsTab /> : tab === 'sync' ? <SyncTab /> : tab === 'mail' ? <MailTab /> : tab === 'quickReplies' ? <QuickRepliesManager scope="team" /> : <AuditLogScreen embedded />}
      </TabPanel>
    </section>
  );
}
