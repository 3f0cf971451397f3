/** A URL's scheme in lower case (`rediss` of `rediss://...`); undefined without `<scheme>://`. */
export function urlScheme(url: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
}
