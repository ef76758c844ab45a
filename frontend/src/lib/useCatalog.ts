import { useEffect, useState } from 'react';
import { errorMessage, type CaraApi, type Catalog, type Persona, type Scenario } from '../api';

export type CatalogLoad = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; catalog: Catalog };

// One request per facade: the catalog is fixed while Cara runs.
const cache = new WeakMap<CaraApi['practice'], Promise<Catalog>>();

function load(api: CaraApi): Promise<Catalog> {
  let p = cache.get(api.practice);
  if (!p) {
    p = api.practice.catalog();
    // A failure is not kept: the next screen asks again.
    p.catch(() => cache.delete(api.practice));
    cache.set(api.practice, p);
  }
  return p;
}

/** The scenarios and personas, fetched once per facade. */
export function useCatalog(api: CaraApi): CatalogLoad {
  const [state, setState] = useState<CatalogLoad>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    load(api).then(
      (catalog) => live && setState({ state: 'ready', catalog }),
      (e: unknown) => live && setState({ state: 'error', message: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [api]);
  return state;
}

export function findScenario(load: CatalogLoad, id: string): Scenario | undefined {
  return load.state === 'ready' ? load.catalog.scenarios.find((s) => s.id === id) : undefined;
}

export function findPersona(load: CatalogLoad, id: string): Persona | undefined {
  return load.state === 'ready' ? load.catalog.personas.find((p) => p.id === id) : undefined;
}
