import { describe, expect, it } from 'vitest';
import { Drawing, type Point } from '$renderer/app/drawing.svelte';

const p = (x: number, y: number): Point => ({ x, y });

function drawStroke(drawing: Drawing, ...points: Point[]): void {
  drawing.beginStroke(points[0]);
  drawing.extendStroke(...points.slice(1));
  drawing.endStroke();
}

describe('Drawing', () => {
  it('starts empty with nothing to undo', () => {
    const drawing = new Drawing();
    expect(drawing.strokes).toEqual([]);
    expect(drawing.isEmpty).toBe(true);
    expect(drawing.canUndo).toBe(false);
  });

  it('records strokes as arrays of points and bumps the version on every point', () => {
    const drawing = new Drawing();
    drawing.beginStroke(p(1, 1));
    expect(drawing.drawing).toBe(true);
    drawing.extendStroke(p(2, 2));
    drawing.extendStroke(p(3, 3), p(4, 4));
    drawing.endStroke();
    expect(drawing.drawing).toBe(false);
    expect(drawing.strokes).toEqual([[p(1, 1), p(2, 2), p(3, 3), p(4, 4)]]);
    expect(drawing.version).toBe(3);
    expect(drawing.isEmpty).toBe(false);
  });

  it('replaces arrays rather than mutating them, so earlier snapshots stay intact', () => {
    const drawing = new Drawing();
    drawing.beginStroke(p(0, 0));
    const before = drawing.strokes;
    const firstStroke = before[0];
    drawing.extendStroke(p(5, 5));
    expect(drawing.strokes).not.toBe(before);
    expect(before).toEqual([[p(0, 0)]]);
    expect(firstStroke).toEqual([p(0, 0)]);
  });

  it('ignores repeated positions and points after the pointer is up', () => {
    const drawing = new Drawing();
    drawing.beginStroke(p(1, 1));
    drawing.extendStroke(p(1, 1), p(1, 1));
    const version = drawing.version;
    drawing.endStroke();
    drawing.extendStroke(p(9, 9));
    expect(drawing.strokes).toEqual([[p(1, 1)]]);
    expect(drawing.version).toBe(version);
  });

  it('undo removes the last stroke, one per call, then does nothing', () => {
    const drawing = new Drawing();
    drawStroke(drawing, p(0, 0), p(1, 1));
    drawStroke(drawing, p(5, 5), p(6, 6));
    drawing.undo();
    expect(drawing.strokes).toEqual([[p(0, 0), p(1, 1)]]);
    drawing.undo();
    expect(drawing.strokes).toEqual([]);
    expect(drawing.canUndo).toBe(false);
    const version = drawing.version;
    drawing.undo();
    expect(drawing.strokes).toEqual([]);
    expect(drawing.version).toBe(version);
  });

  it('clear empties the canvas and undo brings the strokes back', () => {
    const drawing = new Drawing();
    drawStroke(drawing, p(0, 0), p(1, 1));
    drawStroke(drawing, p(5, 5), p(6, 6));
    const strokes = drawing.strokes;
    drawing.clear();
    expect(drawing.isEmpty).toBe(true);
    expect(drawing.canUndo).toBe(true);
    drawing.undo();
    expect(drawing.strokes).toBe(strokes);
  });

  it('clearing an empty canvas is not a step to undo', () => {
    const drawing = new Drawing();
    drawStroke(drawing, p(0, 0), p(1, 1));
    drawing.clear();
    const version = drawing.version;
    drawing.clear();
    expect(drawing.version).toBe(version);
    drawing.undo();
    expect(drawing.strokes).toEqual([[p(0, 0), p(1, 1)]]);
    expect(drawing.canUndo).toBe(true);
  });

  it('undo during a stroke cancels that stroke and ends it', () => {
    const drawing = new Drawing();
    drawStroke(drawing, p(0, 0), p(1, 1));
    drawing.beginStroke(p(7, 7));
    drawing.extendStroke(p(8, 8));
    drawing.undo();
    expect(drawing.drawing).toBe(false);
    expect(drawing.strokes).toEqual([[p(0, 0), p(1, 1)]]);
    drawing.extendStroke(p(9, 9));
    expect(drawing.strokes).toEqual([[p(0, 0), p(1, 1)]]);
  });

  it('keeps a bounded history: the oldest steps fall off', () => {
    const drawing = new Drawing();
    for (let i = 0; i < 250; i++) drawStroke(drawing, p(i, i));
    let undone = 0;
    while (drawing.canUndo) {
      drawing.undo();
      undone++;
    }
    expect(undone).toBe(200);
    expect(drawing.strokes).toHaveLength(50);
  });

  it('opens an image to draw over, replacing the strokes, and undo brings the strokes back', () => {
    const drawing = new Drawing();
    drawStroke(drawing, p(0, 0), p(1, 1));
    const strokes = drawing.strokes;
    const image = { pixels: new Uint8Array(4).fill(200), rows: 2, cols: 2 };
    const version = drawing.version;
    drawing.setImage(image);
    expect(drawing.image).toBe(image);
    expect(drawing.strokes).toEqual([]);
    expect(drawing.isEmpty).toBe(false);
    expect(drawing.version).toBeGreaterThan(version);
    drawStroke(drawing, p(5, 5));
    drawing.undo();
    expect(drawing.image).toBe(image);
    drawing.undo();
    expect(drawing.image).toBeNull();
    expect(drawing.strokes).toBe(strokes);
  });

  it('clears the image with the strokes, and undo restores both', () => {
    const drawing = new Drawing();
    const image = { pixels: new Uint8Array(4), rows: 2, cols: 2 };
    drawing.setImage(image);
    drawStroke(drawing, p(1, 1));
    drawing.clear();
    expect(drawing.isEmpty).toBe(true);
    drawing.undo();
    expect(drawing.image).toBe(image);
    expect(drawing.strokes).toHaveLength(1);
  });

  it('refuses an image whose pixel count does not match its size', () => {
    expect(() => new Drawing().setImage({ pixels: new Uint8Array(3), rows: 2, cols: 2 })).toThrow(/2×2 needs 4 pixels, not 3/);
  });
});
