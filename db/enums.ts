// A column's copy of a domain union's values (db/ imports only types from worker/): a value missing from the list,
// or not in the union, is a type error, so the column and the rules cannot drift apart.
export function allOf<T extends string>() {
  return <const L extends readonly [T, ...T[]]>(
    values: L & ([Exclude<T, L[number]>] extends [never] ? unknown : never),
  ): L => values;
}
