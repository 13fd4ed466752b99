/* Augmented batches: each image shifted, rotated and scaled afresh, as augment.ts's transformImage does,
 * in float64 with the same operations in the same order, so the values are JS's bit for bit. JS draws
 * the distortions (Random, in the engine's order) and passes each image's inverse-map coefficients. */
#include "net.h"

/* Bilinear read at (x, y) of a rows×cols byte image; 0 outside it. */
static double sample(const unsigned char *src, int rows, int cols, double x, double y) {
  const double x0 = __builtin_floor(x), y0 = __builtin_floor(y);
  if (x0 < -1 || y0 < -1 || x0 >= cols || y0 >= rows) return 0;
  const double fx = x - x0, fy = y - y0;
  const int ix = (int)x0, iy = (int)y0;
  const int left = ix >= 0, right = ix + 1 < cols;
  const long row0 = (long)iy * cols + ix;
  double top = 0, bottom = 0;
  if (iy >= 0) top = (left ? src[row0] * (1 - fx) : 0) + (right ? src[row0 + 1] * fx : 0);
  if (iy + 1 < rows) bottom = (left ? src[row0 + cols] * (1 - fx) : 0) + (right ? src[row0 + cols + 1] * fx : 0);
  return top * (1 - fy) + bottom * fy;
}

/* Image `image` distorted by (cos, sin, dx, dy) into dst (float, as the JS Float32Array stores it),
 * then normalised as normalizeRows does. */
static void transform(int image, const double *affine, float *dst) {
  const int rows = net.imageRows, cols = net.imageCols;
  const unsigned char *src = net.images + (unsigned long)image * net.size;
  const double cos = affine[0], sin = affine[1], dx = affine[2], dy = affine[3];
  const double cx = (cols - 1) / 2.0, cy = (rows - 1) / 2.0;
  for (int y = 0; y < rows; y++) {
    const double oy = y - cy - dy;
    double sx = cos * (-cx - dx) + sin * oy + cx;
    double sy = -sin * (-cx - dx) + cos * oy + cy;
    float *o = dst + y * cols;
    for (int x = 0; x < cols; x++, sx += cos, sy -= sin) o[x] = (float)sample(src, rows, cols, sx, sy);
  }
  const int size = net.size;
  if (!net.unitLength) {
    const double scale = 1.0 / 255;
    for (int p = 0; p < size; p++) dst[p] = (float)(dst[p] * scale);
    return;
  }
  double sumSquares = 0;
  for (int p = 0; p < size; p++) sumSquares += (double)dst[p] * dst[p];
  if (sumSquares == 0) return;
  const double inverseNorm = 1 / __builtin_sqrt(sumSquares);
  for (int p = 0; p < size; p++) dst[p] = (float)(dst[p] * inverseNorm);
}

/* The batch order[start..start+count), each image distorted by its 4 coefficients in net.affine. */
void augment_batch(int start, int count) {
  const int pad = net.pad[0];
  for (int i = 0; i < count; i++) {
    const int image = net.order[start + i];
    float *dst = net.x + i * pad;
    transform(image, net.affine + 4 * i, dst);
    for (int p = net.size; p < pad; p++) dst[p] = 0;
    net.batchLabels[i] = net.labels[image];
  }
}
