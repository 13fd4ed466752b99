/* One training step: batch fill (fill.c), forward, softmax cross-entropy, backward and update, in one call. */
#include "net.h"

#define SELU_SCALE 1.0507009873554805
#define SELU_SCALE_ALPHA (1.0507009873554805 * 1.6732632423543772)

static float tanh_f(float z) {
  if (z > 10.0f) return 1.0f;
  if (z < -10.0f) return -1.0f;
  float t = k_expm1f(2.0f * z);
  return t / (t + 2.0f);
}

/* y = act(z) in place over rows [from, to) of units, then a = y·mask where dropout follows. */
static void activate(int layer, int from, int to) {
  const int units = net.dim[layer + 1], pad = net.pad[layer + 1];
  float *y = net.y[layer];
  const int act = net.act[layer];
  for (int b = from; b < to; b++) {
    float *row = y + b * pad;
    switch (act) {
    case ACT_RELU:
      for (int j = 0; j < pad; j += 4) ST(row + j, wasm_f32x4_max(LD(row + j), ZERO));
      break;
    case ACT_TANH:
      for (int j = 0; j < units; j++) row[j] = tanh_f(row[j]);
      break;
    case ACT_SIGMOID:
      for (int j = 0; j < units; j++) row[j] = (float)(1.0 / (1.0 + (double)k_expf(-row[j])));
      break;
    case ACT_ELU:
      for (int j = 0; j < units; j++) row[j] = row[j] > 0.0f ? row[j] : k_expm1f(row[j]);
      break;
    case ACT_SELU:
      for (int j = 0; j < units; j++)
        row[j] = (float)(row[j] >= 0.0f ? SELU_SCALE * row[j] : SELU_SCALE_ALPHA * (double)k_expm1f(row[j]));
      break;
    default:
      break;
    }
  }
  if (!net.dropout[layer]) return;
  const float *mask = net.mask[layer];
  float *a = net.a[layer];
  for (int b = from; b < to; b++)
    for (int j = 0; j < units; j++) a[b * pad + j] = y[b * pad + j] * mask[b * units + j];
}

/* g (the gradient w.r.t. layer's dropped-out output) through the mask, then through the activation,
 * from its output y, as TrainStep's activationGrad. */
static void activation_grad(int layer, int from, int to, float *g) {
  const int units = net.dim[layer + 1], pad = net.pad[layer + 1];
  const float *y = net.y[layer];
  const float *mask = net.mask[layer];
  const int act = net.act[layer];
  const float seluScale = (float)SELU_SCALE, seluShift = (float)SELU_SCALE_ALPHA;
  for (int b = from; b < to; b++) {
    float *gr = g + b * pad;
    const float *yr = y + b * pad;
    if (mask)
      for (int j = 0; j < units; j++) gr[j] *= mask[b * units + j];
    switch (act) {
    case ACT_RELU:
      for (int j = 0; j < units; j++) gr[j] *= yr[j] > 0.0f ? 1.0f : 0.0f;
      break;
    case ACT_TANH:
      for (int j = 0; j < units; j++) gr[j] *= 1.0f - yr[j] * yr[j];
      break;
    case ACT_SIGMOID:
      for (int j = 0; j < units; j++) gr[j] *= yr[j] * (1.0f - yr[j]);
      break;
    case ACT_ELU:
      for (int j = 0; j < units; j++) gr[j] *= yr[j] > 0.0f ? 1.0f : yr[j] + 1.0f;
      break;
    case ACT_SELU:
      for (int j = 0; j < units; j++) gr[j] *= yr[j] > 0.0f ? seluScale : yr[j] + seluShift;
      break;
    default:
      break;
    }
  }
}

/* Softmax cross-entropy of rows [from, to) of the logits z [rows × pad] against the batch's labels:
 * writes (softmax − onehot)/count, the gradient of the batch's mean, into g, and each row's loss and
 * whether it was right; softmax_total sums them in row order, so the sums are the same whoever did
 * which rows. */
static void softmax_rows(const float *z, int from, int to, int count, int classes, int pad, float *g) {
  for (int b = from; b < to; b++) {
    const float *row = z + b * pad;
    float *gr = g + b * pad;
    double *exps = net.exps + b * classes;
    float max = row[0];
    int arg = 0;
    for (int c = 1; c < classes; c++)
      if (row[c] > max) {
        max = row[c];
        arg = c;
      }
    /* In float64 as TrainStep's softmax: the exponentials and their sum, then each probability. */
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      double e = k_exp((double)row[c] - (double)max);
      exps[c] = e;
      sum += e;
    }
    const int label = net.batchLabels[b];
    net.rowLoss[b] = k_log(sum) - ((double)row[label] - (double)max);
    net.rowRight[b] = arg == label;
    for (int c = 0; c < classes; c++) gr[c] = (float)((exps[c] / sum - (c == label ? 1.0 : 0.0)) / count);
    for (int c = classes; c < pad; c++) gr[c] = 0.0f;
  }
}

/* The batch's mean loss, and its right answers into net.correct. */
static double softmax_total(int count) {
  double loss = 0;
  int correct = 0;
  for (int b = 0; b < count; b++) {
    loss += net.rowLoss[b];
    correct += net.rowRight[b];
  }
  net.correct = correct;
  return loss / count;
}

/* Part `part` of a task (team.c): rows [from, to) of a layer's forward product and activation, or of
 * the input gradient and the activation's gradient below; or 16-input blocks [from, to) of a layer's
 * weight gradient and update. */
