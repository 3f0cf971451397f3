import { INestApplicationContext } from '@nestjs/common';
import { RESULT_BACKEND } from '../../lib/options/tokens';
import { ResultBackend } from '../../lib/results/result-backend';

/**
 * Holds every result store of `app`'s backend until the returned function is called,
 * as on a slow result backend; the stores then go through to the real backend.
 */
export function holdResultStores(app: INestApplicationContext): () => void {
  const backend = app.get<ResultBackend>(RESULT_BACKEND);
  const store = backend.store.bind(backend);
  let letStoresGo!: () => void;
  const storesMayGo = new Promise<void>((resolve) => (letStoresGo = resolve));
  backend.store = async (...args) => {
    await storesMayGo;
    return store(...args);
  };
  return letStoresGo;
}
