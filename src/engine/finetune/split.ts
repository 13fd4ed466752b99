import { Random } from '../ml/random';

/**
 * Splits sample indices into a fine-tune part and a held-out part, class by class: of each class's
 * n samples, round(n · heldOutFraction) are held out, but never all of them (one is always left to
 * train on). Which ones is fixed by the seed; the parts list indices in ascending order.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  heldOutFraction: number,
  seed: number,
): { fineTune: Int32Array; heldOut: Int32Array } {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]) ?? [];
    list.push(i);
    byClass.set(labels[i], list);
  }
  const random = new Random(seed);
  const fineTune: number[] = [];
  const heldOut: number[] = [];
  // Classes in label order, so the draws do not depend on which class was saved first.
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const indices = random.shuffle(Int32Array.from(byClass.get(label)!));
    const held = Math.min(indices.length - 1, Math.round(indices.length * heldOutFraction));
    heldOut.push(...indices.subarray(0, held));
    fineTune.push(...indices.subarray(held));
  }
  const sorted = (values: number[]) => Int32Array.from(values).sort();
  return { fineTune: sorted(fineTune), heldOut: sorted(heldOut) };
}
