import { fileURLToPath } from 'node:url';

/** The repository's resources/ folder, for command-line tools run from source with tsx. */
export const RESOURCES_DIR = fileURLToPath(new URL('../../../resources', import.meta.url));
