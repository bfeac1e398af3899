import { demo } from './env.ts';
import { expect, expectNoAxeViolations, jsEnabled, test } from './helpers.ts';

// The skip link lets keyboard and screen-reader users pass the header on every page.
for (const path of ['/', `/stories/${demo.storySlug}`, '/sign-in']) {
  test(`the skip link is the first Tab stop on ${path} and moves focus to the main content`, async ({ page }, info) => {
    await page.goto(path);
    await expectNoAxeViolations(page);

    await page.keyboard.press('Tab');
    const skipLink = page.getByRole('link', { name: 'Skip to main content' });
    await expect(skipLink).toBeFocused();
    await expect(skipLink).toBeVisible();

    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#maincontent$/);
    if (jsEnabled(info)) {
      // NHS.UK frontend's script makes <main> focusable and focuses it.
      await expect(page.locator('main#maincontent')).toBeFocused();
    } else {
      // Without scripts the browser moves its focus starting point to <main>: the next Tab
      // lands on the first thing inside it, not back in the header.
      await page.keyboard.press('Tab');
      await expect(page.locator('main#maincontent :focus'), 'the Tab after the skip link should land inside <main>').toHaveCount(1);
    }
  });
}
