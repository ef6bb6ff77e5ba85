import { type Dispatch, type StateUpdater, useEffect, useState } from 'preact/hooks';
import { keepListFilters, type SectionId } from './context';

/** The filters that are set, as address parameters. */
function setOnes(filters: object): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => typeof v === 'string' && v !== ''));
}

/**
 * A list's filters: read from the address when the list opens and written back (replaced, not pushed) whenever they
 * change, so a record's page links back to the same list. `toParams` changes how they read there.
 */
export function useListFilters<F extends object>(
  section: SectionId,
  params: URLSearchParams,
  parse: (params: URLSearchParams) => F,
  toParams: (filters: F) => object = (f) => f,
): [F, Dispatch<StateUpdater<F>>] {
  const [filters, setFilters] = useState<F>(() => parse(params));
  useEffect(() => keepListFilters(section, setOnes(toParams(filters))), [filters]);
  return [filters, setFilters];
}
