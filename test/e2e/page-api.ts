/** E2E helpers for setup steps the test is not about: the API called from the page with its own session, and screenshots. */
import type { Page } from '@playwright/test';

/** Calls the API from the page with its own session, as the renderer does (setup steps only; the merge is driven by the UI). */
export async function api<T>(page: Page, method: string, input: unknown): Promise<T> {
  return page.evaluate(async ({ method, input }) => {
    const session = window.sessionStorage.getItem('helpdesk.session');
    const res = await fetch(`/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input, session }) });
    const result = (await res.json()) as { ok: boolean; value?: unknown; error?: unknown };
    if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
    return result.value;
  }, { method, input }) as Promise<T>;
}

export async function shot(page: Page, name: string): Promise<void> {
  if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/ticket-${name}.png` });
}
