// Types for path-aliases.mjs, which the Vite and Vitest configs load without a TypeScript step.
/** tsconfig.base.json's `paths` as alias → absolute folder (`$shared` → <root>/src/shared). */
export declare function pathAliases(root: string): Record<string, string>;
