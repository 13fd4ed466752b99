import DOMPurify from 'dompurify';
import { isGlossaryId } from '$shared/lessons/glossary';
import { GLOSSARY_LINK, lessonMarkdown } from '$shared/lessons/lesson-markdown';

const md = lessonMarkdown();
// A glossary link becomes a button that shows the term's definition; any other link is only its text
// (the parser refuses them in files, and this keeps a stored lesson from linking anywhere either).
md.renderer.rules.link_open = (tokens, i) => {
  const term = GLOSSARY_LINK.exec(String(tokens[i].attrGet('href') ?? ''))?.[1];
  tokens[i].meta = { term: term && isGlossaryId(term) ? term : null };
  return term && isGlossaryId(term) ? `<button type="button" class="glossary-link" data-testid="glossary-term" data-term="${term}">` : '<span>';
};
md.renderer.rules.link_close = (tokens, i) => {
  const open = tokens.slice(0, i).findLast((t) => t.type === 'link_open');
  return open?.meta?.term ? '</button>' : '</span>';
};

const ALLOWED_TAGS = ['p', 'em', 'strong', 'ul', 'ol', 'li', 'code', 'pre', 'img', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'br', 'span', 'button'];
const ALLOWED_ATTR = ['src', 'alt', 'type', 'class', 'start', 'data-testid', 'data-term'];

/**
 * A step's Markdown as HTML for {@html}: rendered with the lessons' subset (raw HTML off), images only
 * from the lesson's own bundle (`images`, data: URLs by file name), then sanitised to the few tags and
 * attributes that subset makes, so nothing in a hostile lesson can run or reach out.
 */
export function renderLessonMarkdown(text: string, images: Readonly<Record<string, string>>): string {
  const env = {};
  const tokens = md.parse(text, env);
  for (const token of tokens) {
    for (const child of token.children ?? []) {
      if (child.type !== 'image') continue;
      const name = String(child.attrGet('src') ?? '');
      child.attrSet('src', Object.hasOwn(images, name) && /^data:image\/(png|jpeg);base64,/.test(images[name]) ? images[name] : '');
    }
  }
  const html = md.renderer.render(tokens, md.options, env);
  // DOMPurify's own URI rule stays: a narrower ALLOWED_URI_REGEXP would also strip every plain attribute value.
  // Image sources are already the bundle's data: URLs (or empty), and no link keeps an href.
  return DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false });
}
