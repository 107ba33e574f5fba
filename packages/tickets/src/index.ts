export { validateTicket, type TicketCheck } from './validate.js';
export { parseTicketsJsonl, parseTicketsCsv, readTickets, readExport, jsonlRows, csvRows, ticketFormatOf, type TicketImport, type TicketReadOptions, type TicketFormat, type ExportRow } from './read.js';
export { labeledFromRows, readLabeled, type LabeledMessage, type LabeledImport } from './labeled.js';
