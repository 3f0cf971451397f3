/**
 * Loads a package the app installs only for a feature it turns on (prom-client for
 * `metrics`, @opentelemetry/api for `tracing`): loaded when the feature starts, never
 * when it is off, with an error that says what to install.
 */
export function loadOptionalPeer<T>(name: string, feature: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') {
      throw new Error(
        `the module option \`${feature}\` needs the package ${name}: npm install ${name}`,
      );
    }
    throw error;
  }
}
