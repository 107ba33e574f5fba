export { validateTicket, type TicketCheck } from './validate.js';
export { parseTicketsJsonl, parseTicketsCsv, readTickets, ticketFormatOf, type TicketImport, type TicketFormat } from './read.js';
