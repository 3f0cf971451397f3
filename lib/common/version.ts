/** Celeriac's version, as package.json says (a unit test keeps them equal). */
export const CELERIAC_VERSION = '0.1.0';
