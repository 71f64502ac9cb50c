import { z } from 'zod';
import { donorProfileSchema } from './donors';
import { freeText } from './free-text';
import { boundedIntSchema, idSchema } from './ids';

/**
 * Lists (named sets of donors that feed campaigns), CSV imports into them, and the manager's
 * donor search and donor editing.
 */

const isoInstant = z.iso.datetime({ offset: true });
const id = idSchema;

const page = {
  page: boundedIntSchema(1, 100_000).default(1).describe('1-based page number'),
  pageSize: boundedIntSchema(1, 200).default(50),
};

// ---------------------------------------------------------------- donors (search, edit)

export const donorSearchQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .max(200)
    .default('')
    .describe(
      'Part of a name (accents, case and apostrophes ignored), an exact reference, a phone number in any format, or an email address. Empty: every donor.',
    ),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'A two-letter country code, e.g. GB')
    .optional()
    .describe('Only donors in this country (ISO 3166-1 alpha-2)'),
  doNotCall: z.stringbool().optional().describe('true: only donors marked do not call; false: only those not marked'),
  deceased: z.stringbool().optional().describe('true: only donors marked deceased; false: only those not marked'),
  listId: id.optional().describe('Only donors on this list'),
  lastGiftFrom: z.iso.date().optional().describe('Last gift on or after this date (read in `timeZone`)'),
  lastGiftTo: z.iso.date().optional().describe('Last gift on or before this date (read in `timeZone`)'),
  timeZone: z.string().max(64).default('UTC').describe('IANA zone in which the last-gift dates are read'),
  ...page,
});
export type DonorSearchQuery = z.infer<typeof donorSearchQuerySchema>;

export const donorSummarySchema = z
  .object({
    id: z.number().int(),
    reference: z.string(),
    name: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    country: z.string().nullable(),
    timeZone: z.string(),
    doNotCall: z.boolean(),
    deceased: z.boolean(),
    suppressed: z.boolean(),
  })
  .meta({ id: 'DonorSummary' });
export type DonorSummary = z.infer<typeof donorSummarySchema>;

export const donorPageSchema = z
  .object({
    donors: z.array(donorSummarySchema),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({ id: 'DonorPage' });
export type DonorPage = z.infer<typeof donorPageSchema>;

/** getDonor's answer: the agent's profile plus the separate address fields, flags and lists. */
export const donorDetailsSchema = donorProfileSchema
  .extend({
    addressLine1: z.string().nullable(),
    addressLine2: z.string().nullable(),
    city: z.string().nullable(),
    postcode: z.string().nullable(),
    suppressed: z.boolean(),
    lists: z.array(z.object({ id: z.number().int(), name: z.string() })).describe('Lists the donor is on'),
  })
  .meta({ id: 'DonorDetails' });
export type DonorDetails = z.infer<typeof donorDetailsSchema>;

/** An optional field where "" or null clears the value. */
const optionalValue = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .nullable()
    .optional()
    .transform((v) => (v === '' ? null : v));
/** The same for free text the donor record keeps: never a card number. */
const optionalText = (max: number) =>
  freeText(max)
    .nullable()
    .optional()
    .transform((v) => (v === '' ? null : v));

/**
 * A manager's edit of a donor: only the fields sent change. Phones are read in the donor's
 * country (or +country code) and stored E.164; the server checks them, the time zone and the
 * country, and answers each problem next to its field (`issues`).
 */
export const updateDonorBodySchema = z
  .object({
    firstName: freeText(200).optional(),
    lastName: freeText(200).optional(),
    phone: optionalValue(40).describe('Any format; null or "" removes it'),
    altPhone: optionalValue(40),
    email: optionalText(254),
    addressLine1: optionalText(200),
    addressLine2: optionalText(200),
    city: optionalText(100),
    postcode: optionalText(20),
    country: optionalValue(2).describe('ISO 3166-1 alpha-2, e.g. GB'),
    timeZone: z.string().trim().max(64).optional().describe('IANA time zone, e.g. Europe/London'),
    language: optionalValue(35).describe('BCP 47 tag, e.g. en or fr-CA'),
    notes: freeText(4000).optional(),
    doNotCall: z.boolean().optional(),
    deceased: z.boolean().optional(),
    suppressed: z.boolean().optional(),
  })
  .meta({ id: 'UpdateDonorBody' });
export type UpdateDonorBody = z.input<typeof updateDonorBodySchema>;

// ---------------------------------------------------------------- lists

export const listNameSchema = freeText(120, 'A list name can be at most 120 characters').min(1, 'Give the list a name');
export const listDescriptionSchema = freeText(2000);

export const listCampaignSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  priority: z.number().int().describe('Lower is called first'),
});

