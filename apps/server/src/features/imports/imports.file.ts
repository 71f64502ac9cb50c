import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { parse, type Options } from 'csv-parse';
import type { ImportField, ImportMapping } from '@engage/contracts';
import { AppError } from '../../lib/errors';

/**
 * The uploaded CSV file: its encoding, its shape (header, first rows) and how its columns
 * probably map to donor fields. Files are read as streams: a file is never whole in memory.
 */

export const NOT_UTF8_MESSAGE =
  "The file is not UTF-8 (it looks like another encoding, such as Windows-1252, Latin-1 or UTF-16). In Excel choose File > Save As > 'CSV UTF-8 (Comma delimited)', save it as 'CSV UTF-8' and upload it again.";

/** How csv-parse reads every uploaded file: a UTF-8 BOM is dropped, short rows are allowed. */
export const CSV_OPTIONS: Options = {
  bom: true,
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: false,
  trim: false,
  // A quote never closed would otherwise read the rest of the file into one field.
  max_record_size: 1_000_000,
};

/** The column separators a CSV file may use: Excel writes ';' where the decimal mark is a comma. */
export type CsvDelimiter = ',' | ';' | '\t';
const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

/**
 * The file's column separator, told by its header row (the first line with content): the one of
 * comma, semicolon and tab that it holds most often outside quotes; a comma when it holds none.
 */
export async function detectDelimiter(path: string): Promise<CsvDelimiter> {
  const handle = await fs.promises.open(path, 'r');
  let text: string;
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    text = buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  const counts = new Map<string, number>();
  let inQuotes = false;
  let content = false;
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch === '\n') {
      if (content) break;
    } else if (!inQuotes && (DELIMITERS as readonly string[]).includes(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    else if (ch.trim() !== '' && ch !== '\ufeff') content = true;
  }
  let best: CsvDelimiter = ',';
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** How csv-parse reads a file with this separator. */
export function csvOptions(delimiter: CsvDelimiter): Options {
  return { ...CSV_OPTIONS, delimiter };
}

/**
 * Passes an upload through while checking it: refuses UTF-16 (by its BOM or its NUL bytes) and
 * any byte sequence that is not UTF-8, and counts the CSV records (line ends outside quotes,
 * blank lines not counted) so that the import knows its total before it starts.
 */
export class CsvScanner extends Transform {
  bytes = 0;
  /** Records, header included. */
  records = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private inQuotes = false;
  private lineHasContent = false;
  private first = true;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.first) {
      this.first = false;
      const utf16Bom =
        chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff));
      if (chunk.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
        return done(
          new AppError(
            'csv_invalid',
            "This is an Excel workbook (or another zipped file), not a CSV file. In Excel choose File > Save As > 'CSV UTF-8 (Comma delimited)' and upload that file.",
          ),
        );
      }
      if (utf16Bom || chunk.includes(0)) return done(new AppError('unsupported_encoding', NOT_UTF8_MESSAGE));
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      return done(new AppError('unsupported_encoding', NOT_UTF8_MESSAGE));
    }
    this.bytes += chunk.length;
    let inQuotes = this.inQuotes;
    let content = this.lineHasContent;
    let records = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 0x22) {
        inQuotes = !inQuotes; // "" inside quotes toggles twice: net nothing
        content = true;
      } else if (b === 0x0a && !inQuotes) {
        if (content) records++;
        content = false;
      } else if (b !== 0x0d && b !== 0x20 && b !== 0x09) {
        content = true;
      }
    }
    this.inQuotes = inQuotes;
    this.lineHasContent = content;
    this.records += records;
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    try {
      this.decoder.decode();
    } catch {
      return done(new AppError('unsupported_encoding', NOT_UTF8_MESSAGE));
    }
    if (this.lineHasContent) this.records++;
    done();
  }
}

export function isBlankRecord(record: readonly string[]): boolean {
  return record.every((c) => c.trim() === '');
}

