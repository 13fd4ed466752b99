import { z } from 'zod';
import { CATALOG_IDS, DATASET_ID_PATTERN, type CatalogId } from '../datasets/catalog';
import { MAX_DROPPED_PATHS } from '../drop';
import { RUN_ID_PATTERN } from '../runs/run-record';

/**
 * The argument schemas several request channels share, named once so that their limits cannot drift
 * apart. Schemas of one domain's own data (a model spec, a handwriting sample) live with that domain.
 */

/** A dataset's id: a catalog id or an import's. */
export const datasetId = z.string().regex(DATASET_ID_PATTERN);
/** Paths of files the user dropped on the window: absolute, and a bounded number of bounded strings. */
export const droppedPaths = z.array(z.string().min(2).max(4096).refine((p) => p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p), 'must be an absolute path')).min(1).max(MAX_DROPPED_PATHS);
/** Only catalog datasets have mirrors to download from. */
export const catalogId = z.enum(CATALOG_IDS as [CatalogId, ...CatalogId[]]);
/** A model library folder's name (or 'default'): no dots or separators, so never a path. */
export const libraryId = z.string().regex(/^[a-z0-9_-]{1,80}$/);
/** A token main handed out for something it holds (a previewed import, a fine-tuned model). */
export const token = z.string().min(1).max(64);
/** A name the user gives a model or a dataset. */
export const displayName = z.string().trim().min(1).max(80);
/** A class name of an imported dataset or model. */
export const className = z.string().trim().min(1).max(40);
/** How many more epochs a Continue trains. */
export const epochs = z.number().int().min(1).max(1000);
/** How many test images a robustness check or a comparison uses: the first this many, or null for the whole split. */
export const imageCount = z.number().int().min(100).max(1_000_000).nullable();
/** A split of a dataset. */
export const split = z.enum(['train', 'test']);
/** A recorded training run's id. */
export const runId = z.string().regex(RUN_ID_PATTERN);
