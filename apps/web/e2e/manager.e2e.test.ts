import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot, signIn, toast } from './browser';

/**
 * A manager sets up work from nothing: a list from a CSV file, a team, a campaign; an agent of
 * that team then gets a donor from it, and the manager sees the agent on the live floor.
 */
let browser: Browser;
let manager: Page;
let agent: Page;
const suffix = Date.now().toString(36);
const LIST = `E2E list ${suffix}`;
const TEAM = `E2E team ${suffix}`;
const CAMPAIGN = `E2E campaign ${suffix}`;
const csvPath = path.join(os.tmpdir(), `engage-e2e-${suffix}.csv`);
/** As older Excel saves it: Windows-1252, semicolons, and no reference column. */
const excelPath = path.join(os.tmpdir(), `engage-e2e-${suffix}-excel.csv`);

beforeAll(async () => {
  browser = await launchBrowser();
  manager = await newPage(browser);
  agent = await newPage(browser);
  fs.writeFileSync(
    csvPath,
    [
      'Reference,First name,Last name,Phone,Country',
      `E2E-${suffix}-1,Aoife,Ní Bhriain,+353 85 123 4567,IE`,
      `E2E-${suffix}-2,Zoë,Müller,+49 1512 3456789,DE`,
      `E2E-${suffix}-3,Bad,Phone,12345,GB`,
    ].join('\r\n') + '\r\n',
  );
  fs.writeFileSync(
    excelPath,
    Buffer.from(
      `Name;Mobile\r\nFrançoise Müller;+44 7700 9${String(Date.now() % 100000).padStart(5, '0')}\r\n`,
      'latin1',
    ),
  );
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(csvPath, { force: true });
  fs.rmSync(excelPath, { force: true });
});

async function choose(page: Page, testId: string, option: string | RegExp, scope?: ReturnType<Page['getByTestId']>) {
  await (scope ?? page).getByTestId(testId).first().click();
  await page.getByRole('option', { name: option }).first().click();
}

