import type { Token } from 'markdown-it';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { isGlossaryId } from './glossary';
import { checkSchema, LESSON_LIMITS, setupActionSchema, showActionSchema, type Lesson, type LessonAction, type LessonCheck, type LessonStep } from './lesson';
import { GLOSSARY_LINK, IMAGE_NAME, lessonMarkdown } from './lesson-markdown';
import { frontMatterSchema, issueText } from './lesson-issues';

/**
 * Reads a lesson file (docs/lessons.md): YAML front matter between two `---` lines, then Markdown in
 * which each level-1 heading starts a step, and fenced blocks named `setup`, `show` and `check` hold a
 * step's actions and checks as YAML. Every problem names the line (and the field) it is about and never
 * quotes the file: the file is hostile, and its text could be made to look like the app's.
 */

export type LessonParse = { ok: true; lesson: Lesson; imageNames: string[] } | { ok: false; problems: string[] };

const MAX_PROBLEMS = 20;
const BLOCKS = ['setup', 'show', 'check'] as const;
type BlockKind = (typeof BLOCKS)[number];

const md = lessonMarkdown();

export function parseLesson(input: string): LessonParse {
  if (input.length > LESSON_LIMITS.fileBytes) return fail(`the file is larger than ${LESSON_LIMITS.fileBytes / 1024} KB`);
  const text = input.replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  if (lines[0]?.trim() !== '---') return fail('line 1: a lesson starts with front matter: a line "---", its fields, and another "---"');
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (end < 0) return fail('line 1: the front matter has no closing "---" line');
  const problems: string[] = [];
  const meta = readYaml(lines.slice(1, end).join('\n'), 1, 'front matter', problems);
  const header = meta === undefined ? null : validate(frontMatterSchema, meta.value, meta.lineOf, 'front matter', problems);
  const bodyStart = end + 1; // 0-based index of the body's first line in `lines`
  const steps = readSteps(lines.slice(bodyStart), bodyStart, problems);
  if (problems.length > 0 || !header) return { ok: false, problems: bounded(problems) };
  if (steps.steps.length === 0) return fail(`line ${bodyStart + 1}: the lesson has no steps: start each with a level-1 heading ("# Load the data")`);
  return {
    ok: true,
    lesson: { id: header.id, title: header.title, summary: header.summary ?? '', steps: steps.steps, images: {} },
    imageNames: [...steps.images],
  };
}

/** The parts of a step as they are read, before its text is cut out of the lines. */
interface StepDraft {
  title: string;
  /** 0-based body lines: the heading's, and the first line after the step. */
  from: number;
  to: number;
  blocks: [number, number][];
  actions: LessonAction[];
  checks: LessonCheck[];
}

function readSteps(body: string[], offset: number, problems: string[]): { steps: LessonStep[]; images: Set<string> } {
  const tokens = md.parse(body.join('\n'), {});
  const drafts: StepDraft[] = [];
  const images = new Set<string>();
  const lineOf = (token: Token): number => offset + (token.map?.[0] ?? 0) + 1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const current = drafts[drafts.length - 1];
    if (token.type === 'heading_open' && token.tag === 'h1') {
      if (current) current.to = token.map?.[0] ?? current.to;
      const title = tokens[i + 1]?.content.trim() ?? '';
      if (title.length === 0 || title.length > LESSON_LIMITS.title) problems.push(`line ${lineOf(token)}: a step's heading must be 1 to ${LESSON_LIMITS.title} characters`);
      drafts.push({ title: title.slice(0, LESSON_LIMITS.title), from: token.map?.[0] ?? 0, to: body.length, blocks: [], actions: [], checks: [] });
      continue;
    }
    if (!token.map && token.type !== 'inline') continue;
    if (!current) {
      if (token.type !== 'inline' && !(token.type === 'fence' && token.content.trim() === '')) {
        problems.push(`line ${lineOf(token)}: text before the first step: start each step with a level-1 heading ("# Load the data")`);
        return { steps: [], images };
      }
      continue;
    }
    if (token.type === 'fence' && (BLOCKS as readonly string[]).includes(token.info.trim())) {
      current.blocks.push([token.map![0], token.map![1]]);
      readBlock(token.info.trim() as BlockKind, token.content, lineOf(token), current, problems);
    } else if (token.type === 'inline') {
      checkInline(token, lineOf(token), images, problems);
    }
  }
  if (drafts.length > LESSON_LIMITS.steps) problems.push(`the lesson has ${drafts.length} steps; at most ${LESSON_LIMITS.steps}`);
  const steps = drafts.slice(0, LESSON_LIMITS.steps).map((draft) => {
    const text = body
      .slice(draft.from + 1, draft.to)
      .filter((_, j) => !draft.blocks.some(([a, b]) => draft.from + 1 + j >= a && draft.from + 1 + j < b))
      .join('\n')
      .trim();
    if (text.length > LESSON_LIMITS.stepText) problems.push(`line ${offset + draft.from + 1}: the step's text is longer than ${LESSON_LIMITS.stepText} characters`);
    if (draft.actions.length > LESSON_LIMITS.actionsPerStep) problems.push(`line ${offset + draft.from + 1}: a step has at most ${LESSON_LIMITS.actionsPerStep} actions`);
    if (draft.checks.length > LESSON_LIMITS.checksPerStep) problems.push(`line ${offset + draft.from + 1}: a step has at most ${LESSON_LIMITS.checksPerStep} checks`);
    return { title: draft.title, text, actions: draft.actions, checks: draft.checks };
  });
  if (images.size > LESSON_LIMITS.images) problems.push(`the lesson shows ${images.size} images; at most ${LESSON_LIMITS.images}`);
  return { steps, images };
}

