/** Restore a backup or start with an empty database; either answer is the new app status. */
import { useState } from 'react';
import { call } from '../../app/api';
import { useBoot } from '../../app/boot';
import { useApiAction, useApiQuery } from '../../app/useApiAction';

export function useRecovery() {
  const setStatus = useBoot((s) => s.setStatus);
  const [confirming, setConfirming] = useState(false);
  const [restoring, setRestoring] = useState<string | null>(null);

  const restore = useApiAction(async (fileName: string) => {
    setRestoring(fileName);
    try {
      setStatus(await call('app.restoreBackup', { fileName }));
    } finally {
      setRestoring(null);
    }
  });
  const [reviewing, setReviewing] = useState<string | null>(null);
  const preview = useApiQuery('app.previewBackup', { fileName: reviewing ?? '' }, { enabled: reviewing !== null });
  const reset = useApiAction(async () => {
    setStatus(await call('app.resetDatabase', {}));
    setConfirming(false);
  });

  return {
    restore: (fileName: string) => void restore.run(fileName),
    restoring,
    restoreError: restore.error,
    askReset: () => {
      reset.reset();
      setConfirming(true);
    },
    cancelReset: () => setConfirming(false),
    confirmReset: () => void reset.run(),
    confirming,
    resetPending: reset.pending,
    resetError: reset.error,
    busy: restore.pending || reset.pending,
    /** A backup under review: what it holds, read before choosing it. */
    reviewing,
    review: (fileName: string | null) => setReviewing(fileName),
    preview: reviewing && preview.data?.fileName === reviewing ? preview.data : undefined,
    previewError: preview.error,
  };
}
