/**
 * Splits sample indices into a fine-tune part and a held-out part, class by class: of each class's
 * n samples, round(n · heldOutFraction) are held out, but never all of them (one is always left to
 * train on). Which ones is fixed by each sample's id and the seed, not by its place in the set: a
 * class's samples are ranked by a seeded hash of their ids and the lowest-ranked are held out. So
 * adding or deleting a drawing moves at most the one sample at the boundary, and drawings a kept
 * fine-tune trained on stay on the fine-tune side of the next one with the same seed (rather than
 * turning up as "held-out" and flattering its figures). The parts list indices in ascending order.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  ids: readonly string[],
  heldOutFraction: number,
  seed: number,
): { fineTune: Int32Array; heldOut: Int32Array } {
  if (ids.length !== labels.length) throw new Error(`the split has ${labels.length} labels but ${ids.length} ids`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]) ?? [];
    list.push(i);
    byClass.set(labels[i], list);
  }
  const ranks = ids.map((id) => idRank(id, seed));
  // Ids are unique in a set; comparing them too keeps the order total should two hashes collide.
  const byRank = (a: number, b: number) => ranks[a] - ranks[b] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : a - b);
  const fineTune: number[] = [];
  const heldOut: number[] = [];
  for (const indices of byClass.values()) {
    indices.sort(byRank);
    const held = Math.min(indices.length - 1, Math.round(indices.length * heldOutFraction));
    heldOut.push(...indices.slice(0, held));
    fineTune.push(...indices.slice(held));
  }
  const sorted = (values: number[]) => Int32Array.from(values).sort();
  return { fineTune: sorted(fineTune), heldOut: sorted(heldOut) };
}

/** FNV-1a over the seed's four bytes and the id's characters, then murmur3's finish to spread the bits. */
export function idRank(id: string, seed: number): number {
  let h = 0x811c9dc5;
  const mix = (byte: number) => {
    h = Math.imul(h ^ byte, 0x01000193);
  };
  for (let shift = 0; shift < 32; shift += 8) mix((seed >>> shift) & 0xff);
  for (let i = 0; i < id.length; i++) mix(id.charCodeAt(i));
  // FNV-1a alone mixes the last characters (where time-ordered ids differ) into few bits.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
