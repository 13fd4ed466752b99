/**
 * The longest error message that crosses the contract. Messages are built from hostile input (a spec
 * with a million layers once made one of 117 million characters); a user reads the first lines only.
 */
export const MAX_MESSAGE_LENGTH = 2000;

/** text, cut to at most `max` characters with an ellipsis when it is longer. */
export function boundMessage(text: string, max = MAX_MESSAGE_LENGTH): string {
  if (text.length <= max) return text;
  let end = max - 1;
  // Never split a surrogate pair: half an emoji is not a character.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
