import { z } from 'zod';
import { type } from './phantom';
import { libraryId } from './schemas';

/** The desktop's request channels (packaging, issue 28), spread into contract.ts's `requests`. */
export const desktopRequests = {
  /** Opens the system file manager at a saved model's folder, with the folder selected. */
  'model:show-in-folder': { verb: 'showModelInFolder', args: z.tuple([z.object({ id: libraryId })]), result: type<void>() },
} as const;
