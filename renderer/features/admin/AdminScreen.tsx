/** Administration: users, organization settings, backups and the audit log (filter, verify, export). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader, TabPanel, Tabs } from '../../components';
import { AuditLogScreen } from '../audit-log/AuditLogScreen';
import { BackupsTab } from './BackupsTab';
import { SettingsTab } from './SettingsTab';
import { UsersTab } from './UsersTab';
import { SlaAdminTab } from '../sla-admin/SlaAdminTab';
import './strings';

const TABS = ['users', 'settings', 'sla', 'backups', 'audit'] as const;
type AdminTab = (typeof TABS)[number];

export function AdminScreen() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<AdminTab>('users');
  return (
    <section className="page">
      <PageHeader title={t('admin.title')} />
      <Tabs<AdminTab> idBase="admin" label={t('admin.sections')} value={tab} onChange={setTab}
        items={TABS.map((x) => ({ value: x, label: t(`admin.tab.${x}`) }))} />
      <TabPanel idBase="admin" value={tab} className="tabpanel">
        {tab === 'users' ? <UsersTab /> : tab === 'settings' ? <SettingsTab /> : tab === 'sla' ? <SlaAdminTab /> : tab === 'backups' ? <BackupsTab /> : <AuditLogScreen embedded />}
      </TabPanel>
    </section>
  );
}
