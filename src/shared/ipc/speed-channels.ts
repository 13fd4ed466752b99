import { z } from 'zod';
import { modelSpecSchema } from '../model-metadata';
import type { MeasuredSpeed } from '../training-speed';
import { datasetId } from './schemas';
import { type } from './phantom';

/** Request channels about this machine's training speed (spread into contract.ts's table). */
export const speedRequests = {
  /**
   * This machine's measured speed for training `spec` on `datasetId` (the backend a pin names, or the
   * one the choice would take), from the run history or the backend choice's cache; null when nothing
   * of this shape and batch size has been measured here.
   */
  'training:measured-speed': {
    verb: 'getMeasuredSpeed',
    args: z.tuple([z.object({ spec: modelSpecSchema, datasetId })]),
    result: type<MeasuredSpeed | null>(),
  },
} as const;
