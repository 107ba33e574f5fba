export { validateTicket, type TicketCheck } from './validate.js';
export {
  parseTicketsJsonl,
  parseTicketsCsv,
  readTickets,
  readTicketsJsonlStream,
  readExport,
  exportRows,
  jsonlRows,
  jsonlRowsOf,
  csvRows,
  csvRowsOf,
  ticketFormatOf,
  type TicketImport,
  type TicketReadOptions,
  type TicketFileOptions,
  type TicketFormat,
  type ExportRow,
} from './read.js';
export { labeledFromRows, readLabeled, type LabeledMessage, type LabeledImport } from './labeled.js';
export { LineSplitter, splitLines, linesOf, type Line } from './lines.js';
export {
  readTextFile,
  openTextStream,
  decodeStream,
  decodeText,
  sniffBytes,
  decodeWindows1252,
  latin1Doubt,
  formatBytes,
  parseByteSize,
  DEFAULT_MAX_ARTICLE_BYTES,
  DEFAULT_MAX_EXPORT_BYTES,
  MiB,
  type TextEncoding,
  type TextFileOptions,
  type TextStream,
} from './text-file.js';
