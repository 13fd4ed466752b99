import { describe, expect, it } from 'vitest';
import { fitView, mapCsv, placeOnMap, pointAt, pointsInside, softmax, toScreen } from '$renderer/panels/projector/map-geometry';
import type { ProjectionMap } from '$shared/projector/projector';

const coords = Float32Array.from([0, 0, 10, 0, 0, 10, 10, 10, 5, 5]);

describe('map geometry', () => {
  it('fits every point inside the padded canvas with one scale, the y axis pointing up', () => {
    const view = fitView(coords, 5, 200, 100, 10);
    expect(view.scale).toBe(8);
    expect(toScreen(view, 0, 0)).toEqual([60, 90]);
    expect(toScreen(view, 10, 10)).toEqual([140, 10]);
  });

  it('finds the point under the pointer within a radius, and the points inside a lasso', () => {
    const view = fitView(coords, 5, 200, 100, 10);
    expect(pointAt(coords, 5, view, 101, 49, 6)).toBe(4);
    expect(pointAt(coords, 5, view, 120, 49, 6)).toBeNull();
    // A box around the top row of the map (small screen y).
    expect(pointsInside(coords, 5, view, [[50, 0], [150, 0], [150, 30], [50, 30]])).toEqual([2, 3]);
    expect(pointsInside(coords, 5, view, [[0, 0], [1, 1]])).toEqual([]);
  });

  it('places an input on a PCA map by its axes, and on a UMAP map among its nearest images', () => {
    const pca: ProjectionMap['pca'] = { mean: Float32Array.from([1, 1]), components: Float32Array.from([1, 0, 0, 1]), explainedVariance: [0.6, 0.4] };
    expect(placeOnMap({ pca, coords, count: 5, dim: 2 }, Float32Array.from([3, -1]), null)).toEqual([2, -2]);
    const activations = Float32Array.from([0, 0, 1, 0, 0, 1, 1, 1, 9, 9]);
    expect(placeOnMap({ pca: null, coords, count: 5, dim: 2 }, Float32Array.from([0.1, 0.1]), activations, 1)).toEqual([0, 0]);
    expect(placeOnMap({ pca: null, coords, count: 5, dim: 2 }, Float32Array.from([0.5, 0.5]), activations, 4)).toEqual([5, 5]);
    expect(placeOnMap({ pca: null, coords, count: 5, dim: 2 }, Float32Array.from([0.5]), activations)).toBeNull();
  });

  it('turns scores into probabilities', () => {
    const p = softmax(Float32Array.from([1000, 1000, -Infinity]));
    expect([...p]).toEqual([0.5, 0.5, 0]);
  });

  it('exports one CSV row per image, quoting class names that need it', () => {
    const map = { count: 2, coords: Float32Array.from([1.5, -2, 0, 0.25]), labels: Uint8Array.from([0, 1]), predictions: Uint8Array.from([1, 1]) } as ProjectionMap;
    expect(mapCsv(map, ['T-shirt, top', 'say "hi"'])).toBe('index,true,predicted,x,y\n0,"T-shirt, top","say ""hi""",1.5,-2\n1,"say ""hi""","say ""hi""",0,0.25\n');
  });
});
