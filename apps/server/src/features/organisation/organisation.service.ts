import type { OrganisationSettings, Role, UpdateOrganisationSettingsBody } from '@engage/contracts';
import type { Db, DbOrTx } from '../../db/client';
import { audit } from '../../lib/audit';
import { AppError } from '../../lib/errors';
import { withTransaction } from '../../lib/tx';
import * as repo from './organisation.repository';

export type OrganisationService = ReturnType<typeof createOrganisationService>;

export interface OrganisationActor {
  id: number;
  role: Role;
}

/** The audit trail's name for the one settings record. */
export const ORGANISATION_SETTINGS_ENTITY = { entityType: 'organisation_settings', entityId: 1 } as const;

function toSettings(r: repo.OrganisationSettingsRow): OrganisationSettings {
  return {
    currencies: r.currencies,
    defaultCurrency: r.defaultCurrency,
    donationGraceMinutes: r.donationGraceMinutes,
    legalWindow: { start: r.legalHoursStart, end: r.legalHoursEnd, closedWeekdays: r.legalClosedWeekdays },
    countryWindows: r.countryCallingWindows,
    updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * The organisation's settings: read by every signed-in user, changed by administrators (audited in
 * the same transaction). Other features read them inside their own transaction (`settingsIn`)
 * and check a currency against them here (`requireAcceptedCurrency`).
 */
export function createOrganisationService(deps: { db: Db; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  async function get(): Promise<OrganisationSettings> {
    return toSettings(await repo.readSettings(db));
  }

  /** The settings, read inside the caller's transaction. */
  async function settingsIn(tx: DbOrTx): Promise<OrganisationSettings> {
    return toSettings(await repo.readSettings(tx));
  }

  /** Refuses a currency the organisation does not take (the code is already a valid ISO 4217 one). */
  function requireAcceptedCurrency(settings: OrganisationSettings, currency: string, path = 'body.currency'): void {
    if (settings.currencies.includes(currency)) return;
    throw new AppError(
      'currency_not_accepted',
      `The organisation does not take donations in ${currency}. Choose one of ${settings.currencies.join(', ')}; an administrator can add currencies under Admin > Organisation.`,
      { issues: [{ path, message: `Not one of the organisation's currencies (${settings.currencies.join(', ')})` }] },
    );
  }

  async function update(actor: OrganisationActor, body: UpdateOrganisationSettingsBody): Promise<OrganisationSettings> {
    return withTransaction(db, async (tx) => {
      const before = toSettings(await repo.readSettings(tx, { forUpdate: true }));
      const currencies = body.currencies ?? before.currencies;
      const defaultCurrency = body.defaultCurrency ?? before.defaultCurrency;
      if (!currencies.includes(defaultCurrency)) {
        const path = body.defaultCurrency !== undefined ? 'body.defaultCurrency' : 'body.currencies';
        throw new AppError(
          'validation_failed',
          `The default currency (${defaultCurrency}) must be one of the accepted currencies. Accept ${defaultCurrency} too, or choose another default currency.`,
          {
            issues: [{ path, message: `${defaultCurrency} is the default currency: keep it among the accepted ones` }],
          },
        );
      }
      const after = {
        ...before,
        currencies,
        defaultCurrency,
        donationGraceMinutes: body.donationGraceMinutes ?? before.donationGraceMinutes,
        legalWindow: body.legalWindow
          ? { ...body.legalWindow, closedWeekdays: [...body.legalWindow.closedWeekdays].sort() }
          : before.legalWindow,
        countryWindows: body.countryWindows
          ? body.countryWindows
              .map((w) => ({ ...w, closedWeekdays: [...w.closedWeekdays].sort() }))
              .sort((a, b) => a.country.localeCompare(b.country))
          : before.countryWindows,
      };
      const keys = ['currencies', 'defaultCurrency', 'donationGraceMinutes', 'legalWindow', 'countryWindows'] as const;
      const changed = keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      if (changed.length === 0) return before;
      const t = now();
      const row = await repo.updateSettings(
        tx,
        {
          currencies: after.currencies,
          defaultCurrency: after.defaultCurrency,
          donationGraceMinutes: after.donationGraceMinutes,
          legalHoursStart: after.legalWindow.start,
          legalHoursEnd: after.legalWindow.end,
          legalClosedWeekdays: after.legalWindow.closedWeekdays,
          countryCallingWindows: after.countryWindows,
        },
        t,
      );
      await audit(tx, {
        actorId: actor.id,
        ...ORGANISATION_SETTINGS_ENTITY,
        action: 'update',
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k]])),
        at: t,
      });
      return toSettings(row);
    });
  }

  return { get, settingsIn, requireAcceptedCurrency, update };
}
