/**
 * What is wrong with text JSON.parse refused, without a word of the text. V8's messages quote the
 * input (`Unexpected token 'r', "root:x:0:0:"... is not valid JSON`), so a file that is refused, a link
 * to /etc/passwd for one, would have its first characters shown to whoever reads the reason.
 */
export function jsonSyntaxProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/Unexpected end of JSON input|Unterminated/.test(message)) return 'it is cut short';
  const at = /at position (\d+)/.exec(message);
  if (at) return `a syntax error at character ${at[1]}`;
  if (/Unexpected token|Unexpected non-whitespace/.test(message)) return 'an unexpected character';
  return 'a syntax error';
}
