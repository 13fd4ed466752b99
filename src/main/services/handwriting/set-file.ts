import { z } from 'zod';
import {
  digitLabel,
  HANDWRITING_LIMITS,
  HANDWRITING_PIXELS,
  sampleId,
  strokesSchema,
  type HandwritingPoint,
} from '$shared/handwriting/handwriting';
import { DatasetError } from '$engine/data/dataset-error';
import { readRegularFile } from '$engine/data/read-regular-file';
import { jsonSyntaxProblem } from '$shared/json-syntax';

/**
 * The handwriting set as one JSON file: the store's own file and the export format are the same, so an
 * export imports anywhere. Every field is checked on read; a problem names the file and the field.
 */

export const SET_FORMAT = 'mlp-lab-handwriting';

/** A sample as kept in main: its strokes (rounded, see roundStrokes) are what a rebuild of the image starts from. */
export interface StoredSample {
  id: string;
  label: number;
  created: string;
  strokes: HandwritingPoint[][];
  image: Uint8Array;
}

const base64Image = z
  .string()
  .max(2 * HANDWRITING_PIXELS)
  .transform((text, ctx) => {
    const bytes = /^[A-Za-z0-9+/]*={0,2}$/.test(text) ? Buffer.from(text, 'base64') : null;
    if (!bytes || bytes.length !== HANDWRITING_PIXELS) {
      ctx.addIssue({ code: 'custom', message: `must be base64 of ${HANDWRITING_PIXELS} grey levels` });
      return z.NEVER;
    }
    return new Uint8Array(bytes);
  });

/** Coordinates to 0.01 px: exact enough for any rebuild, and a third of the digits of a double. */
const round = (value: number): number => Math.round(value * 100) / 100;

/**
 * Strokes as the store keeps and writes them. Rounded once, as a sample enters the store and before it
 * is checked: a pen path just under the cap can round to just over it, which the next read refuses.
 */
export function roundStrokes(strokes: readonly (readonly HandwritingPoint[])[]): HandwritingPoint[][] {
  return strokes.map((stroke) => stroke.map((p) => ({ x: round(p.x), y: round(p.y) })));
}

const sampleSchema = z.object({
  id: sampleId,
  label: digitLabel,
  created: z.string().max(40),
  // Checked as read, then as kept: the bounds hold for what the store would write back.
  strokes: strokesSchema.transform(roundStrokes).pipe(strokesSchema),
  image: base64Image,
});

const setFileSchema = z.object({
  format: z.literal(SET_FORMAT),
  version: z.literal(1),
  samples: z.array(sampleSchema).max(HANDWRITING_LIMITS.samples, `at most ${HANDWRITING_LIMITS.samples} samples`),
});

/** `samples[3].strokes[0][2].x` from a zod issue path. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key)), '') || 'the file';
}

function invalid(file: string, error: z.ZodError, at: readonly PropertyKey[] = []): DatasetError {
  const issue = error.issues[0];
  return new DatasetError(file, `${fieldName([...at, ...issue.path])}: ${issue.message}`);
}

function checkIds(file: string, samples: readonly Pick<StoredSample, 'id'>[]): void {
  const seen = new Set<string>();
  for (const [i, sample] of samples.entries()) {
    if (seen.has(sample.id)) throw new DatasetError(file, `samples[${i}].id: "${sample.id}" appears twice`);
    seen.add(sample.id);
  }
}

/** Parses a set file's bytes; throws a DatasetError naming `file` and the first bad field. */
export function parseSetFile(file: string, bytes: Uint8Array): StoredSample[] {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    throw new DatasetError(file, `is not JSON (${jsonSyntaxProblem(error)})`);
  }
  const parsed = setFileSchema.safeParse(json);
  if (!parsed.success) throw invalid(file, parsed.error);
  checkIds(file, parsed.data.samples);
  return parsed.data.samples;
}

/** Reads a set file: a regular file of bounded size only (see readRegularFile). */
export async function readSetFile(file: string): Promise<StoredSample[]> {
  const bytes = await readRegularFile(file, { expected: 'an MLP Lab handwriting set (JSON)', maxBytes: HANDWRITING_LIMITS.fileBytes });
  return parseSetFile(file, bytes);
}

/** A sample as the set file holds it; strokes as kept, so what was checked on entry is what the next read sees. */
const sampleJson = (s: StoredSample) => ({ id: s.id, label: s.label, created: s.created, strokes: s.strokes, image: Buffer.from(s.image).toString('base64') });

export function serializeSet(samples: readonly StoredSample[]): string {
  return JSON.stringify({ format: SET_FORMAT, version: 1, samples: samples.map(sampleJson) });
}

/**
 * Throws the DatasetError that reading serializeSet(samples) back from `file` would, parsing only the
 * samples not `known` to read back (read from the file, or checked before): re-reading a whole set of
 * thousands would add a second or more to every save.
 */
export function checkReadsBack(file: string, samples: readonly StoredSample[], known: (sample: StoredSample) => boolean): void {
  if (samples.length > HANDWRITING_LIMITS.samples) throw new DatasetError(file, `samples: at most ${HANDWRITING_LIMITS.samples} samples`);
  for (const [i, sample] of samples.entries()) {
    if (known(sample)) continue;
    const parsed = sampleSchema.safeParse(JSON.parse(JSON.stringify(sampleJson(sample))));
    if (!parsed.success) throw invalid(file, parsed.error, ['samples', i]);
  }
  checkIds(file, samples);
}
