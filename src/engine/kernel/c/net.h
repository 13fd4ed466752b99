/* The network the kernel trains: sizes, buffers and optimizer state, all in this module's memory. */
#ifndef MLP_KERNEL_NET_H
#define MLP_KERNEL_NET_H
#include "simd.h"

#define MAX_LAYERS 9 /* 8 hidden layers and the output layer */

enum Activation { ACT_LINEAR, ACT_RELU, ACT_TANH, ACT_SIGMOID, ACT_ELU, ACT_SELU };
enum Optimizer { OPT_SGD, OPT_MOMENTUM, OPT_NESTEROV, OPT_ADAM, OPT_RMSPROP, OPT_ADAGRAD };

/* Scalars the update needs, each already rounded to float32 as tfjs rounds its scalar tensors. */
typedef struct {
  float negLr;       /* −learning rate (SGD, momentum, Adam, Adagrad) */
  float lr;          /* RMSprop multiplies by +lr */
  float twoL2;       /* 2·λ, the L2 penalty's gradient factor */
  float momentum;    /* momentum; Adam β1; RMSprop ρ */
  float oneMinus1;   /* Adam 1−β1; RMSprop 1−ρ */
  float beta2;       /* Adam β2 */
  float oneMinus2;   /* Adam 1−β2 */
  float epsilon;     /* Adam, RMSprop, Adagrad */
  float biasFix1;    /* Adam 1−β1^t */
  float biasFix2;    /* Adam 1−β2^t */
} Hyper;

/* A batch on sparse input, listed by rows (CSR, for X·W1) and by columns (CSC, for dW1), with its labels. */
typedef struct {
  int *csrStart;            /* [maxBatch + 1]: row b's entries are [csrStart[b], csrStart[b+1]) */
  int *csrIdx;              /* their pixels */
  float *csrVal;            /* and values */
  int *cscStart;            /* [dim[0] + 1]: pixel k's entries */
  int *cscFill;             /* [dim[0]], scratch of list_columns */
  int *cscRow;              /* their batch rows */
  float *cscVal;
  unsigned char *labels;    /* [maxBatch] */
} Lists;

typedef struct {
  int layers;               /* dense layers, the output layer included */
  int maxBatch;
  int optimizer;
  int dim[MAX_LAYERS + 1];  /* dim[0] inputs, dim[l+1] units of layer l */
  int pad[MAX_LAYERS + 1];  /* dim rounded up to 16 floats: every row starts on a 64-byte boundary */
  int act[MAX_LAYERS];
  int dropout[MAX_LAYERS];  /* 1 when a mask follows layer l */
  float *wt[MAX_LAYERS];    /* kernel transposed, [dim[l+1] × pad[l]]; the first layer's on sparse input by input, [dim[0] × stride0] */
  float *bias[MAX_LAYERS];  /* [pad[l+1]] */
  float *sw[2][MAX_LAYERS]; /* optimizer state of the kernel, as wt */
  float *sb[2][MAX_LAYERS]; /* and of the bias */
  float *y[MAX_LAYERS];     /* activations, [maxBatch × pad[l+1]]; the output layer's logits, then ∂loss */
  float *a[MAX_LAYERS];     /* y times the dropout mask (y itself without dropout) */
  float *mask[MAX_LAYERS];
  float *x;                 /* the batch, [maxBatch × pad[0]] */
  float *g[2];              /* ∂loss/∂z of a layer, [maxBatch × max pad] */
  float *gt;                /* its transpose, [max pad × maxBatch] */
  int *rows;                /* per 16-input block of x, the batch rows where it is not all zero */
  int *rowCount;
  int blocks;               /* pad[0] / 16 */
  /* The training set, when the kernel fills batches itself. */
  const unsigned char *images;
  unsigned char *labels;
  double *scales;
  int *order;
  int count;
  int size;
  int imageRows, imageCols; /* an image's shape, for augmentation */
  int unitLength;           /* normalisation: 1 = each image to unit L2 length, 0 = /255 */
  double *affine;           /* per batch image, its distortion's cos θ/s, sin θ/s, dx, dy (JS draws them) */
  unsigned char *batchLabels;
  int correct;
  double *exps;             /* [maxBatch × classes], the softmax's exponentials */
  double *rowLoss;          /* [maxBatch], each row's cross-entropy */
  int *rowRight;            /* [maxBatch], 1 where its largest logit is its label's */
  float *squares[MAX_LAYERS]; /* per 2-unit × 16-input block of wt (per input row on sparse input), its sum of squares (the L2 term) */
  int squareCount[MAX_LAYERS];
  /* Sparse input (sparse.c): the first layer's products visit only the batch's nonzero pixels. */
  int sparse;
  int stride0;              /* dim[1] rounded up to 4: a row of the first layer's kernel */
  Lists lists[2];           /* a batch's lists, twice: a helper may fill the next batch's while a step runs */
  int cur;                  /* the lists of the batch being stepped */
} Net;

extern Net net;
extern Hyper hyper;

/* Products (gemm.c). */
void forward_product(const float *a, int batch, int inPad, const float *wt, const float *bias, int units, float *z, int outPad);
void backward_product(const float *g, int batch, int gPad, const float *wt, int units, int inPad, float *out);
void transpose_rows(const float *g, int batch, int gPad, int units, float *gt, int gtPad);
void weight_update(int layer, const float *gt, int batch, int gtPad, const float *a, int inPad, int sparse, int fromBlock, int toBlock);
void bias_update(int layer, const float *g, int batch, int gPad);
void augment_batch(int start, int count);

/* The batch (fill.c): order[start..start+count) filled and listed, JS's rows listed, the next rows read ahead. */
void fill_batch(int start, int count);
void scan_batch(int count);
void touch_rows(int start, int count);

/* The first layer on sparse input (sparse.c). */
void sparse_init(void);
void fill_sparse(Lists *lists, int start, int count);
void list_sparse(int count);
void use_lists(int which);


void sparse_forward(int from, int to, float *z, int outPad);
void sparse_weight_update(const float *g, int gPad, int from, int to);

/* Work split into parts (team.c): rows of a product, or 16-input blocks of a weight gradient. Every part
 * computes its elements exactly as one thread would, so the result never depends on who ran it. */
enum TaskKind { TASK_FORWARD, TASK_BACKWARD, TASK_WEIGHTS };
typedef struct {
  int kind, layer;
  int total;  /* rows (forward, backward) or 16-input blocks (weights; inputs on sparse input) */
  int chunk;  /* per part */
  int parts;
  int count;  /* batch rows */
  const float *in;
  float *out;
  const float *grad; /* the first layer's weights on sparse input: ∂loss/∂z, [rows × pad[1]] */
} Task;
void parallel(Task *task, long long macs);
/* A helper fills the next batch's lists while the caller steps (team.c): prefetch_post asks for
 * order[start..start+count) into lists `which`; prefetch_take says whether that batch is there (after
 * waiting for a helper that is filling it), else the caller fills it; prefetch_settle waits for any fill
 * in flight and drops a request no helper took. */
void prefetch_post(int which, int start, int count);
int prefetch_take(int start, int count);
void prefetch_settle(void);
int team_helpers(void);
void run_part(const Task *task, int part); /* step.c */

#endif
