/** Injection tokens of the concrete broker and result backend chosen from the options. */
export const TRANSPORT = Symbol('celeriac:transport');
export const RESULT_BACKEND = Symbol('celeriac:result-backend');
/** The options with every default filled in. */
export const RESOLVED_OPTIONS = Symbol('celeriac:resolved-options');
