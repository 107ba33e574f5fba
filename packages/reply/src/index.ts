export * from './types.js';
export { answerUnits, introduces, refersElsewhere } from './units.js';
export { chooseUnit, chooseDefaults } from './choose.js';
export { plainText, renderTable } from './plain.js';
export { customerDomain, withCustomerDomain } from './example-domain.js';
export { adaptResolution, entityHost, resolutionDetails, detailsHold, RESOLUTION_DETAILS_VERSION, placeholderLabel, isActionClaim, statedNumbers } from './adapt.js';
export { parseTemplate, isTemplate, pickTemplate, fillName, firstNameOf, TEMPLATE_KINDS, CANNED_NAMES } from './templates.js';
export { composeDraft, placeholderLabels, languageName, draftDefaults } from './draft.js';
