import { join } from 'node:path';

/** The sample's settings, from the environment. */
export interface SampleConfig {
  /** Unset: `memory://` with a worker inside the web process (`npm start` on its own). */
  brokerUrl: string | undefined;
  resultBackend: string | undefined;
  port: number;
  /** Where records live, so a web and a worker process apart both reach them. */
  dataDir: string;
  /** Web and worker in one process: true when no broker URL is given. */
  embeddedWorker: boolean;
  /** Set: the dashboard is served at /queues, behind Basic auth (user `admin`). */
  dashboardPassword: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): SampleConfig {
  const brokerUrl = env.BROKER_URL || undefined;
  return {
    brokerUrl,
    resultBackend: env.RESULT_BACKEND || undefined,
    port: Number(env.PORT ?? 3000),
    dataDir: env.SAMPLE_DATA_DIR ?? join(process.cwd(), '.sample-data'),
    embeddedWorker: brokerUrl === undefined,
    dashboardPassword: env.DASHBOARD_PASSWORD || undefined,
  };
}
