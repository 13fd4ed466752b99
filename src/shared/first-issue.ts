import type { z } from 'zod';

/** The first problem zod found, as "at <path>: <message>": one issue is what a person can act on. */
export function firstIssue(error: z.ZodError): string {
  const first = error.issues[0];
  return `at ${first.path.join('.') || 'top level'}: ${first.message}`;
}
