import type { Locator, Page } from 'playwright-core';

/** A point on a canvas, as fractions (0..1) of its width and height, so a spec need not know its size on screen. */
export type CanvasPoint = readonly [number, number];

/**
 * Draws one stroke through `points` with Playwright's real mouse, as a person would: press at the first
 * point, move to each next one in `steps` mouse events, release. One point is a dot (a click). `canvas`
 * is the Draw view's unless given (Compare has its own).
 */
export async function drawStroke(page: Page, points: readonly CanvasPoint[], options: { canvas?: Locator; steps?: number } = {}): Promise<void> {
  const [first, ...rest] = points;
  if (!first) throw new Error('drawStroke: a stroke needs at least one point');
  const box = await (options.canvas ?? page.getByTestId('draw-canvas')).boundingBox();
  if (!box) throw new Error('drawStroke: the canvas is not visible');
  const at = ([fx, fy]: CanvasPoint) => [box.x + fx * box.width, box.y + fy * box.height] as const;
  await page.mouse.move(...at(first));
  await page.mouse.down();
  for (const point of rest) await page.mouse.move(...at(point), { steps: options.steps ?? 4 });
  await page.mouse.up();
}

/**
 * Draws strokes as the mouse's pointer events dispatched inside the page: one round trip per drawing
 * rather than one per move, for a spec that draws dozens of digits. The canvas sees the same events
 * as from drawStroke, without Playwright's mouse.
 */
export async function dispatchStrokes(canvas: Locator, strokes: readonly (readonly CanvasPoint[])[]): Promise<void> {
  await canvas.evaluate((element, strokes) => {
    const rect = element.getBoundingClientRect();
    const fire = (type: string, [fx, fy]: readonly [number, number], buttons: number) =>
      element.dispatchEvent(
        new PointerEvent(type, {
          bubbles: true,
          cancelable: true,
          pointerId: 1,
          pointerType: 'mouse',
          isPrimary: true,
          button: 0,
          buttons,
          clientX: rect.left + fx * rect.width,
          clientY: rect.top + fy * rect.height,
        }),
      );
    for (const stroke of strokes) {
      fire('pointerdown', stroke[0], 1);
      for (const point of stroke.slice(1)) fire('pointermove', point, 1);
      fire('pointerup', stroke[stroke.length - 1], 0);
    }
  }, strokes);
}

/** A vertical stroke down the middle: a 1, as the specs draw it. */
export const ONE: readonly CanvasPoint[] = [
  [0.5, 0.18],
  [0.5, 0.5],
  [0.5, 0.82],
];