export const listSummarySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    donorCount: z.number().int(),
    campaigns: z.array(listCampaignSchema).describe('Campaigns this list feeds'),
    createdAt: isoInstant,
  })
  .meta({ id: 'ListSummary' });
export type ListSummary = z.infer<typeof listSummarySchema>;

export const listListSchema = z.object({ lists: z.array(listSummarySchema) }).meta({ id: 'ListList' });
export type ListList = z.infer<typeof listListSchema>;

export const createListBodySchema = z.object({
  name: listNameSchema,
  description: listDescriptionSchema.optional(),
});
export type CreateListBody = z.input<typeof createListBodySchema>;

export const updateListBodySchema = z
  .object({ name: listNameSchema.optional(), description: listDescriptionSchema.optional() })
  .refine((b) => b.name !== undefined || b.description !== undefined, {
    message: 'Send a new name, a new description, or both',
  });
export type UpdateListBody = z.input<typeof updateListBodySchema>;

export const createListFromSearchBodySchema = z.object({
  name: listNameSchema,
  description: listDescriptionSchema.optional(),
  q: donorSearchQuerySchema.shape.q,
});
export type CreateListFromSearchBody = z.input<typeof createListFromSearchBodySchema>;

export const listMembersQuerySchema = z.object({ ...page });
export type ListMembersQuery = z.infer<typeof listMembersQuerySchema>;

