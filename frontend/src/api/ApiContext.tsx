// Views reach the Go side through this context, so tests can hand them a fake.
import { createContext, useContext, type ReactNode } from 'react';
import type { CaraApi } from './client';
import { api } from './index';

const ApiContext = createContext<CaraApi>(api);

export function ApiProvider({ value, children }: { value: CaraApi; children: ReactNode }) {
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

export function useApi(): CaraApi {
  return useContext(ApiContext);
}