/** Headers as the preview shows them: trimmed, unnamed ones "Column 3", repeats "Phone (2)". */
export function uniqueHeaders(raw: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((h, i) => {
    const base = h.normalize('NFC').trim() || `Column ${i + 1}`;
    const key = base.toLowerCase();
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/**
 * The header and the first `rows` data rows (blank rows skipped), padded to the header's width,
 * and the column separator they were read with.
 */
export async function readPreview(
  path: string,
  rows = 10,
): Promise<{ headers: string[]; rows: string[][]; delimiter: CsvDelimiter }> {
  const delimiter = await detectDelimiter(path);
  const parser = fs.createReadStream(path).pipe(parse(csvOptions(delimiter)));
  let headers: string[] | null = null;
  const out: string[][] = [];
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (headers === null) {
        if (isBlankRecord(record)) continue;
        headers = uniqueHeaders(record);
        continue;
      }
      if (isBlankRecord(record)) continue;
      out.push(headers.map((_, i) => record[i] ?? ''));
      if (out.length >= rows) break;
    }
  } catch (err) {
    throw new AppError(
      'csv_invalid',
      `The file is not a CSV file we can read (${(err as Error).message}). Save it as 'CSV UTF-8' and upload it again.`,
    );
  } finally {
    parser.destroy();
  }
  if (headers === null) {
    throw new AppError(
      'csv_invalid',
      'The file is empty. Upload a CSV file whose first row names the columns (e.g. Reference, First name, Phone).',
    );
  }
  if (out.length === 0) {
    throw new AppError(
      'csv_invalid',
      'The file has a header row but no donors below it. Add rows and upload it again.',
    );
  }
  return { headers, rows: out, delimiter };
}

/** Header spellings (lower case, letters and digits only) that suggest each donor field. */
const SYNONYMS: Record<ImportField, readonly string[]> = {
  reference: [
    'reference',
    'ref',
    'donorid',
    'donorref',
    'donorreference',
    'donornumber',
    'supporterid',
    'supporterref',
    'constituentid',
    'externalid',
    'id',
    'referencenumber',
    'refno',
  ],
  firstName: ['firstname', 'first', 'forename', 'givenname', 'fname', 'prenom'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'lname', 'nom'],
  fullName: ['name', 'fullname', 'donorname', 'contactname', 'displayname'],
  phone: [
    'phone',
    'phonenumber',
    'mobile',
    'mobilephone',
    'mobilenumber',
    'telephone',
    'telephonenumber',
    'tel',
    'cell',
    'cellphone',
    'primaryphone',
  ],
  altPhone: [
    'altphone',
    'alternativephone',
    'alternatephone',
    'otherphone',
    'phone2',
    'secondaryphone',
    'homephone',
    'workphone',
    'landline',
    'telephone',
    'tel',
    'mobile',
  ],
  email: ['email', 'emailaddress', 'mail', 'email1'],
  addressLine1: ['address', 'address1', 'addressline1', 'street', 'streetaddress', 'addr1'],
  addressLine2: ['address2', 'addressline2', 'addr2'],
  city: ['city', 'town', 'towncity', 'locality'],
  postcode: ['postcode', 'postalcode', 'zip', 'zipcode', 'postcodezip', 'zippostcode'],
  country: ['country', 'countrycode', 'countryiso', 'nation'],
  timeZone: ['timezone', 'tz', 'zone', 'timezonename'],
  language: ['language', 'lang', 'locale', 'preferredlanguage'],
};

const normaliseHeader = (h: string) =>
  h
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/**
 * A first guess of the mapping from the headers: each field takes the first column whose name
 * is one of its spellings and that no earlier field took ("Mobile" is the phone, then
 * "Telephone" the other phone). Full name is only suggested without first and last names.
 */
export function suggestMapping(headers: readonly string[]): ImportMapping {
  const taken = new Set<string>();
  const mapping: ImportMapping = {};
  for (const field of Object.keys(SYNONYMS) as ImportField[]) {
    const spellings = SYNONYMS[field];
    // Columns in the order of the field's spellings: "Phone" beats "Telephone" for the phone.
    let best: { header: string; rank: number } | null = null;
    for (const header of headers) {
      if (taken.has(header)) continue;
      const rank = spellings.indexOf(normaliseHeader(header));
      if (rank >= 0 && (best === null || rank < best.rank)) best = { header, rank };
    }
    if (best) {
      mapping[field] = best.header;
      taken.add(best.header);
    }
  }
  if (mapping.fullName && (mapping.firstName || mapping.lastName)) delete mapping.fullName;
  return mapping;
}
