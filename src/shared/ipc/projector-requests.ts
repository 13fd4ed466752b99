import { z } from 'zod';
import { MAX_PROJECTOR_LAYER, type NearestDigits, type Projection } from '../projector/projector';
import { type } from './phantom';

/** Request channels of the Projector and the nearest training digits (spread into contract.ts's table). */
export const projectorRequests = {
  /**
   * The active model's map of its first test images at a layer (0: pixels, i: hidden layer i, 'output'),
   * by PCA or UMAP (projector:progress events); a newer map or projector:cancel ends an older one.
   */
  'projector:map': {
    verb: 'projectLayer',
    args: z.tuple([
      z.object({
        layer: z.union([z.number().int().min(0).max(MAX_PROJECTOR_LAYER), z.literal('output')]),
        method: z.enum(['pca', 'umap']),
        sample: z.union([z.literal(1000), z.literal(5000), z.null()]),
      }),
    ]),
    result: type<Projection>(),
  },
  'projector:cancel': { verb: 'cancelProjection', args: z.tuple([]), result: type<void>() },
  /** The training images nearest an image (values 0..1) in the active model's last hidden layer. */
  'projector:nearest': {
    verb: 'nearestDigits',
    args: z.tuple([z.object({ pixels: z.array(z.number().min(0).max(1)).min(1).max(4096) })]),
    result: type<NearestDigits>(),
  },
} as const;
