/** The stand-in's athletes: benchmark person n links athlete n with its own API key. */
export function benchAthlete(i: number): { id: string; name: string; apiKey: string } {
  return { id: `i${100_000 + i}`, name: `Bench Athlete ${i}`, apiKey: `bench-key-${i}-7f3a9c1e5b` };
}
