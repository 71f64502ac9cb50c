import type pg from 'pg';
import type { OrganisationSettings, Role, UpdateOrganisationSettingsBody } from '@engage/contracts';
import { auditPg } from '../../lib/audit';
import { AppError } from '../../lib/errors';
import { withPgTransaction, type PgClient } from '../../lib/tx';
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
    defaultCurrency: r.default_currency,
    donationGraceMinutes: r.donation_grace_minutes,
    legalWindow: { start: r.legal_hours_start, end: r.legal_hours_end, closedWeekdays: r.legal_closed_weekdays },
    countryWindows: r.country_calling_windows,
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * The organisation's settings: read by every signed-in user, changed by administrators (audited in
 * the same transaction). Other features read them inside their own transaction (`settingsIn`)
 * and check a currency against them here (`requireAcceptedCurrency`).
 */
export function createOrganisationService(deps: { pool: pg.Pool; now?: () => Date }) {
  const { pool } = deps;
  const now = deps.now ?? (() => new Date());

  async function get(): Promise<OrganisationSettings> {
    return toSettings(await repo.readSettings(pool));
  }

  /** The settings, read inside the caller's transaction. */
  async function settingsIn(c: PgClient): Promise<OrganisationSettings> {
    return toSettings(await repo.readSettings(c));
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
    return withPgTransaction(pool, async (c) => {
      const before = toSettings(await repo.readSettings(c, { forUpdate: true }));
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
        c,
        {
          currencies: after.currencies,
          default_currency: after.defaultCurrency,
          donation_grace_minutes: after.donationGraceMinutes,
          legal_hours_start: after.legalWindow.start,
          legal_hours_end: after.legalWindow.end,
          legal_closed_weekdays: after.legalWindow.closedWeekdays,
          country_calling_windows: after.countryWindows,
        },
        t,
      );
      await auditPg(c, {
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
