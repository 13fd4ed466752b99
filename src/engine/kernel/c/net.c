/* Setting up the kernel's memory: one network per module instance, laid out by kn_init from the sizes
 * JS writes into kn_config(). Everything lives in one arena that kn_init resets, so training run after
 * run in the same instance reuses the same memory (it grows only to the largest run's needs). */
#include "net.h"

Net net;
Hyper hyper;

extern unsigned char __heap_base;
static unsigned long arenaTop;
static int config[64];

/* 64-byte aligned, zeroed when `zero`; 0 when memory cannot grow that far. */
static void *arena_grab(unsigned long bytes, int zero) {
  unsigned long start = (arenaTop + 63) & ~63UL;
  unsigned long end = start + bytes;
  unsigned long have = __builtin_wasm_memory_size(0) * 65536UL;
  if (end > have) {
    unsigned long pages = (end - have + 65535) / 65536;
    if (__builtin_wasm_memory_grow(0, pages) == (unsigned long)-1) return 0;
  }
  arenaTop = end;
  if (zero) memset((void *)start, 0, bytes);
  return (void *)start;
}

static void *arena_take(unsigned long bytes) { return arena_grab(bytes, 1); }

/* Where JS writes the sizes: layers, maxBatch, optimizer, dim[0..layers], act[0..layers), dropout[0..layers),
 * then whether the input is sparse (the first layer's layout and products, sparse.c). */
int *kn_config(void) { return config; }

Hyper *kn_hyper(void) { return &hyper; }

static int pad16(int n) { return (n + 15) & ~15; }

#define TAKE(ptr, count, type)                                                                         \
  do {                                                                                                 \
    ptr = (type *)arena_take((unsigned long)(count) * sizeof(type));                                   \
    if (!ptr) return -1;                                                                               \
  } while (0)

/* Lays the network out from kn_config(); 0, or −1 when memory ran out, −2 for sizes out of range. */
int kn_init(void) {
  /* A helper may still be filling the last run's next batch: the arena is about to be laid out again. */
  prefetch_settle();
  arenaTop = (unsigned long)&__heap_base;
  memset(&net, 0, sizeof net);
  net.layers = config[0];
  net.maxBatch = config[1];
  net.optimizer = config[2];
  if (net.layers < 1 || net.layers > MAX_LAYERS || net.maxBatch < 1 || net.optimizer < 0 || net.optimizer > OPT_ADAGRAD) return -2;
  int maxPad = 0;
  for (int l = 0; l <= net.layers; l++) {
    net.dim[l] = config[3 + l];
    if (net.dim[l] < 1 || net.dim[l] > (1 << 20)) return -2;
    net.pad[l] = pad16(net.dim[l]);
    if (net.pad[l] > maxPad) maxPad = net.pad[l];
  }
  for (int l = 0; l < net.layers; l++) {
    net.act[l] = config[4 + net.layers + l];
    net.dropout[l] = config[4 + 2 * net.layers + l];
  }
  net.sparse = config[4 + 3 * net.layers] != 0;
  net.stride0 = (net.dim[1] + 3) & ~3;
  const int batch = net.maxBatch;
  for (int l = 0; l < net.layers; l++) {
    const int units = net.dim[l + 1], in = net.pad[l], out = net.pad[l + 1];
    const int byInput = l == 0 && net.sparse;
    const int weights = byInput ? net.dim[0] * net.stride0 : units * in;
    TAKE(net.wt[l], weights, float);
    TAKE(net.bias[l], out, float);
    for (int s = 0; s < 2; s++) {
      TAKE(net.sw[s][l], weights, float);
      TAKE(net.sb[s][l], out, float);
    }
    net.squareCount[l] = byInput ? net.dim[0] : (in / 16) * ((units + 1) / 2);
    TAKE(net.squares[l], net.squareCount[l], float);
    TAKE(net.y[l], batch * out, float);
    net.a[l] = net.y[l];
    if (net.dropout[l]) {
      TAKE(net.a[l], batch * out, float);
      TAKE(net.mask[l], batch * units, float);
    }
  }
  TAKE(net.x, batch * net.pad[0], float);
  TAKE(net.g[0], batch * maxPad, float);
  TAKE(net.g[1], batch * maxPad, float);
  TAKE(net.gt, batch * maxPad, float);
  net.blocks = net.pad[0] / 16;
  TAKE(net.rows, net.blocks * batch, int);
  TAKE(net.rowCount, net.blocks, int);
  TAKE(net.batchLabels, batch, unsigned char);
  TAKE(net.exps, batch * net.dim[net.layers], double);
  TAKE(net.rowLoss, batch, double);
  TAKE(net.rowRight, batch, int);
  if (net.sparse) {
    const int inputs = net.dim[0];
    for (int i = 0; i < 2; i++) {
      Lists *lists = &net.lists[i];
      TAKE(lists->csrStart, batch + 1, int);
      /* 4 spare entries: a packed group is stored whole (sparse.c). */
      TAKE(lists->csrIdx, batch * inputs + 4, int);
      TAKE(lists->csrVal, batch * inputs + 4, float);
      /* To pad[0]: the listing counts a padded row's last 4 columns whole (sparse.c). */
      TAKE(lists->cscStart, net.pad[0] + 1, int);
      TAKE(lists->cscFill, inputs, int);
      TAKE(lists->cscRow, batch * inputs, int);
      TAKE(lists->cscVal, batch * inputs, float);
      TAKE(lists->labels, batch, unsigned char);
    }
    use_lists(0);
    sparse_init();
  }
  return 0;
}

