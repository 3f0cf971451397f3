import { Duration, toMilliseconds } from '../common/duration';
import { InvalidTaskOptionError } from './errors';

/**
 * A duration task option (seconds, or a string with its unit like '30s') in
 * milliseconds, or undefined when unset, checked against `bound`.
 */
export function durationOptionMs(
  where: string,
  option: string,
  value: unknown,
  bound: 'not negative' | 'more than 0',
): number | undefined {
  if (value === undefined || value === null) return undefined;
  let ms: number;
  try {
    ms = toMilliseconds(value as Duration, 's', option);
  } catch {
    throw new InvalidTaskOptionError(
      where,
      option,
      value,
      "seconds, or a duration like '30s', '5m'",
    );
  }
  const fits = bound === 'more than 0' ? ms > 0 : ms >= 0;
  if (!fits) throw new InvalidTaskOptionError(where, option, value, bound);
  return ms;
}
