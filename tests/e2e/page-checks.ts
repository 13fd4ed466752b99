import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

let axeSource: Promise<string> | null = null;

/**
 * axe-core's WCAG A/AA violations on the page as it is. The production CSP would refuse an injected
 * <script>, so the library is evaluated through the DevTools protocol, which CSP does not govern.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  const loaded = await page.evaluate(`(() => { if (!window.axe) { ${source}\n } return typeof window.axe; })()`);
  if (loaded !== 'object') throw new Error(`axe-core did not load into the page (${String(loaded)})`);
  return page.evaluate(async () => {
    type Result = { violations: { id: string; nodes: { target: string[] }[] }[] };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<Result> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/**
 * What sticks out of its place in the main area: the main area scrolling sideways, a card or any
 * element in it whose content is wider than its box (scrollWidth > clientWidth), and an element drawn
 * outside its card. An element may scroll sideways on purpose only if it says so to the user
 * (data-scrolls-x, with a visible sign); what is inside such an element is not checked against the card.
 */
export function overflowProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const name = (el: Element): string => {
      const id = el.getAttribute('data-testid');
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).filter((c) => !c.startsWith('svelte-')).join('.')}` : '';
      return `${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''}${cls}${el.textContent ? ` “${el.textContent.trim().slice(0, 30)}”` : ''}`;
    };
    const main = document.querySelector('main')!;
    if (main.scrollWidth > main.clientWidth + 1) problems.push(`main scrolls sideways: ${main.scrollWidth} > ${main.clientWidth}`);
    const shown = (el: Element): boolean => {
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      // Screen-reader-only text is clipped to a pixel on purpose.
      return style.display !== 'none' && style.visibility !== 'hidden' && box.width > 1 && box.height > 1 && style.position !== 'fixed';
    };
    // The status bar is checked as a card: its backend text was cut off at 800 px.
    for (const card of document.querySelectorAll('main .card, footer')) {
      if (!shown(card)) continue;
      const edge = card.getBoundingClientRect();
      const walk = (el: Element): void => {
        for (const child of el.children) {
          if (!shown(child) || child.matches('[popover], dialog')) continue;
          const box = child.getBoundingClientRect();
          if (box.right > edge.right + 1 || box.left < edge.left - 1) {
            problems.push(`${name(child)} sticks out of its card ${name(card).slice(0, 40)} by ${Math.round(Math.max(box.right - edge.right, edge.left - box.left))} px`);
            continue;
          }
          const scrolls = child.scrollWidth > child.clientWidth + 1 && child.clientWidth > 0;
          if (scrolls && !child.hasAttribute('data-scrolls-x') && !(child instanceof HTMLInputElement || child instanceof HTMLSelectElement || child instanceof HTMLTextAreaElement)) {
            problems.push(`${name(child)} is wider inside than its box: ${child.scrollWidth} > ${child.clientWidth}`);
            continue;
          }
          if (!child.hasAttribute('data-scrolls-x')) walk(child);
        }
      };
      if (card.scrollWidth > card.clientWidth + 1) problems.push(`card ${name(card).slice(0, 60)} is wider inside than its box: ${card.scrollWidth} > ${card.clientWidth}`);
      walk(card);
    }
    return problems;
  });
}
