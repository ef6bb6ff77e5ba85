// The shop's search and category filter, over the cards the page already holds (pure: unit tested).

export interface Filter {
  q: string;
  cat: string;
}

export const noFilter: Filter = { q: '', cat: '' };

export const isActive = (f: Filter) => f.q.trim() !== '' || f.cat !== '';

export function matches(p: { name: string; category: string }, f: Filter): boolean {
  const q = f.q.trim().toLowerCase();
  return (f.cat === '' || p.category === f.cat) && (q === '' || p.name.toLowerCase().includes(q));
}