void run_part(const Task *task, int part) {
  const int from = part * task->chunk;
  const int to = from + task->chunk < task->total ? from + task->chunk : task->total;
  if (from >= to) return;
  const int l = task->layer;
  const int inPad = net.pad[l], outPad = net.pad[l + 1];
  switch (task->kind) {
  case TASK_FORWARD:
    if (l == 0 && net.sparse) sparse_forward(from, to, task->out, outPad);
    else forward_product(task->in + from * inPad, to - from, inPad, net.wt[l], net.bias[l], net.dim[l + 1], task->out + from * outPad, outPad);
    if (l < net.layers - 1) activate(l, from, to);
    else softmax_rows(task->out, from, to, task->count, net.dim[l + 1], outPad, net.g[0]);
    break;
  case TASK_BACKWARD:
    /* in: ∂loss/∂z of layer l [rows × outPad]; out: of layer l−1's output, [rows × inPad]. */
    backward_product(task->in + from * outPad, to - from, outPad, net.wt[l], net.dim[l + 1], inPad, task->out + from * inPad);
    activation_grad(l - 1, from, to, task->out);
    break;
  case TASK_WEIGHTS:
    if (l == 0 && net.sparse) sparse_weight_update(task->grad, outPad, from, to);
    else weight_update(l, net.gt, task->count, net.maxBatch, task->in, inPad, l == 0, from, to);
    break;
  }
}

/* Σ of every block's squared weights (the L2 term), from the last layer down, block by block: one order
 * whatever the threads. */
static float sum_squares(void) {
  float sum = 0;
  for (int l = net.layers - 1; l >= 0; l--) {
    for (int i = 0; i < net.squareCount[l]; i++) sum += net.squares[l][i];
  }
  return sum;
}

/* One step on the batch order[start..start+count) (mode 0), on the count rows JS wrote into the input
 * buffer with their labels (mode 1), or on order[start..start+count) distorted by the coefficients JS
 * wrote into the affine buffer (mode 2). Returns the batch's mean loss plus the L2 term
 * of the weights before the update; kn_correct() then gives the right answers. */
double kn_step(int start, int count, int mode, double l2) {
  if (count < 1 || count > net.maxBatch) return __builtin_nan("");
  /* The first layer's lists: by 16-input block for the dense dW1, by pixel on sparse input. */
  if (mode == 1) {
    if (net.sparse) list_sparse(count);
    else scan_batch(count);
  } else {
    if (!net.images || start < 0 || start + count > net.count) return __builtin_nan("");
    const int next = start + count;
    const int ahead = net.count - next < count ? net.count - next : count;
    int prefetching = 0;
    if (mode == 2) {
      augment_batch(start, count);
      if (net.sparse) list_sparse(count);
      else scan_batch(count);
    } else if (net.sparse) {
      /* A helper filled this batch's lists while the last step ran, or the caller fills them now. */
      if (!prefetch_take(start, count)) fill_sparse(&net.lists[net.cur], start, count);
      prefetching = ahead > 0 && team_helpers() > 0;
      if (prefetching) prefetch_post(net.cur ^ 1, next, ahead);
    } else {
      fill_batch(start, count);
    }
    /* Without a helper filling ahead, the next batch's rows are read ahead instead. */
    if (ahead > 0 && !prefetching) touch_rows(next, ahead);
  }
  /* Multiply-adds of the first layer's products on sparse input: its nonzero pixels times its units. */
  const long long sparseMacs = net.sparse ? (long long)net.lists[net.cur].csrStart[count] * net.stride0 : 0;
  const int last = net.layers - 1;
  const float *in = net.x;
  for (int l = 0; l < net.layers; l++) {
    /* Split by rows: X·W1ᵀ above all. */
    Task forward = {TASK_FORWARD, l, count, 0, 0, count, in, net.y[l], 0};
    /* The output layer's parts do the softmax of their rows too: float64 exponentials, worth about 64
     * multiply-adds each. */
    const long long softmax = l == last ? (long long)count * net.dim[l + 1] * 64 : 0;
    const long long macs = l == 0 && net.sparse ? sparseMacs : (long long)count * net.pad[l] * net.dim[l + 1];
    parallel(&forward, macs + softmax);
    in = net.a[l];
  }
  float *g = net.g[0];
  double loss = softmax_total(count);
  const int gtPad = net.maxBatch;
  for (int l = last; l >= 0; l--) {
    const int byInput = l == 0 && net.sparse;
    if (!byInput) transpose_rows(g, count, net.pad[l + 1], net.dim[l + 1], net.gt, gtPad);
    float *below = g == net.g[0] ? net.g[1] : net.g[0];
    if (l > 0) {
      /* With the weights before their update, as tfjs's backward pass: before this layer's update. */
      Task backward = {TASK_BACKWARD, l, count, 0, 0, count, g, below, 0};
      parallel(&backward, (long long)count * net.pad[l] * net.dim[l + 1]);
    }
    /* Split by columns (16-input blocks, or inputs on sparse input): dW1 above all. */
    Task weights = {TASK_WEIGHTS, l, byInput ? net.dim[0] : net.pad[l] / 16, 0, 0, count, l == 0 ? net.x : net.a[l - 1], 0, g};
    const long long update = (long long)net.pad[l] * net.dim[l + 1];
    parallel(&weights, byInput ? sparseMacs + update : (long long)count * net.pad[l] * net.dim[l + 1] / (l == 0 ? 2 : 1));
    bias_update(l, g, count, net.pad[l + 1]);
    g = below;
  }
  return loss + l2 * (double)sum_squares();
}
