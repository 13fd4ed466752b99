import { z } from 'zod';
import { CATALOG_IDS, DATASET_ID_PATTERN, type CatalogId } from '../datasets/catalog';
import { MAX_DROPPED_PATHS } from '../drop';
import { METADATA_LIMITS } from '../model-metadata';
import { LIMITS } from '../model-spec';
import { RUN_ID_PATTERN } from '../runs/run-record';

/**
 * The argument schemas several request channels share, named once so that their limits cannot drift
 * apart. Schemas of one domain's own data (a model spec, a handwriting sample) live with that domain.
 */

/** A dataset's id: a catalog id or an import's. */
export const datasetId = z.string().regex(DATASET_ID_PATTERN);
/** Longer than any path a file system of ours takes (Linux's PATH_MAX is 4096). */
const MAX_PATH_LENGTH = 4096;
/** Paths of files the user dropped on the window: absolute, and a bounded number of bounded strings. */
export const droppedPaths = z.array(z.string().min(2).max(MAX_PATH_LENGTH).refine((p) => p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p), 'must be an absolute path')).min(1).max(MAX_DROPPED_PATHS);
/** Only catalog datasets have mirrors to download from. */
export const catalogId = z.enum(CATALOG_IDS as [CatalogId, ...CatalogId[]]);
/** A model library folder's name (or 'default'): no dots or separators, so never a path. */
export const libraryId = z.string().regex(/^[a-z0-9_-]{1,80}$/);
/** A token main handed out for something it holds (a previewed import, a fine-tuned model). */
export const token = z.string().min(1).max(64);
/** A name the user gives a model or a dataset: as long as a model's metadata keeps. */
export const displayName = z.string().trim().min(1).max(METADATA_LIMITS.name);
/** A class name of an imported dataset or model. */
export const className = z.string().trim().min(1).max(METADATA_LIMITS.className);
/** The class names of an imported dataset or model, at least `min` of them. */
export const classNames = (min: number) => z.array(className).min(min).max(METADATA_LIMITS.classes);
/** How many more epochs a Continue trains: as many as one run may. */
export const epochs = z.number().int().min(LIMITS.epochs.min).max(LIMITS.epochs.max);
/** How many test images a robustness check or a comparison uses: the first this many, or null for the whole split. */
export const imageCount = z.number().int().min(100).max(1_000_000).nullable();
/** Text for the clipboard: a run's generated code or a report, with room. */
export const clipboardText = z.string().max(200_000);
/** A split of a dataset. */
export const split = z.enum(['train', 'test']);
/** A recorded training run's id. */
export const runId = z.string().regex(RUN_ID_PATTERN);
