import { z } from 'zod';
import {
  digitLabel,
  HANDWRITING_LIMITS,
  HANDWRITING_PIXELS,
  sampleId,
  strokesSchema,
  type HandwritingPoint,
} from '../../../shared/handwriting/handwriting';
import { DatasetError } from '../../../engine/data/dataset-error';
import { readRegularFile } from '../../../engine/data/read-regular-file';

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

const setFileSchema = z.object({
  format: z.literal(SET_FORMAT),
  version: z.literal(1),
  samples: z
    .array(
      z.object({
        id: sampleId,
        label: digitLabel,
        created: z.string().max(40),
        // Checked as read, then as kept: the bounds hold for what the store would write back.
        strokes: strokesSchema.transform(roundStrokes).pipe(strokesSchema),
        image: base64Image,
      }),
    )
    .max(HANDWRITING_LIMITS.samples, `at most ${HANDWRITING_LIMITS.samples} samples`),
});

/** `samples[3].strokes[0][2].x` from a zod issue path. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key)), '') || 'the file';
}

/** Parses a set file's bytes; throws a DatasetError naming `file` and the first bad field. */
export function parseSetFile(file: string, bytes: Uint8Array): StoredSample[] {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    throw new DatasetError(file, `is not JSON (${(error as Error).message.slice(0, 120)})`);
  }
  const parsed = setFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DatasetError(file, `${fieldName(issue.path)}: ${issue.message}`);
  }
  const seen = new Set<string>();
  for (const [i, sample] of parsed.data.samples.entries()) {
    if (seen.has(sample.id)) throw new DatasetError(file, `samples[${i}].id: "${sample.id}" appears twice`);
    seen.add(sample.id);
  }
  return parsed.data.samples;
}

/** Reads a set file: a regular file of bounded size only (see readRegularFile). */
export async function readSetFile(file: string): Promise<StoredSample[]> {
  const bytes = await readRegularFile(file, { expected: 'an MLP Lab handwriting set (JSON)', maxBytes: HANDWRITING_LIMITS.fileBytes });
  return parseSetFile(file, bytes);
}

/** The set file's text; strokes are written as kept, so what was checked on entry is what the next read sees. */
export function serializeSet(samples: readonly StoredSample[]): string {
  return JSON.stringify({
    format: SET_FORMAT,
    version: 1,
    samples: samples.map((s) => ({
      id: s.id,
      label: s.label,
      created: s.created,
      strokes: s.strokes,
      image: Buffer.from(s.image).toString('base64'),
    })),
  });
}
