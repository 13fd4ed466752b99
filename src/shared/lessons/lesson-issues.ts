import { z } from 'zod';
import { LESSON_ID_PATTERN, LESSON_LIMITS } from './lesson';

/** A lesson file's front matter. `progress` is what an export adds for handing in; an import ignores it. */
export const frontMatterSchema = z.strictObject({
  format: z.literal('mlp-lesson/1').optional(),
  id: z.string().regex(LESSON_ID_PATTERN, 'must be 1 to 64 lower-case letters, digits and -, starting with a letter or digit'),
  title: z.string().trim().min(1).max(LESSON_LIMITS.title),
  summary: z.string().trim().max(LESSON_LIMITS.summary).optional(),
  progress: z.unknown().optional(),
});

const MAX_ISSUE_TEXT = 200;

/**
 * A zod issue in words that name the field and never quote the value: a key the schema does not know
 * is counted, not named, and zod's own messages (which state what was expected) are cut short.
 * `present`: the field is in the file (zod does not say whether a wrong type was a missing field).
 */
export function issueText(issue: z.core.$ZodIssue, present: boolean): string {
  const field = issue.path.filter((key) => typeof key === 'string' || typeof key === 'number').join('.');
  const where = field ? `field ${field}` : 'it';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${field ? `${where} has` : 'has'} ${issue.keys.length === 1 ? 'a field' : `${issue.keys.length} fields`} this kind of block does not take (see docs/lessons.md)`;
    case 'invalid_type':
      return !present ? `${where} is missing` : `${where} must be ${issue.expected === 'object' ? 'a set of fields' : `a ${issue.expected}`}`;
    case 'invalid_union':
      return field === 'kind' || (issue as { note?: string }).note === 'No matching discriminator'
        ? 'field kind must be one of trained, gallery-failures, drawings, runs-differ, dataset, imported-dataset, visited, robustness, drawn, overfitting'
        : `${where} is not any of the forms it may take`;
    default:
      return `${where}: ${issue.message}`.slice(0, MAX_ISSUE_TEXT);
  }
}
