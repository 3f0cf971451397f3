import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';

/** One method of one provider, as the explorers read it for their decorators. */
export interface ProviderMethod {
  wrapper: InstanceWrapper;
  /**
   * The provider's value as Nest holds it: undefined before instantiation, and not
   * always an object (a useValue or useFactory provider can be a string or a function).
   */
  instance: unknown;
  /** Where the method was found: the instance's prototype, else the metatype's. */
  prototype: object;
  className: string;
  methodName: string;
  /** The method read from the prototype (unbound): it holds the decorators' metadata. */
  method: unknown;
}

/**
 * Every method of every provider of every module (class, useFactory and useValue
 * providers alike; `useExisting` aliases are skipped). Lazy: a caller that throws stops the scan there.
 */
export function* providerMethods(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
): Generator<ProviderMethod> {
  for (const wrapper of discovery.getProviders()) {
    // `useExisting` names a provider found on its own: scanning the alias too would
    // register its tasks, hooks and schedules twice.
    if (wrapper.isAlias) continue;
    const instance = wrapper.instance as unknown;
    const prototype = prototypeOf(wrapper, instance);
    if (!prototype || prototype === Object.prototype) continue;
    const className = prototype.constructor?.name ?? String(wrapper.name);
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const method = (prototype as Record<string, unknown>)[methodName];
      yield { wrapper, instance, prototype, className, methodName, method };
    }
  }
}

function prototypeOf(
  wrapper: InstanceWrapper,
  instance: unknown,
): object | null {
  if (instance !== null && typeof instance === 'object')
    return Object.getPrototypeOf(instance) as object | null;
  // Not instantiated (or not an object): the class it was declared with, if any.
  return (wrapper.metatype as { prototype?: object } | null)?.prototype ?? null;
}