/** A `setup`, `show` or `check` block: one YAML mapping, or a list of them. */
function readBlock(kind: BlockKind, content: string, fenceLine: number, step: StepDraft, problems: string[]): void {
  const what = `${kind} block`;
  const read = readYaml(content, fenceLine, what, problems);
  if (!read) return;
  if (read.value === null || read.value === undefined) {
    problems.push(`line ${fenceLine}: the ${what} is empty`);
    return;
  }
  const items: unknown[] = Array.isArray(read.value) ? read.value : [read.value];
  items.slice(0, LESSON_LIMITS.checksPerStep + 1).forEach((item, index) => {
    const at = Array.isArray(read.value) ? [index] : [];
    const lineOf = (path: readonly PropertyKey[]): number => read.lineOf([...at, ...path]);
    if (kind === 'check') {
      const check = validate(checkSchema, item, lineOf, what, problems);
      if (check) step.checks.push(check);
    } else {
      const action = validate(kind === 'setup' ? setupActionSchema : showActionSchema, item, lineOf, what, problems);
      if (action) step.actions.push({ kind, ...action } as LessonAction);
    }
  });
}

/** Links only to glossary terms, images only by the name of a file beside the lesson. */
function checkInline(token: Token, line: number, images: Set<string>, problems: string[]): void {
  for (const child of token.children ?? []) {
    if (child.type === 'link_open') {
      const href = String(child.attrGet('href') ?? '');
      const term = GLOSSARY_LINK.exec(href)?.[1];
      if (!term || !isGlossaryId(term)) problems.push(`line ${line}: a link may only name a glossary term, as (glossary:epoch); see docs/lessons.md for the terms`);
    } else if (child.type === 'image') {
      const src = String(child.attrGet('src') ?? '');
      if (IMAGE_NAME.test(src)) images.add(src);
      else problems.push(`line ${line}: an image must be a PNG or JPEG file next to the lesson, named by its file name alone`);
    }
  }
}

interface YamlRead {
  value: unknown;
  /** The file line of the node at a path, or of the block's start. */
  lineOf(path: readonly PropertyKey[]): number;
}

/** YAML whose first line is file line `firstLine + 1`; aliases are bounded so a billion laughs cannot expand. */
function readYaml(source: string, firstLine: number, what: string, problems: string[]): YamlRead | undefined {
  const counter = new LineCounter();
  const doc: Document = parseDocument(source, { lineCounter: counter, prettyErrors: false, uniqueKeys: true, strict: true });
  const lineAt = (offset: number | undefined): number => firstLine + (offset === undefined ? 0 : counter.linePos(offset).line);
  if (doc.errors.length > 0) {
    for (const error of doc.errors.slice(0, 3)) problems.push(`line ${lineAt(error.pos[0])}: the ${what} is not valid YAML (${error.code})`);
    return undefined;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 20 });
  } catch {
    problems.push(`line ${firstLine + 1}: the ${what} uses too many YAML aliases`);
    return undefined;
  }
  return {
    value,
    lineOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
        if (node && typeof node === 'object' && node.range) return lineAt(node.range[0]);
      }
      return firstLine + 1;
    },
  };
}

function validate<T>(schema: z.ZodType<T>, value: unknown, lineOf: (path: readonly PropertyKey[]) => number, what: string, problems: string[]): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues.slice(0, 4)) {
    // An unknown key's own line, so the teacher finds it without the message quoting it.
    const at = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
    problems.push(`line ${lineOf(at)}, ${what}: ${issueText(issue, has(value, issue.path))}`);
  }
  return undefined;
}

/** Whether `value` holds something at `path`. */
function has(value: unknown, path: readonly PropertyKey[]): boolean {
  let at: unknown = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return false;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at !== undefined;
}

const fail = (problem: string): LessonParse => ({ ok: false, problems: [problem] });

function bounded(problems: string[]): string[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_PROBLEMS), `and ${problems.length - MAX_PROBLEMS} more problems`];
}
