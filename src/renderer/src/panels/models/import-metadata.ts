/** The class names typed for an imported model, one per softmax unit, separated by commas. */
export function parseClassNames(text: string): string[] {
  return text.split(',').map((name) => name.trim());
}

/** Why these class names cannot be used for a model with `outputs` softmax units, or null. */
export function classNamesProblem(names: readonly string[], outputs: number): string | null {
  if (names.length !== outputs) return `Give ${outputs} class names, one per output (${names.length} given).`;
  const empty = names.findIndex((name) => name === '');
  if (empty >= 0) return `Class name ${empty + 1} is empty.`;
  const long = names.find((name) => name.length > 40);
  if (long !== undefined) return `“${long.slice(0, 40)}…” is longer than 40 characters.`;
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) return `“${twice}” is given twice.`;
  return null;
}
