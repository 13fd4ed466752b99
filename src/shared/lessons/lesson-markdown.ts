import MarkdownIt from 'markdown-it';

/**
 * The Markdown subset lessons are written in: headings, emphasis, lists, inline code and code blocks,
 * images from the lesson's own bundle, and links to glossary terms. Everything else (raw HTML, tables,
 * block quotes, autolinks) stays off, so it is shown as the plain text it was written as. The lesson
 * parser reads steps with this same instance, so what it checks is what the window renders.
 */
export function lessonMarkdown() {
  return new MarkdownIt('zero', { html: false, linkify: false, typographer: false }).enable([
    'heading',
    'lheading',
    'emphasis',
    'list',
    'code',
    'fence',
    'backticks',
    'image',
    'link',
    'paragraph',
    'newline',
    'escape',
    'entity',
  ]);
}

/** A link a lesson may hold: to a glossary term, `glossary:<id>`. */
export const GLOSSARY_LINK = /^glossary:([a-z0-9-]{1,40})$/;
/** An image a lesson may show: a PNG or JPEG file next to the lesson file, by name. */
export const IMAGE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,79}\.(png|jpe?g)$/i;
