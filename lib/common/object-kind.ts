/**
 * Any object that is not null and not an array: a value read from JSON or a message
 * that may be indexed by key. Class instances pass too; `isPlainObject` is stricter.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Plain data: an object whose prototype is null or Object.prototype, also the
 * Object.prototype of another realm (vm contexts, some test runners). Arrays, class
 * instances, Dates and Maps are not.
 */
export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === null || prototype === Object.prototype) return true;
  return (
    Object.getPrototypeOf(prototype) === null &&
    Object.prototype.toString.call(value) === '[object Object]' &&
    (prototype as { constructor?: { name?: string } }).constructor?.name ===
      'Object'
  );
}