describe('a manager sets up a campaign; an agent works it; the floor shows the agent', () => {
  it('the manager makes a list from a CSV file', async () => {
    await signIn(manager, 'manager@demo.org');
    await manager.goto('/manager/lists');
    await manager.getByTestId('list-create').click();
    // An empty name is refused before sending, with the message of createList's schema.
    await manager.getByTestId('list-save').click();
    await manager.getByTestId('list-form').getByText('Give the list a name').waitFor();
    await manager.getByTestId('list-name').fill(LIST);
    await manager.getByTestId('list-save').click();
    await toast(manager, /created|List/)
      .first()
      .waitFor();
    // Creating the list goes on to its page with the import open.
    await manager.waitForURL('**/manager/lists/*');
    const chooser = manager.waitForEvent('filechooser');
    await manager.getByTestId('import-file').click();
    await (await chooser).setFiles(csvPath);
    await manager.getByTestId('import-upload').click();
    await manager.getByTestId('import-mapping').waitFor();
    await screenshot(manager, 'manager-01-import-preview');
    await manager.getByTestId('import-start').click();
    await manager.getByTestId('import-summary').waitFor({ timeout: 30_000 });
    expect(await manager.getByTestId('import-created').textContent()).toMatch(/2/);
    expect(await manager.getByTestId('import-rejected').textContent()).toMatch(/1/);
    await screenshot(manager, 'manager-02-import-done');
  });

  it('the manager leaves an older Excel file without a reference column, then resumes it; and deletes another upload', async () => {
    await manager.getByTestId('import-close').click();
    const upload = async () => {
      await manager.getByTestId('import-open').click();
      const chooser = manager.waitForEvent('filechooser');
      await manager.getByTestId('import-file').click();
      await (await chooser).setFiles(excelPath);
      await manager.getByTestId('import-upload').click();
      await manager.getByTestId('import-mapping').waitFor();
    };
    await upload();
    await manager.getByText(/read as Windows-1252/).waitFor();
    expect(await manager.getByTestId('import-preview').textContent()).toContain('Françoise Müller');
    expect(await manager.getByTestId('import-matching').textContent()).toMatch(/matched to existing donors by phone/);
    await manager.keyboard.press('Escape'); // leave it unstarted
    const unstarted = manager.locator('[data-testid="import-row"][data-status="uploaded"]');
    await unstarted.first().waitFor();
    await unstarted.first().getByTestId('import-resume').click();
    await manager.getByTestId('import-mapping').waitFor();
    // Without a column to find known donors by, Start is refused before sending, under the reference.
    await choose(manager, 'import-mapping-phone', 'Not imported');
    await manager.getByTestId('import-start').click();
    await manager
      .getByTestId('import-mapping')
      .getByText(/Choose the column with the donor reference/)
      .waitFor();
    await choose(manager, 'import-mapping-phone', 'Mobile');
    await manager.getByTestId('import-start').click();
    await manager
      .getByTestId('import-summary')
      .and(manager.locator('[data-status="done"]'))
      .waitFor({ timeout: 30_000 });
    await manager.getByTestId('import-close').click();
    await unstarted.first().waitFor({ state: 'detached' });

    await upload();
    await manager.keyboard.press('Escape');
    await unstarted.first().getByTestId('import-delete').click();
    await manager.getByTestId('import-delete-confirm').click();
    await toast(manager, /deleted/)
      .first()
      .waitFor();
    await unstarted.first().waitFor({ state: 'detached' });
  });

  it('the manager creates a team with agent2 in it', async () => {
    await manager.goto('/manager/teams');
    await manager.getByTestId('team-create').click();
    await manager.getByTestId('team-name').fill(TEAM);
    await manager.getByTestId('team-save').click();
    const card = manager.locator(`[data-testid="team-card"][data-name="${TEAM}"]`);
    await card.waitFor();
    await card.getByTestId('team-add-member').click();
    await choose(manager, 'member-select', /Lucía Fernández/);
    await manager.getByTestId('member-add-confirm').click();
    await card.getByTestId('member-row').first().waitFor();
    await screenshot(manager, 'manager-03-team');
  });

  it('the manager creates a campaign for the team, connects the list and activates it', async () => {
    await manager.goto('/manager/campaigns');
    await manager.getByTestId('campaign-create').click();
    await manager.getByTestId('campaign-name').first().fill(CAMPAIGN);
    await choose(manager, 'campaign-purpose', /Thank/i);
    await choose(manager, 'campaign-team-select', TEAM);
    // The team drop-down closes after the pick: it does not cover the Create button.
    await manager.getByRole('listbox').waitFor({ state: 'hidden' });
    await manager.getByTestId('campaign-save').first().click();
    await manager.waitForURL('**/manager/campaigns/*');
    // Calling hours round the clock (until 00:00 is midnight), so the test does not depend on the
    // time of day (the browser tests' legal window is the whole day too: global-setup.ts).
    await manager.getByTestId('campaign-hours-start').fill('00:00');
    await manager.getByTestId('campaign-hours-end').fill('00:00');
    await manager.getByTestId('campaign-hours-apply').click();
    expect(await manager.getByTestId('campaign-day-7-end').inputValue()).toBe('00:00');
    await manager.getByTestId('campaign-save').click();
    await toast(manager, /saved|updated/i)
      .first()
      .waitFor();
    await manager.getByTestId('connect-list').click();
    await choose(manager, 'connect-list-select', LIST);
    await manager.getByTestId('connect-list-confirm').click();
    await manager.getByTestId('campaign-list-row').first().waitFor();
    await manager.getByTestId('campaign-status-activate').click();
    await toast(manager, /activ/i).first().waitFor();
    await manager.getByTestId('campaign-progress').waitFor();
    await screenshot(manager, 'manager-04-campaign');
  });

  it('agent2 signs in, chooses the new team and campaign and gets a donor from the CSV', async () => {
    await signIn(agent, 'agent2@demo.org');
    await agent.getByTestId('job-role-select').click();
    await agent.getByRole('option', { name: 'Agent' }).first().click();
    await agent.getByTestId('sign-in').click();
    await toast(agent, 'Success signed into shift').waitFor();
    await agent.getByTestId('dialer-modal').waitFor();
    await choose(agent, 'team-select', TEAM);
    await choose(agent, 'campaign-select', CAMPAIGN);
    await agent.getByTestId('ready-for-call').click();
    await agent.getByTestId('donor-card').waitFor();
    expect(await agent.getByTestId('donor-name').textContent()).toMatch(/Aoife Ní Bhriain|Zoë Müller/);
    await screenshot(agent, 'manager-05-agent-donor');
  });

  it('the manager sees agent2 on the live floor, previewing on the new campaign, then on a call', async () => {
    const agentName = (await agent.getByTestId('user-name').textContent())!.trim();
    await manager.goto('/manager/floor');
    const row = manager.locator(`[data-testid="floor-row"][data-agent="${agentName}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('previewing');
    expect(await row.textContent()).toContain(CAMPAIGN);
    await agent.getByTestId('start-call').click();
    // Live: the floor changes without a reload.
    await manager
      .locator(`[data-testid="floor-row"][data-agent="${agentName}"][data-state="on_call"]`)
      .waitFor({ timeout: 5000 });
    await screenshot(manager, 'manager-06-floor');
  });
});