/* Room for a training set of count rows×cols images, its labels, per-image scales, an order and the
 * batch's distortions; returns the images' address (0 when memory ran out). Call after kn_init. */
unsigned char *kn_data(int count, int rows, int cols, int unitLength) {
  const int size = rows * cols;
  if (count < 1 || rows < 1 || cols < 1 || size != net.dim[0]) return 0;
  net.count = count;
  net.size = size;
  net.imageRows = rows;
  net.imageCols = cols;
  net.unitLength = unitLength != 0;
  if (!(net.affine = arena_take((unsigned long)net.maxBatch * 4 * sizeof(double)))) return 0;
  unsigned char *images;
  /* Not zeroed: JS writes every byte of the images, labels and scales before a step reads them (a
   * training set is tens of MB, and zeroing it first cost as much as copying it). */
  if (!(images = arena_grab((unsigned long)count * size, 0))) return 0;
  net.images = images;
  if (!(net.labels = arena_grab(count, 0))) return 0;
  if (!(net.scales = arena_grab((unsigned long)count * sizeof(double), 0))) return 0;
  if (!(net.order = arena_take((unsigned long)count * sizeof(int)))) return 0;
  return images;
}

enum What { W_KERNEL, W_BIAS, W_KERNEL_STATE0, W_KERNEL_STATE1, W_BIAS_STATE0, W_BIAS_STATE1, W_MASK, W_INPUT, W_LABELS, W_DATA_LABELS, W_SCALES, W_ORDER, W_OUTPUT, W_AFFINE };

/* The address of a buffer JS reads or writes. */
void *kn_ptr(int what, int layer) {
  if (layer < 0 || layer >= net.layers) return 0;
  switch (what) {
  case W_KERNEL: return net.wt[layer];
  case W_BIAS: return net.bias[layer];
  case W_KERNEL_STATE0: return net.sw[0][layer];
  case W_KERNEL_STATE1: return net.sw[1][layer];
  case W_BIAS_STATE0: return net.sb[0][layer];
  case W_BIAS_STATE1: return net.sb[1][layer];
  case W_MASK: return net.mask[layer];
  case W_INPUT: return net.x;
  case W_LABELS: return net.batchLabels;
  case W_DATA_LABELS: return net.labels;
  case W_SCALES: return net.scales;
  case W_ORDER: return net.order;
  case W_OUTPUT: return net.a[layer];
  case W_AFFINE: return net.affine;
  }
  return 0;
}

int kn_correct(void) { return net.correct; }
