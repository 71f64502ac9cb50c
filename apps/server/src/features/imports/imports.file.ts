import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, type Options } from 'csv-parse';
import iconv from 'iconv-lite';
import type { ImportField, ImportMapping } from '@engage/contracts';
import { AppError } from '../../lib/errors';

/**
 * The uploaded CSV file: its encoding, its shape (header, first rows) and how its columns
 * probably map to donor fields. Files are read as streams: a file is never whole in memory.
 */

/** The one fix for a file we cannot read: it names Excel's menu, where most of these files come from. */
export const SAVE_AS_UTF8 = 'Save the file as CSV UTF-8 in Excel: File > Save As > CSV UTF-8';

export const NOT_UTF8_MESSAGE = `The file is neither UTF-8 nor Windows-1252 (it looks like UTF-16 or another encoding), so it cannot be read. ${SAVE_AS_UTF8}, and upload it again.`;

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
 * An upload is read as UTF-8, or as Windows-1252 (what older Excel versions save as "CSV (Comma
 * delimited)" in Western Europe and the Americas) when it is not valid UTF-8. Whatever came in,
 * the stored file is UTF-8 without a BOM: everything that reads it afterwards (preview, run)
 * reads UTF-8 only.
 *
 * Passes an upload through while checking it: refuses a zipped file (an Excel workbook), UTF-16 (by
 * its BOM or its NUL bytes), drops a UTF-8 BOM, tells whether the bytes are valid UTF-8 (`utf8`;
 * when not, the file is read as Windows-1252 by toUtf8), and counts the CSV records (line ends
 * outside quotes, blank lines not counted; the same bytes in both encodings) so that the import
 * knows its total before it starts.
 */
export class CsvScanner extends Transform {
  /** Bytes received, BOM included. */
  bytes = 0;
  /** Records, header included. */
  records = 0;
  /** False once a byte sequence is not UTF-8. */
  utf8 = true;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private inQuotes = false;
  private lineHasContent = false;
  private first = true;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.first) {
      this.first = false;
      const utf16Bom =
        chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff));
      if (chunk.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
        return done(
          new AppError(
            'csv_invalid',
            `This is an Excel workbook (or another zipped file), not a CSV file. ${SAVE_AS_UTF8}, and upload that file.`,
          ),
        );
      }
      if (utf16Bom || chunk.includes(0)) return done(new AppError('unsupported_encoding', NOT_UTF8_MESSAGE));
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    } else if (chunk.includes(0)) {
      return done(new AppError('unsupported_encoding', NOT_UTF8_MESSAGE));
    }
    if (this.utf8) {
      try {
        this.decoder.decode(chunk, { stream: true });
      } catch {
        this.utf8 = false;
      }
    }
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
    if (this.utf8) {
      try {
        this.decoder.decode();
      } catch {
        this.utf8 = false;
      }
    }
    if (this.lineHasContent) this.records++;
    done();
  }
}

/**
 * Rewrites a stored upload that is not UTF-8 as UTF-8, reading it as Windows-1252 (iconv-lite:
 * Node's own TextDecoder reads 'windows-1252' as Latin-1, so 0x80 would not become €). The five
 * bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) mean it is some other
 * encoding: the file is refused with the fix. The file is replaced only when whole.
 */
export async function windows1252ToUtf8(file: string): Promise<void> {
  const tmp = `${file}.utf8`;
  const convert = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const text = iconv.decode(chunk, 'windows-1252'); // one byte, one character: no state across chunks
      if (text.includes('\ufffd')) return done(new AppError('unsupported_encoding', NOT_UTF8_MESSAGE));
      done(null, Buffer.from(text, 'utf8'));
    },
  });
  try {
    await pipeline(fs.createReadStream(file), convert, fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
    await fs.promises.rename(tmp, file);
  } finally {
    await fs.promises.rm(tmp, { force: true });
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
      `The file is not a CSV file we can read (${(err as Error).message}). ${SAVE_AS_UTF8}, and upload it again.`,
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
