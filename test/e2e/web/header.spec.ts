/**
 * Issue 14, the walk as a new user: at 1366×800 the header's controls overlapped ("Cambiar contraseña" over
 * the language selector, the user's name over the bell), because every item shrank below its content.
 * Now only the branch name and the user's roles give way; the controls never overlap, in either language.
 */
import { expect, openNewDesk, test } from '../fixtures';

test('the header fits 1366 px: no control overlaps another, in Spanish and in English', async ({ page, desk }) => {
  await openNewDesk(page, desk);
  await expect(page.getByRole('button', { name: 'Cambiar contraseña' })).toBeVisible();
  for (const language of ['Español (México)', 'English']) {
    await page.getByLabel('Idioma').selectOption({ label: language }); // chosen while the UI is still Spanish
    const boxes = await page.locator('.shell__header-right > *').evaluateAll((items) =>
      items.map((e) => {
        const r = e.getBoundingClientRect();
        // The widest of the element and what it holds: an item squeezed below its content overflows it.
        return { name: e.className || e.tagName, left: r.left, right: Math.max(r.right, r.left + e.scrollWidth) };
      }));
    expect(boxes.length).toBeGreaterThan(5);
    for (let i = 1; i < boxes.length; i++) {
      expect(boxes[i]!.left, `${boxes[i]!.name} starts after ${boxes[i - 1]!.name} ends`).toBeGreaterThanOrEqual(boxes[i - 1]!.right);
    }
    expect(boxes.at(-1)!.right).toBeLessThanOrEqual(1366);
  }
});
