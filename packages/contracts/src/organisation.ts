import { z } from 'zod';
import {
  countryCallingWindowInputSchema,
  countryCallingWindowSchema,
  legalWindowOutSchema,
  legalWindowSchema,
} from './calling-hours';
import { currencyCodeSchema } from './money';

/**
 * The organisation's own settings: one record, read by everyone signed in (the donation form
 * offers its currencies), changed by administrators (audited). It also holds the legal calling window
 * (default and per country) that no campaign's calling hours exceed.
 */

const isoInstant = z.iso.datetime({ offset: true });

/** How long after a call ends a donation may still be recorded on it, at most. */
export const MAX_DONATION_GRACE_MINUTES = 1440;
/** How many currencies an organisation may accept. */
export const MAX_ORGANISATION_CURRENCIES = 50;

export const organisationSettingsSchema = z
  .object({
    currencies: z.array(z.string()).describe('ISO 4217 codes of the currencies donations are taken in, in order'),
    defaultCurrency: z.string().describe('The currency the donation form starts with; one of `currencies`'),
    donationGraceMinutes: z
      .number()
      .int()
      .describe('How long after a call ends a donation may still be recorded on it (0: only while it is open)'),
    legalWindow: legalWindowOutSchema.describe(
      "The legal calling window in the donor's local time, for donors of a country without its own",
    ),
    countryWindows: z
      .array(countryCallingWindowSchema)
      .describe('Countries whose own legal window replaces the default one, by ISO 3166-1 alpha-2 code'),
    updatedAt: isoInstant,
  })
  .meta({ id: 'OrganisationSettings' });
export type OrganisationSettings = z.infer<typeof organisationSettingsSchema>;

export const updateOrganisationSettingsBodySchema = z
  .object({
    currencies: z
      .array(currencyCodeSchema)
      .min(1, 'Accept at least one currency')
      .max(MAX_ORGANISATION_CURRENCIES, `At most ${MAX_ORGANISATION_CURRENCIES} currencies`)
      .refine((codes) => new Set(codes).size === codes.length, { message: 'Name each currency once' })
      .optional()
      .describe('All of them, in the order the donation form offers them'),
    defaultCurrency: currencyCodeSchema.optional().describe('One of the accepted currencies'),
    donationGraceMinutes: z
      .number()
      .int('Whole minutes')
      .min(0, 'At least 0 minutes (0: only while the call is open)')
      .max(MAX_DONATION_GRACE_MINUTES, `At most ${MAX_DONATION_GRACE_MINUTES.toLocaleString('en')} minutes`)
      .optional(),
    legalWindow: legalWindowSchema.optional(),
    countryWindows: z
      .array(countryCallingWindowInputSchema)
      .max(250, 'At most 250 countries')
      .refine((w) => new Set(w.map((x) => x.country)).size === w.length, { message: 'Name each country once' })
      .optional()
      .describe('All of them: a country left out goes back to the default window'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message:
      'Send the currencies, the default currency, the donation grace minutes, the legal calling window or the country windows',
  })
  .meta({ id: 'UpdateOrganisationSettingsBody' });
export type UpdateOrganisationSettingsBody = z.infer<typeof updateOrganisationSettingsBodySchema>;
