import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOURCES_DIR } from '$tests/helpers/datasets';
import { parseLesson } from '$shared/lessons/lesson-format';
import { LESSON_LIMITS } from '$shared/lessons/lesson';

const lesson = (body: string, front = 'id: t\ntitle: T'): string => `---\n${front}\n---\n${body}`;

const problemsOf = (text: string): string[] => {
  const parsed = parseLesson(text);
  if (parsed.ok) throw new Error('expected the lesson to be refused');
  return parsed.problems;
};

describe('the lesson format', () => {
  it('reads steps, their text without the blocks, actions and checks', () => {
    const parsed = parseLesson(
      lesson(
        [
          '# First',
          'Some *text* and [an epoch](glossary:epoch).',
          '',
          '```setup',
          'preset: sklearn-exercise',
          'settings:',
          '  epochs: 2',
          '```',
          '',
          '```show',
          'panel: train',
          'target: train-button',
          '```',
          '',
          '## A sub-heading',
          '- a list',
          '',
          '```check',
          '- kind: trained',
          '  atLeast: 90',
          '- kind: drawings',
          '  count: 3',
          '```',
          '# Second',
          '![a picture](pic.png)',
        ].join('\n'),
        'id: t\ntitle: T\nsummary: S',
      ),
    );
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    const { lesson: l, imageNames } = parsed;
    expect(l).toMatchObject({ id: 't', title: 'T', summary: 'S' });
    expect(l.steps.map((s) => s.title)).toEqual(['First', 'Second']);
    expect(l.steps[0].text).toBe('Some *text* and [an epoch](glossary:epoch).\n\n\n\n## A sub-heading\n- a list');
    expect(l.steps[0].actions).toEqual([
      { kind: 'setup', preset: 'sklearn-exercise', settings: { epochs: 2 } },
      { kind: 'show', panel: 'train', target: 'train-button' },
    ]);
    expect(l.steps[0].checks).toEqual([
      { kind: 'trained', atLeast: 90 },
      { kind: 'drawings', count: 3 },
    ]);
    expect(imageNames).toEqual(['pic.png']);
  });

  it('reads every bundled lesson, five of them, each with steps and checks', () => {
    const dir = path.join(RESOURCES_DIR, 'lessons');
    const files = readdirSync(dir).filter((n) => n.endsWith('.mlplesson'));
    expect(files).toHaveLength(5);
    for (const file of files) {
      const parsed = parseLesson(readFileSync(path.join(dir, file), 'utf8'));
      if (!parsed.ok) throw new Error(`${file}: ${parsed.problems.join('\n')}`);
      expect(parsed.lesson.steps.length).toBeGreaterThan(2);
      expect(parsed.lesson.steps.flatMap((s) => s.checks).length).toBeGreaterThan(2);
    }
  });

  it('names the line and the field of a bad check, and never quotes the file', () => {
    const problems = problemsOf(lesson(['# Step', '', '```check', 'kind: trained', 'atLeast: SECRET-VALUE', '```'].join('\n')));
    expect(problems).toEqual([expect.stringMatching(/^line 9, check block: field atLeast must be a number$/)]);
  });

  it('names the line of an unknown field without naming it', () => {
    const problems = problemsOf(lesson(['# Step', '```show', 'panel: train', 'sneaky<script>: 1', '```'].join('\n')));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^line 8, show block: has a field this kind of block does not take/);
    expect(problems[0]).not.toContain('sneaky');
  });

  it('names an unknown kind of check', () => {
    expect(problemsOf(lesson(['# Step', '```check', 'kind: telepathy', '```'].join('\n')))[0]).toMatch(/^line 7, check block: field kind must be one of trained,/);
  });

  it('names the line of bad YAML with its code only', () => {
    const problems = problemsOf(lesson(['# Step', '```check', 'kind: [trained', 'x: "unclosed', '```'].join('\n')));
    expect(problems[0]).toMatch(/^line \d+: the check block is not valid YAML \([A-Z_]+\)$/);
    expect(problems.join(' ')).not.toContain('unclosed');
  });

  it('refuses a file without front matter, a bad id, and text before the first step', () => {
    expect(problemsOf('# Step\ntext')[0]).toMatch(/^line 1: a lesson starts with front matter/);
    expect(problemsOf('---\nid: t\ntitle: T\n# no end')[0]).toMatch(/^line 1: the front matter has no closing/);
    expect(problemsOf(lesson('# S', 'id: Bad Id!\ntitle: T'))[0]).toMatch(/^line 2, front matter: field id: must be 1 to 64 lower-case/);
    expect(problemsOf(lesson('# S', 'title: T'))[0]).toMatch(/^line 2, front matter: field id is missing$/);
    expect(problemsOf(lesson('intro\n# S'))[0]).toMatch(/^line 5: text before the first step/);
    expect(problemsOf(lesson('just text'))[0]).toMatch(/text before the first step|no steps/);
  });

  it('allows links only to glossary terms and images only by a file name', () => {
    expect(problemsOf(lesson('# S\n[x](https://example.com/)'))[0]).toMatch(/^line 6: a link may only name a glossary term/);
    expect(problemsOf(lesson('# S\n[x](glossary:not-a-term)'))[0]).toMatch(/^line 6: a link may only name a glossary term/);
    expect(problemsOf(lesson('# S\n\n![x](../../etc/passwd.png)'))[0]).toMatch(/^line 7: an image must be a PNG or JPEG file next to the lesson/);
    expect(problemsOf(lesson('# S\n![x](data:image/png;base64,AAAA)'))[0]).toMatch(/an image must be/);
  });

  it('bounds the file, the steps and the aliases', () => {
    expect(problemsOf('x'.repeat(LESSON_LIMITS.fileBytes + 1))[0]).toMatch(/larger than 256 KB/);
    const many = Array.from({ length: LESSON_LIMITS.steps + 1 }, (_, i) => `# Step ${i}`).join('\n');
    expect(problemsOf(lesson(many))[0]).toMatch(/has 41 steps; at most 40/);
    const laughs = ['# S', '```check', 'a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'kind: [*c, *c, *c, *c, *c]', '```'];
    expect(problemsOf(lesson(laughs.join('\n')))[0]).toMatch(/too many YAML aliases|check block/);
  });

  it('takes Windows line ends', () => {
    const parsed = parseLesson(lesson('# S\r\n```check\r\nkind: drawn\r\n```\r\n').replace(/\n/g, '\r\n'));
    expect(parsed.ok && parsed.lesson.steps[0].checks).toEqual([{ kind: 'drawn' }]);
  });
});
