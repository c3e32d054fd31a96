/**
 * Every action the core writes to the audit log. `WriteTx.audit` only takes these, so a new
 * action is added here first; the renderer's labels are checked against this list
 * (test/unit/renderer/audit-describe.test.ts), so no entry reaches the Bitácora untranslated.
 */
export const AUDIT_ACTIONS = [
  'auth.signIn', 'auth.signIn.failed', 'auth.signOut', 'auth.lockout', 'auth.unlock', 'auth.lockLapsed', 'auth.forbidden',
  'auth.sessionEnded',
  'user.created', 'user.updated', 'user.rolesChanged', 'user.passwordReset', 'user.passwordFromServer', 'user.passwordChanged', 'user.passwordChangeRefused', 'user.renamedBySync',
  'branch.setup', 'settings.changed', 'branding.changed', 'sla.configChanged', 'sla.breached', 'backup.created', 'backup.previewed', 'backup.restored', 'backup.skipped', 'audit.verified', 'audit.exported',
  'customer.created', 'customer.updated', 'customer.protectedFieldChanged', 'customer.portalAccessChanged', 'customers.protectedFieldAttempt',
  'ticket.created', 'ticket.updated', 'ticket.assigned', 'ticket.reply', 'ticket.note', 'ticket.customerMessage', 'ticket.contactAttempt',
  'ticket.statusChanged', 'ticket.reopened', 'ticket.closed', 'ticket.autoClosed', 'ticket.escalated', 'ticket.deescalated', 'ticket.handedBack',
  'ticket.merged', 'ticket.mergeReceived',
  'ticket.bulkRefused', 'listView.saved', 'listView.pinned', 'listView.deleted', 'listColumns.saved',
  'request.created', 'request.transition', 'request.approved', 'request.rejected', 'request.implementerDesignated', 'request.applied',
  'request.secondReview', 'request.refused', 'request.refusedBySync',
  'emergency.created', 'emergency.signIn', 'emergency.signIn.failed', 'emergency.call', 'emergency.outOfScope', 'emergency.expired',
  'emergency.disabled', 'emergency.lockout', 'emergency.reviewed', 'emergency.refused',
  'sync.enrolled', 'sync.unenrolled', 'sync.pulled',
  'notification.read', 'notification.allRead', 'notification.preferencesChanged',
  'personalData.registered', 'personalData.statusChanged', 'personalData.changeRequestLinked', 'personalData.exported',
  'customer.blocked', 'customer.unblocked', 'customer.mergedBySync',
  'mail.mailboxSaved', 'mail.testSent', 'mail.sent', 'mail.deferred', 'mail.failed', 'mail.unconfirmed', 'mail.noticeRetried', 'mail.noticeCancelled',
  'kb.articleCreated', 'kb.articleUpdated', 'kb.articleStatusChanged', 'kb.starterInstalled', 'kb.articleRestored', 'kb.feedbackGiven',
  'mail.inboxSaved', 'mail.inboxDisabled', 'mail.received', 'mail.senderLinked', 'mail.originalDownloaded', 'ticket.customerChanged',
  'mail.templateSaved', 'mail.templateReset', 'mail.templateSettingsSaved', 'mail.reminderQueued',
  'survey.answered', 'survey.refused', 'quickReply.saved', 'quickReply.deleted',
  'api.invalidInput', 'api.unknownMethod', 'api.refused',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
