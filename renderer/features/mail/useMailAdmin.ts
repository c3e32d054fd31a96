/** Administración → Correo: the mailbox form (the contract's schema), the connection checks and the queue. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { mailboxSaveSchema, type MailCheckResult, type MailboxInfo, type NoticeStatus } from '../../../electron/shared/mail';
import { call } from '../../app/api';
import { applyFieldErrors } from '../../app/forms';
import { useApiAction, useApiQuery } from '../../app/useApiAction';

export type MailboxFormValues = z.input<typeof mailboxSaveSchema>;

const FIELDS = ['host', 'port', 'security', 'acceptInsecure', 'username', 'password', 'fromName', 'fromAddress', 'replyTo'];
const EMPTY: MailboxFormValues = {
  host: '', port: 465, security: 'tls', acceptInsecure: false, username: '', password: '', fromName: '', fromAddress: '', replyTo: '', enabled: true,
};

function toForm(m: MailboxInfo): MailboxFormValues {
  return { host: m.host, port: m.port, security: m.security, acceptInsecure: m.security === 'none', username: m.username, password: '',
    fromName: m.fromName, fromAddress: m.fromAddress, replyTo: m.replyTo, enabled: m.enabled };
}

export function useMailAdmin() {
  const mailbox = useApiQuery('mail.mailbox', {});
  const form = useForm<MailboxFormValues>({ resolver: zodResolver(mailboxSaveSchema), defaultValues: EMPTY });
  const [outcome, setOutcome] = useState<{ key: string; params?: Record<string, string> } | null>(null);
  const [check, setCheck] = useState<{ result: MailCheckResult; okKey: string; params?: Record<string, string> } | null>(null);
  const { reset } = form;
  useEffect(() => {
    if (mailbox.data) reset(toForm(mailbox.data));
  }, [mailbox.data, reset]);

  const save = useApiAction(async (values: MailboxFormValues) => {
    // An empty password field keeps the stored password.
    const password = values.password === '' && mailbox.data?.hasPassword ? undefined : values.password;
    return call('mail.saveMailbox', { ...values, password } as z.output<typeof mailboxSaveSchema>);
  }, { onError: (info) => applyFieldErrors(info, form.setError, FIELDS) });
  const onSave = form.handleSubmit(async (values) => {
    setOutcome(null);
    setCheck(null);
    const info = await save.run(values);
    if (info) {
      mailbox.setData(info);
      setOutcome({ key: 'mailUi.saved' });
      void queue.reload();
    }
  });

  const verify = useApiAction(async () => call('mail.verify', {}));
  const onVerify = async () => {
    setOutcome(null);
    setCheck(null);
    const result = await verify.run();
    if (result) setCheck({ result, okKey: 'mailUi.verifyOk' });
  };
  const [testTo, setTestTo] = useState('');
  const sendTest = useApiAction(async (to: string) => call('mail.sendTest', { to }));
  const onSendTest = async () => {
    setOutcome(null);
    setCheck(null);
    const result = await sendTest.run(testTo);
    if (result) setCheck({ result, okKey: 'mailUi.testOk', params: { to: testTo } });
  };

  const [filter, setFilter] = useState<NoticeStatus | ''>('');
  const queue = useApiQuery('mail.queue', filter ? { status: filter, limit: 100 } : { limit: 100 });
  const act = useApiAction(async (kind: 'retry' | 'cancel', noticeId: string) => call(kind === 'retry' ? 'mail.retry' : 'mail.cancel', { noticeId }));
  const onAct = async (kind: 'retry' | 'cancel', noticeId: string) => {
    setOutcome(null);
    if (await act.run(kind, noticeId)) {
      setOutcome({ key: kind === 'retry' ? 'mailUi.retried' : 'mailUi.cancelled' });
      void queue.reload();
    }
  };
  // While something waits in the queue, look again now and then: the sender works in the background.
  const waiting = (queue.data?.counts.queued ?? 0) + (queue.data?.counts.sending ?? 0);
  const { reload } = queue;
  useEffect(() => {
    if (waiting === 0) return;
    const timer = setInterval(() => void reload(), 5_000);
    return () => clearInterval(timer);
  }, [waiting, reload]);

  return {
    mailbox, form, onSave, savePending: save.pending, saveError: save.error, outcome, check,
    onVerify, verifyPending: verify.pending, verifyError: verify.error,
    testTo, setTestTo, onSendTest, testPending: sendTest.pending, testError: sendTest.error,
    filter, setFilter, queue, onAct, actPending: act.pending, actError: act.error,
  };
}
