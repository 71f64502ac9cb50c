import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

/**
 * Writing CSV files people open in spreadsheets: list exports and import error reports.
 *
 * Formula injection: a cell that starts with = + - @, a tab or a carriage return can be run as a
 * formula by Excel, LibreOffice or Google Sheets. Every exported cell that starts so gets a
 * single quote in front, which spreadsheets show as text. (Imports store values as written: they
 * are data; only what leaves the system is neutralised.)
 */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export type CsvValue = string | number | boolean | null | undefined;

/** One cell: neutralised, then quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvCell(value: CsvValue): string {
  const text = neutraliseCell(value === null || value === undefined ? '' : String(value));
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line of a CSV file (RFC 4180: CRLF line ends). */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** A UTF-8 byte order mark, so that Excel reads names with accents correctly. */
export const CSV_BOM = '\ufeff';

/**
 * A CSV file as a stream: the header, then pages of rows fetched on demand. Memory holds one page
 * at a time, however long the file.
 */
export function csvStream<R>(
  header: readonly string[],
  pages: () => AsyncIterable<R[]>,
  toCells: (row: R) => CsvValue[],
) {
  async function* lines(): AsyncGenerator<string> {
    yield CSV_BOM + csvLine(header);
    for await (const page of pages()) {
      if (page.length > 0) yield page.map((r) => csvLine(toCells(r))).join('');
    }
  }
  return Readable.from(lines(), { objectMode: false });
}

/** Content-Disposition for a download, with an ASCII fallback and the UTF-8 name (RFC 6266). */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** A file name made from a label: letters, digits, dashes. */
export function fileNameOf(label: string, suffix: string): string {
  const base = label
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 60);
  return `${base || 'export'}${suffix}`;
}

/** Answers a CSV download: the stream is piped to the client, never held whole in memory. */
export function sendCsv(reply: FastifyReply, fileName: string, stream: Readable): FastifyReply {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', attachment(fileName))
    .header('cache-control', 'no-store')
    .send(stream);
}

/** A CSV download, documented as such in the OpenAPI document. */
export const csvResponse = {
  description: 'A CSV file (UTF-8 with BOM, CRLF); cells starting with = + - @ tab or CR get a leading quote',
  content: { 'text/csv': { schema: z.string() } },
};
