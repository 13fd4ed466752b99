/**
 * One colour per class, told apart with any common colour-vision deficiency: Paul Tol's "muted"
 * qualitative scheme (nine colours designed for it) and black for the tenth. Datasets with more
 * classes repeat the cycle; the map's hover names the class, so a repeat never misleads.
 */
export const CLASS_COLOURS = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499', '#000000'] as const;

export function classColour(label: number): string {
  return CLASS_COLOURS[((label % CLASS_COLOURS.length) + CLASS_COLOURS.length) % CLASS_COLOURS.length];
}
