import { describe, expect, it } from 'vitest';
import { jsonSyntaxProblem } from '$shared/json-syntax';

const problemOf = (text: string): string => {
  try {
    JSON.parse(text);
  } catch (error) {
    return jsonSyntaxProblem(error);
  }
  throw new Error('parsed');
};

describe('jsonSyntaxProblem', () => {
  it('says what is wrong with refused JSON without quoting any of it', () => {
    const cases = ['root:x:0:0:root:/root:/bin/bash', '{"password": "hunter2', '{"a": 1} hunter2', '[1, 2, hunter2]', ''];
    for (const text of cases) {
      const problem = problemOf(text);
      expect(problem).toMatch(/^(it is cut short|an unexpected character|a syntax error( at character \d+)?)$/);
    }
    expect(problemOf('{"a": ')).toBe('it is cut short');
  });
});