export const listMemberPageSchema = z
  .object({
    members: z.array(donorSummarySchema.extend({ addedAt: isoInstant })).describe('Most recently added first'),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({ id: 'ListMemberPage' });
export type ListMemberPage = z.infer<typeof listMemberPageSchema>;

// ---------------------------------------------------------------- imports

/** The donor fields a CSV column can be mapped to, in the order the import screen shows them. */
export const importFields = [
  'reference',
  'firstName',
  'lastName',
  'fullName',
  'phone',
  'altPhone',
  'email',
  'addressLine1',
  'addressLine2',
  'city',
  'postcode',
  'country',
  'timeZone',
  'language',
] as const;
export const importFieldSchema = z.enum(importFields);
export type ImportField = z.infer<typeof importFieldSchema>;

export const importFieldLabels: Record<ImportField, string> = {
  reference: 'Reference',
  firstName: 'First name',
  lastName: 'Last name',
  fullName: 'Full name',
  phone: 'Phone',
  altPhone: 'Other phone',
  email: 'Email',
  addressLine1: 'Address line 1',
  addressLine2: 'Address line 2',
  city: 'City',
  postcode: 'Postcode',
  country: 'Country',
  timeZone: 'Time zone',
  language: 'Language',
};

/** Donor field → CSV column header (as shown in the preview). Unmapped fields are left out. */
export const importMappingSchema = z
  .partialRecord(importFieldSchema, z.string().min(1).max(200))
  .describe('Donor field → CSV column header');
export type ImportMapping = z.infer<typeof importMappingSchema>;

/**
 * An import finds the donors already known by the reference column or, without one, by phone, then
 * email: a mapping with none of them would add them all again. Null when the mapping has one. The
 * server checks it with the file's own columns (checkMapping, all issues answered together); the
 * mapping step says it before sending.
 */
export function importMappingMatchIssue(mapping: ImportMapping): string | null {
  return mapping.reference || mapping.phone || mapping.altPhone || mapping.email
    ? null
    : 'Choose the column with the donor reference, or else the phone or email: without any of them, donors already known cannot be found and would be added again';
}

export const importStatuses = ['uploaded', 'running', 'done', 'failed', 'expired'] as const;
export const importStatusSchema = z.enum(importStatuses);
export type ImportStatus = z.infer<typeof importStatusSchema>;

/** The encodings an upload is read in; the server stores every file as UTF-8. */
export const importEncodings = ['utf-8', 'windows-1252'] as const;
export const importEncodingSchema = z
  .enum(importEncodings)
  .describe('How the file was read: UTF-8, or Windows-1252 (older Excel "CSV (Comma delimited)"), converted to UTF-8');
export type ImportEncoding = z.infer<typeof importEncodingSchema>;

export const importSchema = z
  .object({
    id: z.number().int(),
    listId: z.number().int(),
    fileName: z.string().describe('The name of the uploaded file'),
    sizeBytes: z.number().int(),
    encoding: importEncodingSchema,
    uploadedBy: z
      .number()
      .int()
      .nullable()
      .describe('The user who uploaded the file: they (or an administrator) may start, resume or delete it'),
    status: importStatusSchema,
    mapping: importMappingSchema.nullable(),
    defaultCountry: z.string().nullable(),
    totalRows: z.number().int().nullable().describe('Data rows in the file (header excluded), when known'),
    processedRows: z.number().int(),
    created: z.number().int().describe('New donors'),
    updated: z
      .number()
      .int()
      .describe('Existing donors updated (same reference; without a reference column, same phone or email)'),
    rejected: z.number().int().describe('Rows refused; the error report says why'),
    duplicates: z.number().int().describe('Rows skipped: same phone or reference as an earlier row of the file'),
    uncallable: z
      .number()
      .int()
      .describe('Donors imported with no phone number: the dialer will not call them; the error report lists them'),
    warnings: z.number().int().describe('Rows imported with a warning in the error report (e.g. a bad second phone)'),
    error: z.string().nullable().describe('Why the import failed, when it did'),
    createdAt: isoInstant,
    startedAt: isoInstant.nullable(),
    finishedAt: isoInstant.nullable(),
    durationMs: z.number().int().nullable().describe('Running time so far, or in all once finished'),
  })
  .meta({ id: 'Import' });
export type Import = z.infer<typeof importSchema>;

export const importPreviewSchema = z
  .object({
    headers: z.array(z.string()).describe('Column headers; a repeated header gets " (2)", " (3)"...'),
    rows: z.array(z.array(z.string())).describe('The first data rows, as written'),
    delimiter: z
      .enum([',', ';', '\t'])
      .describe('The column separator found in the header row: comma, semicolon (Excel in much of Europe) or tab'),
    suggestedMapping: importMappingSchema,
  })
  .meta({ id: 'ImportPreview' });
export type ImportPreview = z.infer<typeof importPreviewSchema>;

export const uploadedImportSchema = z
  .object({ import: importSchema, preview: importPreviewSchema })
  .meta({ id: 'UploadedImport' });
export type UploadedImport = z.infer<typeof uploadedImportSchema>;

export const startImportBodySchema = z.object({
  mapping: importMappingSchema,
  defaultCountry: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'Use a two-letter ISO country code, e.g. GB')
    .describe('Country of phone numbers written without +country code'),
});
export type StartImportBody = z.input<typeof startImportBodySchema>;

export const listDetailsSchema = listSummarySchema
  .extend({
    createdBy: z.string().nullable().describe('Name of the user who made the list'),
    uncallableCount: z
      .number()
      .int()
      .describe('Donors on the list with no callable phone number (neither phone nor other phone): never called'),
  })
  .meta({ id: 'ListDetails' });
export type ListDetails = z.infer<typeof listDetailsSchema>;

export const importListSchema = z
  .object({ imports: z.array(importSchema).describe('Newest first') })
  .meta({ id: 'ImportList' });
export type ImportList = z.infer<typeof importListSchema>;

export const listIdParamsSchema = z.object({ listId: id });
export const importIdParamsSchema = z.object({ importId: id });
export const donorIdParamsSchema = z.object({ donorId: id });
