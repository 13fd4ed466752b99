import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { markedName, METADATA_LIMITS, METADATA_READ_LIMITS, modelMetadataSchema } from '$shared/model-metadata';
import { RESOURCES_DIR } from '../../helpers/datasets';

const bundled = async () => JSON.parse(await readFile(path.join(RESOURCES_DIR, 'models', 'default', 'metadata.json'), 'utf8'));
/** The first issue's path when `edit` makes the bundled metadata invalid, or null. */
const refusedAt = async (edit: (m: Record<string, any>) => void) => {
  const metadata = await bundled();
  edit(metadata);
  const parsed = modelMetadataSchema.safeParse(metadata);
  return parsed.success ? null : parsed.error.issues[0].path.join('.');
};

describe('modelMetadataSchema', () => {
  it.each([
    ['the app writes', METADATA_LIMITS],
    ['it reads (older versions wrote longer names and class names)', METADATA_READ_LIMITS],
  ])('reads the bundled default model, and what is at the bounds %s', async (_, limits) => {
    expect(modelMetadataSchema.safeParse(await bundled()).success).toBe(true);
    expect(
      await refusedAt((m) => {
        m.name = 'n'.repeat(limits.name);
        m.classNames = Array.from({ length: limits.classes }, (_, i) => `${i}`.padEnd(limits.className, '.'));
        m.history = Array.from({ length: limits.history }, () => m.history[0]);
      }),
    ).toBeNull();
  });

  it.each([
    ['a name over 1000 characters', (m: Record<string, any>) => (m.name = 'n'.repeat(1001)), 'name'],
    ['257 classes', (m: Record<string, any>) => (m.classNames = Array.from({ length: 257 }, String)), 'classNames'],
    ['a class name over 200 characters', (m: Record<string, any>) => (m.classNames[3] = 'c'.repeat(201)), 'classNames.3'],
    ['a backend name over 40 characters', (m: Record<string, any>) => (m.backend = 'b'.repeat(41)), 'backend'],
    ['a created date over 40 characters', (m: Record<string, any>) => (m.created = 'd'.repeat(41)), 'created'],
    ['a history over 100,000 epochs', (m: Record<string, any>) => (m.history = Array.from({ length: 100_001 }, () => m.history[0])), 'history'],
  ])('refuses %s', async (_, edit, at) => {
    expect(await refusedAt(edit)).toBe(at);
  });
});

describe('markedName', () => {
  it('cuts the name, never the mark, to fit the 80 characters a name may have, and splits no surrogate pair', () => {
    expect(markedName('Mine', ' (copy)')).toBe('Mine (copy)');
    expect(markedName('n'.repeat(73), ' (copy)')).toBe(`${'n'.repeat(73)} (copy)`);
    expect(markedName('n'.repeat(74), ' (copy)')).toBe(`${'n'.repeat(73)} (copy)`);
    expect(markedName(`${'n'.repeat(72)}😀`, ' (copy)')).toBe(`${'n'.repeat(72)} (copy)`);
  });
});
